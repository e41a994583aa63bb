"""Devices follow Django's own sign-in and sign-out signals."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.dispatch import receiver
from django.http import HttpRequest

from . import services


@receiver(user_logged_in, dispatch_uid="devices.track_sign_in")
def track_sign_in(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if request is not None and hasattr(request, "session"):
        services.device_sign_in(request=request, user=user)


@receiver(user_logged_out, dispatch_uid="devices.track_sign_out")
def track_sign_out(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if request is not None and user is not None and hasattr(request, "session"):
        services.device_signed_out_here(request=request, user=user)
