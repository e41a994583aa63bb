"""Devices follow Django's sign-in and sign-out signals.

Loose reactions only: recording that a device signed in or out. Signing devices out is
never done from here; the flows call devices.services by name (see security/)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.dispatch import receiver
from django.http import HttpRequest

from accounts.models import User

from . import http


@receiver(user_logged_in, dispatch_uid="devices.track_sign_in")
def track_sign_in(sender: Any, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    if request is not None and hasattr(request, "session"):
        http.device_sign_in(request, user=user)


@receiver(user_logged_out, dispatch_uid="devices.track_sign_out")
def track_sign_out(
    sender: Any, request: HttpRequest | None, user: User | None, **kwargs: Any
) -> None:
    if request is not None and user is not None and hasattr(request, "session"):
        http.device_signed_out_here(request, user=user)
