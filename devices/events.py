"""Devices' entries in the security log: their kinds and codes, worded in the reader's
language when the log is read (registered with accounts.events in DevicesConfig.ready())."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import SecurityEvent


class DeviceEvent(models.TextChoices):
    DEVICE_SIGNED_OUT = "device_signed_out", gettext_lazy("Device signed out remotely")
    ALL_SIGNED_OUT = "all_signed_out", gettext_lazy("Signed out of all devices")
    DEVICE_REMOVED = "device_removed", gettext_lazy("Device removed")
    PAIRING_APPROVED = "pairing_approved", gettext_lazy("TV sign-in approved")
    PAIRING_CANCELLED = "pairing_cancelled", gettext_lazy("TV sign-in cancelled")


class DeviceCode(models.TextChoices):
    NOT_ME = "not_me"
    ONE_KEPT = "one_kept"
    EVERY_DEVICE = "every_device"
    LIMITED_24H = "limited_24h"


def event_detail(event: SecurityEvent) -> str:
    """A device entry's fixed phrase: "every device", "Bravia, 24 hours only"."""
    if event.code == DeviceCode.LIMITED_24H:
        return _("%(device)s, 24 hours only") % {"device": event.detail}
    phrases = {
        DeviceCode.NOT_ME: _("reported as not you"),
        DeviceCode.ONE_KEPT: _("one device kept signed in"),
        DeviceCode.EVERY_DEVICE: _("every device"),
    }
    return phrases.get(DeviceCode(event.code), event.detail)
