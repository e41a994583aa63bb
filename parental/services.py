"""State changes for parental controls: the PIN and its lock, profile controls, PIN unlocks.

Reads (what a profile may see, whether it is locked, whether a PIN is set) are in policy.py.
A change is logged with where it came from: an accounts.origin.Origin of plain values, which
a view builds with devices.http.request_origin; no service here reads the request."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime, timedelta
from datetime import time as dt_time
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.emails import account_mail_send
from accounts.gate import Purpose, confirm_password_url
from accounts.language import account_time, in_account_language
from accounts.models import Profile, SecurityEvent, User
from accounts.origin import Origin
from accounts.services import security_event_log
from catalog.models import Title
from parental.events import ParentalCode, ParentalEvent

from .events import VIEWING_HOURS, parental_what, parental_who
from .models import MaturityLevel, ParentalPin, PinUnlock, ProfileControls, ViewingWindow
from .policy import end_of_day

MAX_WRONG_PINS = 5
TITLE_UNLOCK = timedelta(hours=4)
Code = SecurityEvent.Code


class PinCheck(enum.Enum):
    OK = "ok"
    WRONG = "wrong"
    LOCKED = "locked"
    NO_PIN = "no_pin"


@dataclass(frozen=True)
class PinResult:
    check: PinCheck
    attempts_left: int = 0
    locked_at: datetime | None = None

    @property
    def ok(self) -> bool:
        return self.check is PinCheck.OK


@transaction.atomic
def pin_set(*, origin: Origin, user: User, pin: str) -> None:
    """Set or change the account's parental PIN (stored hashed, never logged).

    Profile locks kept while there was no PIN are active again from now on."""
    existing = ParentalPin.objects.select_for_update().filter(user=user).first()
    kind = ParentalEvent.PIN_CHANGED if existing else ParentalEvent.PIN_SET
    ParentalPin.objects.update_or_create(
        user=user,
        defaults={"pin_hash": make_password(pin), "failed_attempts": 0, "locked_at": None},
    )
    _tell(origin, user, kind, ParentalCode.PIN_CHANGED if existing else ParentalCode.PIN_SET)


@transaction.atomic
def pin_remove(*, origin: Origin, user: User) -> bool:
    """Remove the PIN: profiles locked with it open without it, until a PIN is set again."""
    deleted, _ = ParentalPin.objects.filter(user=user).delete()
    if deleted:
        # The locks stay as settings ("Lock needs a PIN"); policy.profile_needs_pin ignores them.
        _tell(origin, user, ParentalEvent.PIN_REMOVED, ParentalCode.PIN_REMOVED)
    return bool(deleted)


def pin_verify(*, origin: Origin, user: User, pin: str) -> PinResult:
    """Check a PIN in constant time; five wrong in a row lock PIN entry for the account
    until the account holder re-enters the password (waiting never lifts it)."""
    with transaction.atomic():
        record = ParentalPin.objects.select_for_update().filter(user=user).first()
        if record is None:
            return PinResult(PinCheck.NO_PIN)
        if record.is_locked:
            # Refused without even looking at the PIN.
            return PinResult(PinCheck.LOCKED, locked_at=record.locked_at)
        if check_password(pin, record.pin_hash):
            if record.failed_attempts:
                record.failed_attempts = 0
                record.save(update_fields=["failed_attempts", "updated_at"])
            return PinResult(PinCheck.OK)
        record.failed_attempts += 1
        if record.failed_attempts < MAX_WRONG_PINS:
            record.save(update_fields=["failed_attempts", "updated_at"])
            return PinResult(PinCheck.WRONG, attempts_left=MAX_WRONG_PINS - record.failed_attempts)
        record.failed_attempts = 0
        record.locked_at = timezone.now()
        record.save(update_fields=["failed_attempts", "locked_at", "updated_at"])
        event = _log(
            origin,
            user,
            ParentalEvent.PIN_LOCKED,
            ParentalCode.PIN_WRONG,
            {"count": MAX_WRONG_PINS},
        )
        locked_at = record.locked_at
        transaction.on_commit(lambda: _send_lock_email(user=user, event=event, locked_at=locked_at))
        return PinResult(PinCheck.LOCKED, locked_at=record.locked_at)


@transaction.atomic
def pin_lock_lift(*, origin: Origin, user: User) -> bool:
    """The account password was re-entered: PIN entry opens again, with five fresh tries."""
    lifted = ParentalPin.objects.filter(user=user, locked_at__isnull=False).update(
        locked_at=None, failed_attempts=0
    )
    if lifted:
        _log(origin, user, ParentalEvent.PARENTAL_CHANGED, ParentalCode.PIN_UNLOCKED)
    return bool(lifted)


def _send_lock_email(*, user: User, event: SecurityEvent, locked_at: datetime) -> None:
    gate = confirm_password_url(reverse("parental_pin"), purpose=Purpose.PARENTAL_PIN)
    link = settings.SITE_URL.rstrip("/") + gate
    device = event.params.get("device", "")
    count = int(event.params.get("count", MAX_WRONG_PINS))

    def subject() -> str:
        if device:
            return ngettext(
                "%(count)d wrong PIN attempt on %(device)s",
                "%(count)d wrong PIN attempts on %(device)s",
                count,
            ) % {"count": count, "device": device}
        return ngettext(
            "%(count)d wrong PIN attempt on an unknown device",
            "%(count)d wrong PIN attempts on an unknown device",
            count,
        ) % {"count": count}

    with in_account_language(user):
        who, when = parental_who(event.params), account_time(user, locked_at)
    account_mail_send(
        user=user,
        subject=subject,
        template="parental/email/pin_locked.txt",
        context={"user": user, "count": count, "who": who, "when": when, "link": link},
    )


def _log(
    origin: Origin, user: User, kind: str, code: str, params: dict[str, Any] | None = None
) -> SecurityEvent:
    """Log a parental change or guess with where it came from (device and profile in use)."""
    who = {"device": origin.device_name, "profile": origin.profile}
    return security_event_log(
        user=user,
        kind=kind,
        device=origin.device,
        ip=origin.ip,
        code=code,
        params={**(params or {}), **who},
    )


def _tell(
    origin: Origin, user: User, kind: str, code: str, params: dict[str, Any] | None = None
) -> None:
    """Log a parental change and e-mail the account holder about it, after the commit."""
    event = _log(origin, user, kind, code, params)
    at = timezone.now()
    transaction.on_commit(lambda: _send_change_email(user=user, event=event, at=at))


def _send_change_email(*, user: User, event: SecurityEvent, at: datetime) -> None:
    with in_account_language(user):
        what = parental_what(event.code, event.params)
        who, when = parental_who(event.params), account_time(user, at)
        subject = (_("Parental controls changed: %(what)s") % {"what": what})[:200]
    account_mail_send(
        user=user,
        subject=subject,
        template="parental/email/changed.txt",
        context={"user": user, "what": what, "who": who, "when": when},
    )


def controls_for(profile: Profile) -> ProfileControls:
    """The profile's controls, created on first use (Kids profiles start at "Older kids")."""
    controls, _ = ProfileControls.objects.get_or_create(
        profile=profile,
        defaults={
            "maturity": MaturityLevel.OLDER_KIDS if profile.is_kids else MaturityLevel.ADULTS_18
        },
    )
    return controls


