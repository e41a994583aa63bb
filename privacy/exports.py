"""'Download your data': one ZIP of everything the account holds, streamed as it is written.

The standard library's zipfile writes to a stream it cannot seek (each entry's sizes follow
its data), so the archive goes out through a sink that hands its bytes to the response as
they come; every table is read with .iterator(), a chunk of rows at a time. Memory stays
flat however long the history is (bench/data_export.py measures it).
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Callable, Iterable, Iterator
from datetime import date, datetime, time
from typing import Any

from django.db.models import QuerySet
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from accounts.events import event_detail, kind_label
from accounts.language import in_account_language
from accounts.models import Profile, SecurityEvent, User
from catalog.exports import formula_safe
from catalog.models import Viewing
from devices.models import Device
from parental.models import ParentalPin, ProfileControls

CHUNK_ROWS = 1000
FLUSH_BYTES = 64 * 1024

Rows = Callable[[User], Iterable[dict[str, Any]]]


class _Sink(io.RawIOBase):
    """A write-only stream that keeps what was written until drained (zipfile's output)."""

    def __init__(self) -> None:
        self._chunks: list[bytes] = []
        self.size = 0

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        chunk = bytes(data)
        self._chunks.append(chunk)
        self.size += len(chunk)
        return len(chunk)

    def drain(self) -> bytes:
        data = b"".join(self._chunks)
        self._chunks.clear()
        self.size = 0
        return data


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if value is None or isinstance(value, bool | int | float | str | list | dict):
        return value
    return str(value)


def _cell(value: Any) -> str:
    return formula_safe("" if value is None else str(_plain(value)))


def _values(queryset: QuerySet[Any], **names: str) -> Iterator[dict[str, Any]]:
    """Rows of a queryset as {exported name: value}, CHUNK_ROWS at a time."""
    for row in queryset.values_list(*names.values()).iterator(chunk_size=CHUNK_ROWS):
        yield dict(zip(names, row, strict=True))


def account_rows(user: User) -> Iterator[dict[str, Any]]:
    passkeys = WebAuthnCredential.objects.filter(user=user).order_by("created_at")
    pin = ParentalPin.objects.filter(user=user).first()
    yield {
        "email": user.email,
        "name": user.name,
        "date_joined": user.date_joined,
        "email_verified_at": user.email_verified_at,
        "time_zone": user.time_zone,
        "last_login": user.last_login,
        "two_step_verification": TOTPDevice.objects.filter(user=user, confirmed=True).exists(),
        "passkeys": "; ".join(
            f"{p.name} (added {_plain(p.created_at)}, last used {_plain(p.last_used_at)})"
            for p in passkeys
        ),
        "parental_pin_set": pin is not None,
    }


def profile_rows(user: User) -> Iterator[dict[str, Any]]:
    return _values(
        Profile.objects.for_account(user).order_by("created_at", "id"),
        id="public_id",
        name="name",
        colour="colour",
        kids="is_kids",
        created_at="created_at",
    )


def device_rows(user: User) -> Iterator[dict[str, Any]]:
    return _values(
        Device.objects.for_account(user).order_by("first_seen_at", "id"),
        id="id",
        kind="kind",
        name="name",
        ip="ip",
        city="city",
        country="country",
        user_agent="user_agent",
        first_seen_at="first_seen_at",
        signed_in_at="signed_in_at",
        last_seen_at="last_seen_at",
        signed_out_at="signed_out_at",
        signed_out_reason="signed_out_reason",
    )


def viewing_rows(user: User) -> Iterator[dict[str, Any]]:
    return _values(
        Viewing.objects.filter(user=user).order_by("profile_id", "started_at", "id"),
        profile="profile__name",
        title="title__name",
        started_at="started_at",
        watched_seconds="position_seconds",
        completed="completed",
        device="device_name",
        ip="ip",
        city="city",
        country="country",
        hidden_at="hidden_at",
    )


def security_rows(user: User) -> Iterator[dict[str, Any]]:
    events = (
        SecurityEvent.objects.for_account(user)
        .order_by("created_at", "id")
        .only(
            "created_at",
            "kind",
            "device_name",
            "ip",
            "location",
            "detail",
            "code",
            "params",
            "actor",
        )
    )
    for event in events.iterator(chunk_size=CHUNK_ROWS):
        # The log stores codes: worded here in the account's language, as its page shows them.
        with in_account_language(user):
            what, detail = kind_label(event.kind), event_detail(event)
        yield {
            "at": event.created_at,
            "kind": event.kind,
            "what": what,
            "device": event.device_name,
            "ip": event.ip,
            "location": event.location,
            "detail": detail,
            "by": event.actor,
        }


def parental_rows(user: User) -> Iterator[dict[str, Any]]:
    controls = (
        ProfileControls.objects.filter(profile__user=user)
        .select_related("profile")
        .prefetch_related("blocked_titles", "windows")
        .order_by("profile__created_at")
    )
    for item in controls:
        yield {
            "profile": item.profile.name,
            "maturity": item.get_maturity_display(),
            "profile_lock": item.locked,
            "daily_limit_minutes": item.daily_limit_minutes,
            "blocked_titles": "; ".join(sorted(t.name for t in item.blocked_titles.all())),
            "viewing_hours": "; ".join(
                f"{w.get_weekday_display()} {w.starts:%H:%M}-{w.ends:%H:%M}"
                for w in item.windows.all()
            ),
        }


TABLES: list[tuple[str, Rows]] = [
    ("account", account_rows),
    ("profiles", profile_rows),
    ("devices", device_rows),
    ("viewing_history", viewing_rows),
    ("security_log", security_rows),
    ("parental_controls", parental_rows),
]


def _csv_lines(rows: Iterable[dict[str, Any]]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    header = False
    for row in rows:
        if not header:
            writer.writerow(row.keys())
            header = True
        writer.writerow(_cell(value) for value in row.values())
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()


def _json_lines(rows: Iterable[dict[str, Any]]) -> Iterator[str]:
    yield "["
    for n, row in enumerate(rows):
        text = json.dumps({key: _plain(value) for key, value in row.items()}, ensure_ascii=False)
        yield ("," if n else "") + "\n  " + text
    yield "\n]\n"


def data_export_zip(user: User) -> Iterator[bytes]:
    """The account's data as a ZIP (a CSV and a JSON file per table), chunk by chunk."""
    sink = _Sink()
    with zipfile.ZipFile(sink, mode="w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, rows in TABLES:
            for extension, lines in (("csv", _csv_lines), ("json", _json_lines)):
                # force_zip64: the size of an entry is unknown until it is written.
                with archive.open(f"{name}.{extension}", mode="w", force_zip64=True) as entry:
                    # Lines go to the compressor in batches: one call per row costs more.
                    batch: list[bytes] = []
                    batch_size = 0
                    for line in lines(rows(user)):
                        batch.append(line.encode())
                        batch_size += len(batch[-1])
                        if batch_size >= FLUSH_BYTES:
                            entry.write(b"".join(batch))
                            batch.clear()
                            batch_size = 0
                            if sink.size >= FLUSH_BYTES:
                                yield sink.drain()
                    entry.write(b"".join(batch))
                yield sink.drain()
        archive.writestr("README.txt", README)
    yield sink.drain()


README = """Your StreamGuard data

Each table comes twice: as CSV (for a spreadsheet) and as JSON.

account            your account: e-mail, name, two-step verification, passkeys, PIN set or not
profiles           the profiles of the account
devices            every device that signed in, with its IP addresses and locations
viewing_history    what every profile watched, when, on which device and from where
security_log       the account's "Security activity"
parental_controls  each profile's maturity level, lock, blocked titles and viewing hours

Secrets are not included: no password, PIN, authenticator key or recovery code.
"""
