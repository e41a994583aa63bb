"""Guessing limits: attempts counted per key (e-mail, account, IP) in the shared cache, and the
429 answer a throttled request gets."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django_ratelimit.core import get_usage

from .http import client_ip
from .securitylog import security_log


@dataclass(frozen=True)
class Throttle:
    """At most `attempts` counted attempts per key in `window` seconds (fixed windows)."""

    name: str
    attempts: int
    window: int

    def _usages(
        self, request: HttpRequest, keys: dict[str, str], *, increment: bool
    ) -> list[dict[str, Any]]:
        usages: list[dict[str, Any]] = []
        for kind, value in keys.items():
            usage = get_usage(
                request,
                group=f"{self.name}:{kind}",
                key=lambda _g, _r, v=value: v or "-",
                rate=f"{self.attempts}/{self.window}s",
                increment=increment,
            )
            usages.append(usage or {"count": 0, "time_left": 0})
        return usages

    def blocked(self, request: HttpRequest, **keys: str) -> bool:
        """True once any of these keys has used up its attempts for the window."""
        counts = [int(u["count"]) for u in self._usages(request, keys, increment=False)]
        return max(counts) >= self.attempts

    def failed(self, request: HttpRequest, **keys: str) -> None:
        """Count one attempt against each key."""
        self._usages(request, keys, increment=True)

    def retry_after(self, request: HttpRequest, **keys: str) -> int:
        """Seconds until every used-up key's window ends (at least 1)."""
        waits = [
            u["time_left"]
            for u in self._usages(request, keys, increment=False)
            if u["count"] >= self.attempts
        ]
        return max(1, math.ceil(max(waits, default=1)))


def too_many(
    request: HttpRequest, response: HttpResponse, *, throttle: Throttle, **keys: str
) -> HttpResponse:
    """Make a page the 429 answer of a throttled request, with Retry-After, and log it."""
    response.status_code = 429
    response["Retry-After"] = str(throttle.retry_after(request, **keys))
    security_log(
        "excess_rate_limit_exceeded", request=request, throttle=throttle.name, keys=sorted(keys)
    )
    return response


def signin_throttle() -> Throttle:
    return Throttle("signin", settings.SIGNIN_THROTTLE_ATTEMPTS, settings.SIGNIN_THROTTLE_WINDOW)


def signin_throttle_keys(request: HttpRequest, email: str) -> dict[str, str]:
    """What the sign-in throttle counts against: the e-mail address and the client's IP."""
    return {"email": email.lower(), "ip": client_ip(request) or ""}


def signin_too_many(request: HttpRequest, response: HttpResponse, email: str) -> HttpResponse:
    """A password refused by the sign-in guessing limit: the page as a 429, with Retry-After."""
    return too_many(
        request, response, throttle=signin_throttle(), **signin_throttle_keys(request, email)
    )


def password_reset_throttles() -> tuple[Throttle, Throttle]:
    """Reset e-mails asked for, per e-mail address and per IP, in an hour."""
    window = settings.HOURLY_THROTTLE_WINDOW
    return (
        Throttle("reset-email", settings.PASSWORD_RESET_THROTTLE_PER_EMAIL, window),
        Throttle("reset-ip", settings.PASSWORD_RESET_THROTTLE_PER_IP, window),
    )


def signup_throttle() -> Throttle:
    """New accounts per IP in an hour."""
    return Throttle("signup", settings.SIGNUP_THROTTLE_PER_IP, settings.HOURLY_THROTTLE_WINDOW)


def two_step_throttle() -> Throttle:
    """Wrong second-step codes: the same allowance as passwords, counted on their own."""
    return Throttle("twostep", settings.SIGNIN_THROTTLE_ATTEMPTS, settings.SIGNIN_THROTTLE_WINDOW)
