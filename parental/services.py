"""State changes for parental controls: the PIN and its lock, profile controls, PIN unlocks.

Reads (what a profile may see, whether it is locked, whether a PIN is set) are in policy.py."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime, timedelta
from datetime import time as dt_time
from typing import TYPE_CHECKING, Any

from django.contrib.auth.hashers import check_password, make_password
from django.core.mail import send_mail
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from accounts.http import client_ip
from accounts.models import Profile, SecurityEvent, User
from accounts.services import security_event_log
from catalog.models import Title
from devices.services import current_device

from .models import MaturityLevel, ParentalPin, PinUnlock, ProfileControls, ViewingWindow
from .policy import end_of_day

if TYPE_CHECKING:
    from devices.models import Device

MAX_WRONG_PINS = 5
PIN_LOCK = timedelta(minutes=30)
TITLE_UNLOCK = timedelta(hours=4)


class PinCheck(enum.Enum):
    OK = "ok"
    WRONG = "wrong"
    LOCKED = "locked"
    NO_PIN = "no_pin"


@dataclass(frozen=True)
class PinResult:
    check: PinCheck
    attempts_left: int = 0
    locked_until: datetime | None = None

    @property
    def ok(self) -> bool:
        return self.check is PinCheck.OK


@transaction.atomic
def pin_set(*, request: HttpRequest, user: User, pin: str) -> None:
    """Set or change the account's parental PIN (stored hashed, never logged)."""
    existing = ParentalPin.objects.select_for_update().filter(user=user).first()
    kind = SecurityEvent.Kind.PIN_CHANGED if existing else SecurityEvent.Kind.PIN_SET
    ParentalPin.objects.update_or_create(
        user=user,
        defaults={"pin_hash": make_password(pin), "failed_attempts": 0, "locked_until": None},
    )
    _log(request, user, kind)


@transaction.atomic
def pin_remove(*, request: HttpRequest, user: User) -> None:
    """Remove the PIN: locked profiles and PIN-gated titles need it no more."""
    deleted, _ = ParentalPin.objects.filter(user=user).delete()
    if deleted:
        ProfileControls.objects.filter(profile__user=user, locked=True).update(locked=False)
        _log(request, user, SecurityEvent.Kind.PIN_REMOVED)


def pin_verify(*, request: HttpRequest, user: User, pin: str) -> PinResult:
    """Check a PIN in constant time; five wrong in a row lock PIN entry for the account."""
    with transaction.atomic():
        record = ParentalPin.objects.select_for_update().filter(user=user).first()
        if record is None:
            return PinResult(PinCheck.NO_PIN)
        if record.is_locked:
            # Refused without even looking at the PIN.
            return PinResult(PinCheck.LOCKED, locked_until=record.locked_until)
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
        record.locked_until = timezone.now() + PIN_LOCK
        record.save(update_fields=["failed_attempts", "locked_until", "updated_at"])
        device = _log(request, user, SecurityEvent.Kind.PIN_LOCKED, detail="5 wrong PINs")
        device_name = device.name if device is not None else "an unknown device"
        transaction.on_commit(lambda: _send_lock_email(user=user, device_name=device_name))
        return PinResult(PinCheck.LOCKED, locked_until=record.locked_until)


def _send_lock_email(*, user: User, device_name: str) -> None:
    send_mail(
        f"{MAX_WRONG_PINS} wrong PIN attempts on {device_name}",
        f"Hi {user.name},\n\nSomeone entered a wrong parental PIN {MAX_WRONG_PINS} times in a row "
        f"on {device_name}. PIN entry is locked for {int(PIN_LOCK.total_seconds() // 60)} minutes "
        "on every device of your account. Nobody was signed out.\n\n"
        "If this wasn't someone in your household, review your devices and change your PIN.\n\n"
        "StreamGuard\n",
        None,
        [user.email],
    )


def _log(request: HttpRequest, user: User, kind: str, detail: str = "") -> Device | None:
    device = current_device(request, user=user) if request.user.is_authenticated else None
    security_event_log(user=user, kind=kind, device=device, ip=client_ip(request), detail=detail)
    return device


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
    request: HttpRequest,
    profile: Profile,
    changes: dict[str, Any],
    windows: dict[int, tuple[dt_time, dt_time]] | None = None,
) -> list[str]:
    """Save changed settings (and viewing hours) of a profile, log them; returns what changed."""
    controls = controls_for(profile)
    changed: list[str] = []
    for field, value in changes.items():
        if getattr(controls, field) != value:
            setattr(controls, field, value)
            changed.append(
                str(getattr(ProfileControls._meta.get_field(field), "verbose_name", field))
            )
    if changed:
        controls.save()
    if windows is not None:
        current = {w.weekday: (w.starts, w.ends) for w in controls.windows.all()}
        if current != windows:
            controls.windows.all().delete()
            ViewingWindow.objects.bulk_create(
                ViewingWindow(controls=controls, weekday=day, starts=starts, ends=ends)
                for day, (starts, ends) in windows.items()
            )
            changed.append("Viewing hours")
    if changed:
        _log(
            request,
            profile.user,
            SecurityEvent.Kind.PARENTAL_CHANGED,
            detail=f"{profile.name}: {', '.join(changed)}",
        )
    return changed


@transaction.atomic
def title_block(*, request: HttpRequest, profile: Profile, title: Title, blocked: bool) -> None:
    """Add a title to, or take it off, the profile's blocked titles."""
    controls = controls_for(profile)
    if blocked:
        controls.blocked_titles.add(title)
    else:
        controls.blocked_titles.remove(title)
    _log(
        request,
        profile.user,
        SecurityEvent.Kind.PARENTAL_CHANGED,
        detail=f"{profile.name}: {'blocked' if blocked else 'unblocked'} {title.name}",
    )


@transaction.atomic
def time_zone_set(*, request: HttpRequest, user: User, time_zone: str) -> bool:
    """Set the account's time zone, which viewing hours and daily limits follow."""
    if user.time_zone == time_zone:
        return False
    user.time_zone = time_zone
    user.save(update_fields=["time_zone"])
    _log(request, user, SecurityEvent.Kind.PARENTAL_CHANGED, detail=f"time zone: {time_zone}")
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
