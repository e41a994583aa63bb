"""Guessing limits: attempts counted per key (e-mail, account, IP) in the shared cache, and the
429 answer a throttled request gets.

An attempt is counted before it is judged (`Throttle.attempt`): the cache adds one atomically
(Redis INCR; the database cache under a row lock, config.cache.LockedDatabaseCache) and the
count that comes back decides. Checking first and counting after would let N guesses sent at
once all pass the check before any of them counted."""

from __future__ import annotations

import contextlib
import hashlib
import math
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import BaseCache, caches
from django.http import HttpRequest, HttpResponse

from .http import client_ip
from .securitylog import security_log

# Kept a little past its window, so a count never vanishes while its window still runs.
_EXPIRY_FUDGE = 5


def _cache() -> BaseCache:
    return caches[getattr(settings, "RATELIMIT_USE_CACHE", "default")]


@dataclass(frozen=True)
class Throttle:
    """At most `attempts` counted attempts per key in `window` seconds (fixed windows)."""

    name: str
    attempts: int
    window: int

    def _window(self) -> tuple[int, float]:
        """This window's start and the seconds left in it."""
        now = time.time()
        start = int(now // self.window) * self.window
        return start, start + self.window - now

    def _key(self, kind: str, value: str) -> str:
        # Hashed: an e-mail address or IP never becomes a cache key as it is.
        digest = hashlib.sha256((value or "-").encode()).hexdigest()[:32]
        return f"throttle:{self.name}:{kind}:{digest}:{self._window()[0]}"

    def _count(self, kind: str, value: str) -> int:
        return int(_cache().get(self._key(kind, value), 0))

    def _add(self, kind: str, value: str) -> int:
        cache, key = _cache(), self._key(kind, value)
        cache.add(key, 0, self.window + _EXPIRY_FUDGE)
        try:
            return int(cache.incr(key))
        except ValueError:  # expired between the two calls: this is the first of a window
            cache.add(key, 1, self.window + _EXPIRY_FUDGE)
            return 1

    def attempt(self, request: HttpRequest, **keys: str) -> bool:
        """Count one attempt against each key, then judge it: False once any key has gone past
        its allowance (the attempt must be refused)."""
        counts = [self._add(kind, value) for kind, value in keys.items()]
        return max(counts) <= self.attempts

    def refund(self, request: HttpRequest, **keys: str) -> None:
        """Give a counted attempt back: it succeeded (the right password, the right code)."""
        cache = _cache()
        for kind, value in keys.items():
            with contextlib.suppress(ValueError):  # its window ended meanwhile
                cache.decr(self._key(kind, value))

    def blocked(self, request: HttpRequest, **keys: str) -> bool:
        """True once any of these keys has used up its attempts for the window."""
        return max(self._count(kind, value) for kind, value in keys.items()) >= self.attempts

    def failed(self, request: HttpRequest, **keys: str) -> None:
        """Count one attempt against each key, without judging it."""
        for kind, value in keys.items():
            self._add(kind, value)

    def retry_after(self, request: HttpRequest, **keys: str) -> int:
        """Seconds until the window of the used-up keys ends (at least 1)."""
        return max(1, math.ceil(self._window()[1]))


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
