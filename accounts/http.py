"""Request helpers every app uses: the request type, the client's IP, safe redirects."""

from __future__ import annotations

import ipaddress
from typing import TYPE_CHECKING
from uuid import UUID

from django.conf import settings
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.http import url_has_allowed_host_and_scheme
from ipware import get_client_ip

from .models import Profile

if TYPE_CHECKING:
    import uuid

    from django_htmx.middleware import HtmxDetails

    from .models import User


class AuthedHttpRequest(HttpRequest):
    """A request behind the auth, htmx and profile middleware."""

    user: User
    htmx: HtmxDetails
    profile: Profile | None
    device_cookie_id: uuid.UUID


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


def safe_next(request: HttpRequest, default: str) -> str:
    """A local path from POST or GET "next", else default. Never another site, never a name."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    local = target.startswith("/") and not target.startswith(("//", "/\\"))
    if local and url_has_allowed_host_and_scheme(
        target, {request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def own_profile_or_404(request: AuthedHttpRequest, public_id: UUID) -> Profile:
    """One of this account's profiles; another account's id is a 404."""
    return get_object_or_404(Profile.objects.for_account(request.user), public_id=public_id)
