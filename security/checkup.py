"""What the Account hub and the Security checkup read: where each part of the account stands.

Reads only, in a fixed number of queries whatever the size of the account's history: each
list is one queryset of the app that owns it, each count one aggregate."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, Max, Min, Q
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticToken
from django_otp_webauthn.models import WebAuthnCredential

from accounts.models import SecurityEvent, User
from devices.models import Device
from mfa import twostep
from mfa.events import TwoStepEvent

from .events import SecurityFlowEvent

# A sign-in from a new country or a device never seen before stays marked this long, whether
# or not its banner was dismissed: a person who looks a week later still sees it.
MARK_DAYS = 14
# How far back the checkup counts failed sign-ins and PIN locks.
RECENT_DAYS = 30
# parental's kind for a PIN-entry lock. security does not import parental (it sits beside
# it), so the log is read by the kind's stored value.
PIN_LOCKED = "pin_locked"
# Fewer recovery codes than this left: the checkup suggests new ones.
CODES_LOW = 3
PASSWORD_KINDS = (
    SecurityEvent.Kind.PASSWORD_CHANGED,
    SecurityEvent.Kind.PASSWORD_RESET,
    SecurityFlowEvent.ACCOUNT_SECURED,
)


@dataclass(frozen=True)
class AccountState:
    """The Account hub's states: "Two-step verification: Off", "3 devices signed in"."""

    two_step_on: bool
    devices_signed_in: int
    email_verified: bool


def account_state(user: User) -> AccountState:
    """Where the hub's entries stand (the parental PIN is asked of parental's template tag)."""
    return AccountState(
        two_step_on=twostep.two_step_enabled(user),
        devices_signed_in=Device.objects.for_account(user).signed_in().count(),
        email_verified=user.email_verified_at is not None,
    )


@dataclass(frozen=True)
class DeviceLine:
    """A signed-in device and its marks: "new_country", "new_device" (within MARK_DAYS)."""

    device: Device
    marks: tuple[str, ...]


@dataclass(frozen=True)
class Checkup:
    """One status per item of the Security checkup."""

    devices: list[DeviceLine]
    failed_sign_ins: int
    pin_locks: int
    two_step_on: bool
    passkeys: int
    recovery_codes_left: int
    password_changed_at: datetime
    email_verified: bool
    language: str

    @property
    def marked(self) -> list[Device]:
        """The signed-in devices from a new country or never seen before (two weeks)."""
        return [line.device for line in self.devices if line.marks]

    @property
    def codes_low(self) -> bool:
        return self.two_step_on and self.recovery_codes_left < CODES_LOW

    @property
    def attention(self) -> int:
        """How many items ask for something: the page's summary line."""
        return sum(
            [
                bool(self.marked),
                bool(self.failed_sign_ins or self.pin_locks),
                not self.two_step_on,
                self.codes_low,
                not self.email_verified,
            ]
        )


def _marked(devices: list[Device], *, first_seen: datetime | None) -> list[DeviceLine]:
    """Each device with its marks: from a new country, or never seen before, for MARK_DAYS.

    The account's first device is never "new": every device of a week-old account would be.
    """
    since = timezone.now() - timedelta(days=MARK_DAYS)
    lines = []
    for device in devices:
        marks = []
        if device.signed_in_at >= since and getattr(device, "country_mark", "") == "new":
            marks.append("new_country")
        if device.first_seen_at >= since and device.first_seen_at != first_seen:
            marks.append("new_device")
        lines.append(DeviceLine(device=device, marks=tuple(marks)))
    return lines


def checkup(user: User) -> Checkup:
    """The Security checkup of an account: its devices (browsers and apps, the suspicious
    ones marked), recent failures, its factors, its password's age, its address, its
    language."""
    mine = Device.objects.for_account(user)
    first_seen = mine.aggregate(first=Min("first_seen_at"))["first"]
    devices = list(mine.signed_in().with_country_marks().recent_first())
    since = timezone.now() - timedelta(days=RECENT_DAYS)
    recent = Q(created_at__gte=since)
    log = SecurityEvent.objects.for_account(user).aggregate(
        failed=Count(
            "pk",
            filter=recent
            & Q(kind__in=[SecurityEvent.Kind.SIGN_IN_FAILED, TwoStepEvent.TWO_STEP_FAILED]),
        ),
        pin_locks=Count("pk", filter=recent & Q(kind=PIN_LOCKED)),
        password=Max("created_at", filter=Q(kind__in=PASSWORD_KINDS)),
    )
    return Checkup(
        devices=_marked(devices, first_seen=first_seen),
        failed_sign_ins=log["failed"],
        pin_locks=log["pin_locks"],
        two_step_on=twostep.two_step_enabled(user),
        passkeys=WebAuthnCredential.objects.filter(user=user, confirmed=True).count(),
        recovery_codes_left=StaticToken.objects.filter(device__user=user).count(),
        password_changed_at=log["password"] or user.date_joined,
        email_verified=user.email_verified_at is not None,
        language=user.language,
    )
