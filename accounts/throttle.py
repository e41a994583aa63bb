"""Sign-in guessing limits, counted per e-mail address and per client IP in the shared cache."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django_ratelimit.core import get_usage

from devices.ip import client_ip


def _counts(request: HttpRequest, email: str, *, increment: bool) -> list[int]:
    rate = f"{settings.SIGNIN_THROTTLE_ATTEMPTS}/{settings.SIGNIN_THROTTLE_WINDOW}s"
    keys = {"signin:email": email or "-", "signin:ip": client_ip(request) or "-"}
    counts = []
    for group, value in keys.items():
        usage = get_usage(
            request, group=group, key=lambda _g, _r, v=value: v, rate=rate, increment=increment
        )
        counts.append(usage["count"] if usage else 0)
    return counts


def signin_blocked(request: HttpRequest, email: str) -> bool:
    """True once this address or this IP has used up its failed sign-ins for the window."""
    return max(_counts(request, email, increment=False)) >= settings.SIGNIN_THROTTLE_ATTEMPTS


def signin_failed(request: HttpRequest, email: str) -> None:
    _counts(request, email, increment=True)
