"""The security log in words: an event stores a kind, a code and data; this module words
them in the active language when the log is read (the page, the admin, the export, e-mails).

Every phrase is one whole translatable sentence with named placeholders."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.db.models import TextChoices
from django.utils.translation import gettext as _

from .gate import purpose_from
from .models import SecurityEvent

Code = SecurityEvent.Code

# Each app names and words its own kinds and codes, registered in its AppConfig.ready(): the
# log's `kind` column has no choices, so a new kind in any app needs no accounts migration.
_KINDS: dict[str, str] = {}
_WORDINGS: dict[str, Callable[[SecurityEvent], str]] = {}


def kinds_register(kinds: type[TextChoices]) -> None:
    """Name these kinds of entry (their labels are read in the reader's language)."""
    for kind in kinds:
        _KINDS[kind.value] = kind.label


def kind_choices() -> list[tuple[str, str]]:
    """Every registered kind with its name in the active language (the admin's filter)."""
    return sorted(((kind, str(label)) for kind, label in _KINDS.items()), key=lambda c: c[1])


def kind_label(kind: str) -> str:
    """What an entry of this kind is, in the active language; an unknown kind as stored."""
    label = _KINDS.get(kind)
    return str(label) if label is not None else kind


def wording_register(codes: Iterable[str], wording: Callable[[SecurityEvent], str]) -> None:
    """Word these codes' events with `wording` when the log is read."""
    for code in codes:
        _WORDINGS[code] = wording


def _fixed_phrases() -> dict[str, str]:
    return {
        Code.WITH_PASSKEY: _("with a passkey"),
        Code.OTHERS_SIGNED_OUT: _("other devices signed out"),
        Code.OTHERS_KEPT: _("other devices kept signed in"),
        Code.SET_BY_SUPPORT: _("set by support; every device signed out"),
        Code.EMAIL_CHANGE_STOPPED: _("change stopped, every device signed out, changes locked"),
    }


def _purpose(event: SecurityEvent) -> str:
    """What a password check was for ("to approve this TV"), or "" if it does not say."""
    if event.kind != SecurityEvent.Kind.PASSWORD_CONFIRMED or "purpose" not in event.params:
        return ""
    return str(purpose_from(event.params["purpose"]).label)


def event_detail(event: SecurityEvent) -> str:
    """The event's detail in the active language ("" when it has none)."""
    code = event.code
    if not code:
        return event.detail
    if code == Code.FOR_PURPOSE:
        return _purpose(event)
    fixed = _fixed_phrases().get(code)
    if fixed is not None:
        return fixed
    wording = _WORDINGS.get(code)
    if wording is not None:
        return wording(event)
    # A code this version does not know: its data is all there is to show.
    return event.detail


def event_what(event: SecurityEvent) -> str:
    """What happened: the kind, and for a password check what it was for
    ("Password confirmed to approve this TV")."""
    what = kind_label(event.kind)
    if purpose := _purpose(event):
        # Translators: a password check and what it was for, e.g. "Password confirmed" and
        # "to approve this TV".
        what = _("%(what)s %(purpose)s") % {"what": what, "purpose": purpose}
    return what


def event_remark(event: SecurityEvent) -> str:
    """The detail shown beside event_what: none when the purpose was all it had to say."""
    return "" if event.code == Code.FOR_PURPOSE else event_detail(event)


def event_description(event: SecurityEvent) -> str:
    """The whole entry in words: "Password changed (other devices signed out)"."""
    what, detail = event_what(event), event_remark(event)
    if event.actor:
        if detail:
            return _("%(what)s (%(detail)s) by support") % {"what": what, "detail": detail}
        return _("%(what)s by support") % {"what": what}
    if detail:
        return _("%(what)s (%(detail)s)") % {"what": what, "detail": detail}
    return what
