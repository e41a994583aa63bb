"""State changes for parental controls: the PIN and its lock, profile controls, PIN unlocks.

Reads (what a profile may see, whether it is locked, whether a PIN is set) are in policy.py."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime, timedelta
from datetime import time as dt_time
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.core.mail import send_mail
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone, translation

from accounts.decorators import confirm_password_url
from accounts.http import client_ip
from accounts.models import Profile, SecurityEvent, User
from accounts.services import security_event_log
from catalog.models import Title
from devices.models import Device
from devices.services import current_device

from .models import MaturityLevel, ParentalPin, PinUnlock, ProfileControls, ViewingWindow
from .policy import account_time, end_of_day

MAX_WRONG_PINS = 5
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
    locked_at: datetime | None = None

    @property
    def ok(self) -> bool:
        return self.check is PinCheck.OK


@transaction.atomic
def pin_set(*, request: HttpRequest, user: User, pin: str) -> None:
    """Set or change the account's parental PIN (stored hashed, never logged).

    Profile locks kept while there was no PIN are active again from now on."""
    existing = ParentalPin.objects.select_for_update().filter(user=user).first()
    kind = SecurityEvent.Kind.PIN_CHANGED if existing else SecurityEvent.Kind.PIN_SET
    ParentalPin.objects.update_or_create(
        user=user,
        defaults={"pin_hash": make_password(pin), "failed_attempts": 0, "locked_at": None},
    )
    _tell(request, user, kind, "Parental PIN changed" if existing else "Parental PIN set")


@transaction.atomic
def pin_remove(*, request: HttpRequest, user: User) -> bool:
    """Remove the PIN: profiles locked with it open without it, until a PIN is set again."""
    deleted, _ = ParentalPin.objects.filter(user=user).delete()
    if deleted:
        # The locks stay as settings ("Lock needs a PIN"); policy.profile_locked ignores them.
        _tell(request, user, SecurityEvent.Kind.PIN_REMOVED, "Parental PIN removed")
    return bool(deleted)


def pin_verify(*, request: HttpRequest, user: User, pin: str) -> PinResult:
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
        device, who = _log(
            request, user, SecurityEvent.Kind.PIN_LOCKED, f"{MAX_WRONG_PINS} wrong PINs"
        )
        locked_at, device_name = record.locked_at, device.name if device else "an unknown device"
        transaction.on_commit(
            lambda: _send_lock_email(
                user=user, who=who, device_name=device_name, locked_at=locked_at
            )
        )
        return PinResult(PinCheck.LOCKED, locked_at=record.locked_at)


@transaction.atomic
def pin_lock_lift(*, request: HttpRequest, user: User) -> bool:
    """The account password was re-entered: PIN entry opens again, with five fresh tries."""
    lifted = ParentalPin.objects.filter(user=user, locked_at__isnull=False).update(
        locked_at=None, failed_attempts=0
    )
    if lifted:
        _log(
            request, user, SecurityEvent.Kind.PARENTAL_CHANGED, "PIN entry unlocked by the password"
        )
    return bool(lifted)


def _send_lock_email(*, user: User, who: str, device_name: str, locked_at: datetime) -> None:
    link = settings.SITE_URL.rstrip("/") + confirm_password_url(reverse("parental_pin"))
    send_mail(
        f"{MAX_WRONG_PINS} wrong PIN attempts on {device_name}",
        f"Hi {user.name},\n\nSomeone entered a wrong parental PIN {MAX_WRONG_PINS} times in a "
        f"row, {who}, at {account_time(user, locked_at)}.\n\n"
        "PIN entry is now locked on every device of your account until you re-enter your "
        "password. Waiting does not unlock it. Nobody was signed out.\n\n"
        f"To unlock PIN entry, or to set a new PIN, confirm your password here:\n{link}\n\n"
        "If this wasn't someone in your household, review your devices and change your PIN.\n\n"
        "StreamGuard\n",
        None,
        [user.email],
    )


def _who(request: HttpRequest, device: Device | None) -> str:
    """ "on Chrome on Windows, profile Kids": where a change or a guess came from."""
    where = f"on {device.name}" if device is not None else "on an unknown device"
    profile = getattr(request, "profile", None)
    return f"{where}, profile {profile.name}" if profile else where


def _log(request: HttpRequest, user: User, kind: str, detail: str) -> tuple[Device | None, str]:
    device = current_device(request, user=user) if request.user.is_authenticated else None
    who = _who(request, device)
    security_event_log(
        user=user, kind=kind, device=device, ip=client_ip(request), detail=f"{detail} ({who})"
    )
    return device, who


def _tell(request: HttpRequest, user: User, kind: str, what: str) -> None:
    """Log a parental change and e-mail the account holder about it, after the commit."""
    _device, who = _log(request, user, kind, what)
    when = account_time(user, timezone.now())
    transaction.on_commit(
        lambda: send_mail(
            f"Parental controls changed: {what}"[:200],
            f"Hi {user.name},\n\n{what}, {who}, at {when}.\n\n"
            "You can read every change in Security activity. If you didn't make this change, "
            "change your password and your parental PIN.\n\nStreamGuard\n",
            None,
            [user.email],
        )
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
            # The field names are translated for the pages; the log and its e-mail keep
            # the English ones they always had.
            with translation.override("en"):
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
        _tell(
            request,
            profile.user,
            SecurityEvent.Kind.PARENTAL_CHANGED,
            f"{profile.name}: {', '.join(changed)} changed",
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
    _tell(
        request,
        profile.user,
        SecurityEvent.Kind.PARENTAL_CHANGED,
        f"{profile.name}: {title.name} {'blocked' if blocked else 'unblocked'}",
    )


@transaction.atomic
def time_zone_set(*, request: HttpRequest, user: User, time_zone: str) -> bool:
    """Set the account's time zone, which viewing hours and daily limits follow."""
    if user.time_zone == time_zone:
        return False
    user.time_zone = time_zone
    user.save(update_fields=["time_zone"])
    _tell(request, user, SecurityEvent.Kind.PARENTAL_CHANGED, f"Time zone set to {time_zone}")
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
