"""Keeps each signed-in device's last-seen time, IP and session key current, cheaply."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse

from . import services
from .models import Device


class DeviceActivityMiddleware:
    """No query on most requests: one UPDATE per device per activity interval or IP change."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        info = services.session_device_info(request)
        if info is not None and request.user.is_authenticated:
            max_age = settings.SESSION_MAX_AGE_DAYS * 24 * 3600
            idle = settings.SESSION_IDLE_DAYS * 24 * 3600
            now = time.time()
            # The store expires idle sessions too, but not every store's clock is this one's.
            if (
                now - info.get("since", 0) > max_age
                or now - info.get("at", now) > idle
                or now > info.get("until", now + 1)
            ):
                services.session_end(request, reason=Device.SignOutReason.EXPIRED)
                request.user = AnonymousUser()
            elif not services.device_touch(request, info):
                # Signed out while a copy of its session survived somewhere: end it now.
                request.session.flush()
                request.user = AnonymousUser()
        response = self.get_response(request)
        info = services.session_device_info(request)
        if info is not None and info.get("key") != request.session.session_key:
            # The view rotated the session key (password change, re-authentication).
            services.device_touch(request, info)
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
