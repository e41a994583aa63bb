"""Keeps each signed-in device's last-seen time, IP and session key current, cheaply."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse

from accounts.http import signed_out_notice_mark, signed_out_notice_set
from accounts.securitylog import security_log

from . import http
from .models import Device
from .sessions import DeviceStamp


class DeviceActivityMiddleware:
    """No query on most requests: one UPDATE per device per activity interval or IP change."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path in settings.UNTRACKED_PATHS:
            # Health checks answer without the session store, the database or the cache.
            return self.get_response(request)
        stamp = DeviceStamp.read(request.session)
        ended_remotely = False
        if stamp is not None and request.user.is_authenticated:
            # The store expires idle sessions too, but not every store's clock is this one's.
            if stamp.expired(time.time()):
                security_log(
                    "session_expired", request=request, device_id=stamp.id, kept=stamp.kept
                )
                http.session_end(request, reason=Device.SignOutReason.EXPIRED)
                request.user = AnonymousUser()
            elif not http.device_touch(request, stamp):
                # Signed out while a copy of its session survived somewhere: end it now.
                request.session.flush()
                request.user = AnonymousUser()
                ended_remotely = True
        elif self._session_was_revoked(request):
            ended_remotely = http.device_signed_out_remotely(request)
        if ended_remotely:
            signed_out_notice_mark(request)
        response = self.get_response(request)
        if ended_remotely and not request.user.is_authenticated:
            # Not when this very request signed in again.
            signed_out_notice_set(response)
        stamp = DeviceStamp.read(request.session)
        if stamp is not None and stamp.key != request.session.session_key:
            # The view rotated the session key (password change, re-authentication).
            http.device_touch(request, stamp)
        cookie_id = getattr(request, "device_cookie_id", None)
        if cookie_id is not None:
            response.set_signed_cookie(
                settings.DEVICE_COOKIE_NAME,
                str(cookie_id),
                salt="devices.cookie",
                max_age=settings.DEVICE_COOKIE_AGE,
                httponly=True,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
        return response

    @staticmethod
    def _session_was_revoked(request: HttpRequest) -> bool:
        """The browser sent a session cookie whose session is gone (one query only then)."""
        return (
            bool(request.COOKIES.get(settings.SESSION_COOKIE_NAME))
            and not request.user.is_authenticated
            and request.session.session_key is None
            and bool(request.COOKIES.get(settings.DEVICE_COOKIE_NAME))
        )
