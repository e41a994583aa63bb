"""Guessing limits: failed attempts counted per key (e-mail, account, IP) in the shared cache."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest
from django_ratelimit.core import get_usage


@dataclass(frozen=True)
class Throttle:
    """At most `attempts` failures per key in `window` seconds (fixed windows)."""

    name: str
    attempts: int
    window: int

    def _counts(self, request: HttpRequest, keys: dict[str, str], *, increment: bool) -> list[int]:
        counts = []
        for kind, value in keys.items():
            usage = get_usage(
                request,
                group=f"{self.name}:{kind}",
                key=lambda _g, _r, v=value: v or "-",
                rate=f"{self.attempts}/{self.window}s",
                increment=increment,
            )
            counts.append(usage["count"] if usage else 0)
        return counts

    def blocked(self, request: HttpRequest, **keys: str) -> bool:
        """True once any of these keys has used up its failures for the window."""
        return max(self._counts(request, keys, increment=False)) >= self.attempts

    def failed(self, request: HttpRequest, **keys: str) -> None:
        self._counts(request, keys, increment=True)


def signin_throttle() -> Throttle:
    return Throttle("signin", settings.SIGNIN_THROTTLE_ATTEMPTS, settings.SIGNIN_THROTTLE_WINDOW)


def two_step_throttle() -> Throttle:
    """Wrong second-step codes: the same allowance as passwords, counted on their own."""
    return Throttle("twostep", settings.SIGNIN_THROTTLE_ATTEMPTS, settings.SIGNIN_THROTTLE_WINDOW)
