"""E-mails about devices: a new sign-in, a password change."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.emails import account_mail_send
from accounts.events import event_detail
from accounts.language import account_datetime, in_account_language

if TYPE_CHECKING:
    from accounts.models import SecurityEvent, User

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
    user = device.user
    url = settings.SITE_URL.rstrip("/") + reverse("not_me", args=[not_me_token(device)])

    def subject() -> str:
        if device.known_location:
            return _("New sign-in on %(device)s near %(location)s") % {
                "device": device.display_name,
                "location": device.known_location,
            }
        return _("New sign-in on %(device)s") % {"device": device.display_name}

    with in_account_language(user):
        signed_in = account_datetime(user, device.signed_in_at)
    account_mail_send(
        user=user,
        subject=subject,
        template="devices/email/new_device.txt",
        context={"device": device, "user": user, "not_me_url": url, "signed_in": signed_in},
    )


def password_changed_send(*, user: User, event: SecurityEvent) -> None:
    """Tell the account holder their password changed, and what happened to the other devices."""
    url = settings.SITE_URL.rstrip("/") + reverse("devices:list")
    with in_account_language(user):
        detail = event_detail(event)
    account_mail_send(
        user=user,
        subject=gettext_lazy("Your StreamGuard password was changed"),
        template="devices/email/password_changed.txt",
        context={"user": user, "detail": detail, "devices_url": url},
    )
