"""The security log in words: an event stores a kind, a code and data; this module words
them in the active language when the log is read (the page, the admin, the export, e-mails).

Every phrase is one whole translatable sentence with named placeholders."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from .models import SecurityEvent

if TYPE_CHECKING:
    from collections.abc import Mapping

Code = SecurityEvent.Code

# Parental settings a change names, by field; kept here (accounts imports no parental) with
# the same English words the parental controls form shows.
SETTING_LABELS: dict[str, Promise] = {
    "maturity": gettext_lazy("Maturity level"),
    "locked": gettext_lazy("Require the PIN to open this profile"),
    "daily_limit_minutes": gettext_lazy("Daily limit (minutes)"),
    "viewing_hours": gettext_lazy("Viewing hours"),
}

PARENTAL_CODES = frozenset(
    {
        Code.PIN_WRONG,
        Code.PIN_SET,
        Code.PIN_CHANGED,
        Code.PIN_REMOVED,
        Code.PIN_UNLOCKED,
        Code.CONTROLS_CHANGED,
        Code.TITLE_BLOCKED,
        Code.TITLE_UNBLOCKED,
        Code.TIME_ZONE_SET,
    }
)


def _fixed_phrases() -> dict[str, str]:
    return {
        Code.WITH_PASSKEY: _("with a passkey"),
        Code.NOT_ME: _("reported as not you"),
        Code.ONE_KEPT: _("one device kept signed in"),
        Code.EVERY_DEVICE: _("every device"),
        Code.OTHERS_SIGNED_OUT: _("other devices signed out"),
        Code.OTHERS_KEPT: _("other devices kept signed in"),
        Code.SET_BY_SUPPORT: _("set by support; every device signed out"),
        Code.EMAIL_CHANGE_STOPPED: _("change stopped, every device signed out, changes locked"),
    }


def setting_label(key: str) -> str:
    """A parental setting's name; one this version does not know stays as it was stored."""
    label = SETTING_LABELS.get(key)
    return str(label) if label is not None else key


def parental_what(code: str, params: Mapping[str, Any]) -> str:
    """What a parental change was: "Parental PIN set", "Kids: Harbour Lights blocked"."""
    profile = params.get("for", "")
    if code == Code.PIN_WRONG:
        count = int(params.get("count", 0))
        return ngettext("%(count)d wrong PIN", "%(count)d wrong PINs", count) % {"count": count}
    if code == Code.PIN_SET:
        return _("Parental PIN set")
    if code == Code.PIN_CHANGED:
        return _("Parental PIN changed")
    if code == Code.PIN_REMOVED:
        return _("Parental PIN removed")
    if code == Code.PIN_UNLOCKED:
        return _("PIN entry unlocked by the password")
    if code == Code.CONTROLS_CHANGED:
        settings = ", ".join(setting_label(key) for key in params.get("settings", []))
        return _("%(profile)s: %(settings)s changed") % {"profile": profile, "settings": settings}
    if code == Code.TITLE_BLOCKED:
        return _("%(profile)s: %(title)s blocked") % {
            "profile": profile,
            "title": params.get("title", ""),
        }
    if code == Code.TITLE_UNBLOCKED:
        return _("%(profile)s: %(title)s unblocked") % {
            "profile": profile,
            "title": params.get("title", ""),
        }
    if code == Code.TIME_ZONE_SET:
        return _("Time zone set to %(zone)s") % {"zone": params.get("zone", "")}
    return ""


def parental_who(params: Mapping[str, Any]) -> str:
    """Where a parental change or guess came from: "on Chrome on Windows, profile Kids"."""
    device, profile = params.get("device") or "", params.get("profile") or ""
    if device and profile:
        return _("on %(device)s, profile %(profile)s") % {"device": device, "profile": profile}
    if device:
        return _("on %(device)s") % {"device": device}
    if profile:
        return _("on an unknown device, profile %(profile)s") % {"profile": profile}
    return _("on an unknown device")


def event_detail(event: SecurityEvent) -> str:
    """The event's detail in the active language ("" when it has none)."""
    code, params = event.code, event.params or {}
    if not code:
        return event.detail
    fixed = _fixed_phrases().get(code)
    if fixed is not None:
        return fixed
    if code == Code.LIMITED_24H:
        return _("%(device)s, 24 hours only") % {"device": event.detail}
    if code in PARENTAL_CODES:
        # Translators: a parental change, then where it came from in brackets.
        return _("%(what)s (%(who)s)") % {
            "what": parental_what(code, params),
            "who": parental_who(params),
        }
    # A code this version does not know: its data is all there is to show.
    return event.detail


def event_description(event: SecurityEvent) -> str:
    """The whole entry in words: "Password changed (other devices signed out)"."""
    what, detail = str(event.get_kind_display()), event_detail(event)
    if event.actor:
        if detail:
            return _("%(what)s (%(detail)s) by support") % {"what": what, "detail": detail}
        return _("%(what)s by support") % {"what": what}
    if detail:
        return _("%(what)s (%(detail)s)") % {"what": what, "detail": detail}
    return what
