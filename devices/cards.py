"""What "Manage access and devices" shows of each device, prepared once per page.

The template prints these values as they are: the four links of a card cost no reverse()
each (accounts.links.RowUrl), the date formats are looked up once, and each time is put in
the account's time zone once, instead of template work in every card.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import datetime, tzinfo
from typing import TypedDict

from django.urls import reverse
from django.utils import dateformat, formats, timezone
from django.utils.timesince import timesince
from django.utils.translation import gettext

from accounts.links import RowUrl

from .models import Device


# Dictionaries, not objects: the template engine's first lookup (card["label"]) finds the
# value, where an object would be tried as a dictionary first for every one.
class DeviceCard(TypedDict):
    id: str
    kind: str
    kind_name: str
    label: str
    display_name: str
    country_mark: str
    is_current: bool
    now_watching: str | None
    location: str
    ip: str | None
    is_active_now: bool
    last_seen_iso: str
    last_seen_since: str
    signed_in_iso: str
    signed_in_day: str
    profile: str
    expires_iso: str
    expires_time: str
    expires_day: str
    activity_url: str
    rename_url: str
    sign_out_url: str
    remove_url: str


class SignedOutRow(TypedDict):
    id: str
    label: str
    country_mark: str
    activity_url: str
    ip: str
    place: str
    signed_out_iso: str
    signed_out_shown: str
    why: str
    remove_url: str


class _Links:
    """Each device's links, at the cost of one reverse() per kind of link."""

    def __init__(self) -> None:
        self.activity = reverse("catalog:streaming_activity") + "?device="
        self.rename = RowUrl("devices:rename")
        self.sign_out = RowUrl("devices:sign_out")
        self.remove = RowUrl("devices:remove")


class _Times:
    """A time in the account's zone, in the formats a card shows, each looked up once."""

    def __init__(self, zone: tzinfo) -> None:
        self.zone = zone
        self.date_time = formats.get_format("DATETIME_FORMAT")
        self.date = formats.get_format("DATE_FORMAT")
        self.time = formats.get_format("TIME_FORMAT")

    def local(self, moment: datetime) -> datetime:
        return timezone.localtime(moment, self.zone)

    def iso(self, moment: datetime) -> str:
        return dateformat.format(self.local(moment), "c")


def device_labels(devices: Iterable[Device], *, zone: tzinfo) -> dict[uuid.UUID, str]:
    """Each device's label (Device.label), its "since 3 Dec" on the account's day."""
    with timezone.override(zone):
        return {device.id: device.label for device in devices}


def device_cards(
    devices: Iterable[Device], *, zone: tzinfo, current_device_id: str | None
) -> list[DeviceCard]:
    """Cards for signed-in devices read with_name_twins, with_country_marks and
    with_now_watching, and their last profile."""
    links, times = _Links(), _Times(zone)
    cards = []
    with timezone.override(zone):  # a label's "since 3 Dec" is the account's day
        for device in devices:
            key = str(device.id)
            expires = times.local(device.expires_at) if device.expires_at else None
            cards.append(
                DeviceCard(
                    id=key,
                    kind=device.kind,
                    kind_name=device.get_kind_display(),
                    label=device.label,
                    display_name=device.display_name,
                    country_mark=device.country_mark,  # type: ignore[attr-defined]
                    is_current=key == current_device_id,
                    now_watching=device.now_watching,  # type: ignore[attr-defined]
                    location=device.location,
                    ip=device.ip,
                    is_active_now=device.is_active_now,
                    last_seen_iso=times.iso(device.last_seen_at),
                    last_seen_since=timesince(device.last_seen_at),
                    signed_in_iso=times.iso(device.signed_in_at),
                    signed_in_day=dateformat.format(times.local(device.signed_in_at), times.date),
                    profile=device.last_profile.name if device.last_profile else "",
                    expires_iso=times.iso(expires) if expires else "",
                    expires_time=dateformat.time_format(expires, times.time) if expires else "",
                    expires_day=dateformat.format(expires, times.date) if expires else "",
                    activity_url=links.activity + key,
                    rename_url=links.rename(key),
                    sign_out_url=links.sign_out(key),
                    remove_url=links.remove(key),
                )
            )
    return cards


def signed_out_rows(devices: Iterable[Device], *, zone: tzinfo) -> list[SignedOutRow]:
    """Rows for signed-out devices read with_name_twins and with_country_marks; a removed
    one offers no "Remove device" (its addresses are already erased)."""
    links, times = _Links(), _Times(zone)
    expired = gettext("Session expired")
    rows = []
    with timezone.override(zone):
        for device in devices:
            key = str(device.id)
            when = device.signed_out_at or device.last_seen_at
            removed = device.signed_out_reason == Device.SignOutReason.REMOVED
            why = device.get_signed_out_reason_display() if device.signed_out_reason else expired
            rows.append(
                SignedOutRow(
                    id=key,
                    label=device.label,
                    country_mark=device.country_mark,  # type: ignore[attr-defined]
                    activity_url=links.activity + key,
                    ip=device.ip or "—",
                    place=device.known_location or "—",
                    signed_out_iso=times.iso(device.signed_out_at) if device.signed_out_at else "",
                    signed_out_shown=dateformat.format(times.local(when), times.date_time),
                    why=why,
                    remove_url="" if removed else links.remove(key),
                )
            )
    return rows
