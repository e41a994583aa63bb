"""What devices reads from a request: the device cookie, this session's device, the origin.

Services take the values these return, never the request itself."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.http import HttpRequest

from accounts.http import client_ip
from accounts.models import User
from accounts.origin import Origin

from .models import Device
from .sessions import DeviceStamp


def device_cookie_read(request: HttpRequest) -> uuid.UUID | None:
    raw = request.get_signed_cookie(
        settings.DEVICE_COOKIE_NAME, default=None, salt="devices.cookie"
    )
    try:
        return uuid.UUID(raw) if raw else None
    except ValueError:
        return None


def current_device_id(request: HttpRequest) -> str | None:
    """The id of the device this session belongs to, read from the session (no query)."""
    stamp = DeviceStamp.read(request.session)
    return stamp.id if stamp else None


def current_device(request: HttpRequest, *, user: User) -> Device | None:
    """This session's device row, if it is one of the account's: the one lookup for it."""
    device_id = current_device_id(request)
    return Device.objects.for_account(user).filter(id=device_id).first() if device_id else None


def request_origin(request: HttpRequest) -> Origin:
    """The client's address, this session's device and the profile in use."""
    user = request.user
    device = current_device(request, user=user) if isinstance(user, User) else None
    profile = getattr(request, "profile", None)
    return Origin(ip=client_ip(request), device=device, profile=profile.name if profile else "")
