"""Parental changes and PIN guesses in the security log, worded in the reader's language.

The log is accounts' (which imports no parental), so parental names its own kinds and words
its own codes, registered in ParentalConfig.ready() as it connects its receivers there."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from accounts.models import SecurityEvent
from devices.names import device_name_shown

from .models import ProfileControls


class ParentalEvent(models.TextChoices):
    PIN_SET = "pin_set", gettext_lazy("Parental PIN set")
    PIN_CHANGED = "pin_changed", gettext_lazy("Parental PIN changed")
    PIN_REMOVED = "pin_removed", gettext_lazy("Parental PIN removed")
    PIN_LOCKED = "pin_locked", gettext_lazy("PIN entry locked after wrong attempts")
    PARENTAL_CHANGED = "parental_changed", gettext_lazy("Parental controls changed")


class ParentalCode(models.TextChoices):
    PIN_WRONG = "pin_wrong"
    PIN_SET = "pin_set"
    PIN_CHANGED = "pin_changed"
    PIN_REMOVED = "pin_removed"
    PIN_UNLOCKED = "pin_unlocked"
    CONTROLS_CHANGED = "controls_changed"
    TITLE_BLOCKED = "title_blocked"
    TITLE_UNBLOCKED = "title_unblocked"
    TIME_ZONE_SET = "time_zone_set"


VIEWING_HOURS = "viewing_hours"  # not a field: the profile's viewing windows


def setting_label(key: str) -> str:
    """A changed setting's name, as the controls page shows it; an unknown one as stored."""
    if key == VIEWING_HOURS:
        return _("Viewing hours")
    try:
        field = ProfileControls._meta.get_field(key)
    except LookupError:
        return key
    return str(getattr(field, "verbose_name", key))


def parental_what(code: str, params: Mapping[str, Any]) -> str:
    """What a parental change was: "Parental PIN set", "Kids: Harbour Lights blocked"."""
    profile = params.get("for", "")
    if code == ParentalCode.PIN_WRONG:
        count = int(params.get("count", 0))
        return ngettext("%(count)d wrong PIN", "%(count)d wrong PINs", count) % {"count": count}
    if code == ParentalCode.PIN_SET:
        return _("Parental PIN set")
    if code == ParentalCode.PIN_CHANGED:
        return _("Parental PIN changed")
    if code == ParentalCode.PIN_REMOVED:
        return _("Parental PIN removed")
    if code == ParentalCode.PIN_UNLOCKED:
        return _("PIN entry unlocked by the password")
    if code == ParentalCode.CONTROLS_CHANGED:
        settings = ", ".join(setting_label(key) for key in params.get("settings", []))
        return _("%(profile)s: %(settings)s changed") % {"profile": profile, "settings": settings}
    if code == ParentalCode.TITLE_BLOCKED:
        return _("%(profile)s: %(title)s blocked") % {
            "profile": profile,
            "title": params.get("title", ""),
        }
    if code == ParentalCode.TITLE_UNBLOCKED:
        return _("%(profile)s: %(title)s unblocked") % {
            "profile": profile,
            "title": params.get("title", ""),
        }
    if code == ParentalCode.TIME_ZONE_SET:
        return _("Time zone set to %(zone)s") % {"zone": params.get("zone", "")}
    return ""


def parental_who(params: Mapping[str, Any]) -> str:
    """Where a parental change or guess came from: "on Chrome on Windows, profile Kids"."""
    device = device_name_shown(params.get("device") or "")
    profile = params.get("profile") or ""
    if device and profile:
        return _("on %(device)s, profile %(profile)s") % {"device": device, "profile": profile}
    if device:
        return _("on %(device)s") % {"device": device}
    if profile:
        return _("on an unknown device, profile %(profile)s") % {"profile": profile}
    return _("on an unknown device")


def event_detail(event: SecurityEvent) -> str:
    """A parental entry's detail: what changed, then where it came from."""
    params = event.params or {}
    # Translators: a parental change, then where it came from in brackets.
    return _("%(what)s (%(who)s)") % {
        "what": parental_what(event.code, params),
        "who": parental_who(params),
    }
