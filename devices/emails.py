"""E-mails about devices: a new sign-in, a password change."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.core import signing
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse

if TYPE_CHECKING:
    from accounts.models import User

    from .models import Device

NOT_ME_SALT = "devices.not-me"
NOT_ME_MAX_AGE = 7 * 24 * 3600


def not_me_token(device: Device) -> str:
    return signing.dumps({"d": str(device.id)}, salt=NOT_ME_SALT, compress=True)


def not_me_device_id(token: str) -> str | None:
    """The device id inside a "This wasn't me" token, or None if it is expired or tampered with."""
    try:
        data = signing.loads(token, salt=NOT_ME_SALT, max_age=NOT_ME_MAX_AGE)
    except signing.BadSignature:
        return None
    return data.get("d") if isinstance(data, dict) else None


def new_device_send(*, device: Device) -> None:
    """ "New sign-in on <device> near <location>", with a "This wasn't me" link."""
    near = f" near {device.known_location}" if device.known_location else ""
    subject = f"New sign-in on {device.name}{near}"
    url = settings.SITE_URL.rstrip("/") + reverse("devices:not_me", args=[not_me_token(device)])
    context = {"device": device, "user": device.user, "not_me_url": url}
    body = render_to_string("devices/email/new_device.txt", context)
    send_mail(subject, body, None, [device.user.email])


def password_changed_send(*, user: User, detail: str) -> None:
    """Tell the account holder their password changed, and what happened to the other devices."""
    url = settings.SITE_URL.rstrip("/") + reverse("devices:list")
    body = render_to_string(
        "devices/email/password_changed.txt", {"user": user, "detail": detail, "devices_url": url}
    )
    send_mail("Your StreamGuard password was changed", body, None, [user.email])