@transaction.atomic
def controls_update(
    *,
    origin: Origin,
    profile: Profile,
    changes: dict[str, Any],
    windows: dict[int, tuple[dt_time, dt_time]] | None = None,
) -> list[str]:
    """Save changed settings (and viewing hours) of a profile, log them; returns the names
    of what changed (fields, or "viewing_hours")."""
    controls = controls_for(profile)
    # The log keeps the fields' names, worded in the reader's language when read.
    keys: list[str] = []
    for field, value in changes.items():
        if getattr(controls, field) != value:
            setattr(controls, field, value)
            keys.append(field)
    if keys:
        controls.save()
    if windows is not None:
        current = {w.weekday: (w.starts, w.ends) for w in controls.windows.all()}
        if current != windows:
            controls.windows.all().delete()
            ViewingWindow.objects.bulk_create(
                ViewingWindow(controls=controls, weekday=day, starts=starts, ends=ends)
                for day, (starts, ends) in windows.items()
            )
            keys.append(VIEWING_HOURS)
    if keys:
        _tell(
            origin,
            profile.user,
            ParentalEvent.PARENTAL_CHANGED,
            ParentalCode.CONTROLS_CHANGED,
            {"for": profile.name, "settings": keys},
        )
    return keys


@transaction.atomic
def title_block(*, origin: Origin, profile: Profile, title: Title, blocked: bool) -> None:
    """Add a title to, or take it off, the profile's blocked titles."""
    controls = controls_for(profile)
    if blocked:
        controls.blocked_titles.add(title)
    else:
        controls.blocked_titles.remove(title)
    _tell(
        origin,
        profile.user,
        ParentalEvent.PARENTAL_CHANGED,
        ParentalCode.TITLE_BLOCKED if blocked else ParentalCode.TITLE_UNBLOCKED,
        {"for": profile.name, "title": title.name},
    )


@transaction.atomic
def time_zone_set(*, origin: Origin, user: User, time_zone: str) -> bool:
    """Set the account's time zone, which viewing hours and daily limits follow."""
    if user.time_zone == time_zone:
        return False
    user.time_zone = time_zone
    user.save(update_fields=["time_zone"])
    _tell(
        origin,
        user,
        ParentalEvent.PARENTAL_CHANGED,
        ParentalCode.TIME_ZONE_SET,
        {"zone": time_zone},
    )
    return True


# PIN unlocks belong to one profile on one device (the title for 4 hours, hours for the day).


def unlock_title(*, profile: Profile, device_id: str | None, title: Title) -> bool:
    """The right PIN opens a title above the profile's level, on this device, for 4 hours."""
    return _unlock(profile, device_id, PinUnlock.Kind.TITLE, timezone.now() + TITLE_UNLOCK, title)


def unlock_hours(*, profile: Profile, device_id: str | None) -> bool:
    """The right PIN lifts viewing hours and the daily limit on this device until midnight."""
    return _unlock(profile, device_id, PinUnlock.Kind.HOURS, end_of_day(profile.user))


def _unlock(
    profile: Profile, device_id: str | None, kind: str, until: datetime, title: Title | None = None
) -> bool:
    if not device_id:
        return False  # a session with no device has nowhere to keep the unlock
    _forget_expired_unlocks(profile)
    PinUnlock.objects.create(
        profile=profile, device_id=device_id, kind=kind, title=title, until=until
    )
    return True


def _forget_expired_unlocks(profile: Profile) -> None:
    PinUnlock.objects.filter(profile=profile, until__lte=timezone.now()).delete()
