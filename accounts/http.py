"""The client's IP address, trusting X-Forwarded-For only behind configured proxies."""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest
from ipware import get_client_ip


def _valid(value: str | None) -> str | None:
    try:
        return str(ipaddress.ip_address((value or "").strip()))
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str | None:
    """REMOTE_ADDR, or the address TRUSTED_PROXY_COUNT proxies saw, never a forged header."""
    remote = _valid(request.META.get("REMOTE_ADDR"))
    if settings.TRUSTED_PROXY_COUNT <= 0:
        return remote
    ip, _routable = get_client_ip(
        request,
        proxy_order="right-most",
        proxy_count=settings.TRUSTED_PROXY_COUNT,
        request_header_order=["HTTP_X_FORWARDED_FOR"],
    )
    return _valid(ip) or remote
