"""What a row shows, prepared once per page: title links and streaming activity's rows.

The template prints these values as they are: a page of 50 rows costs one reverse(), one
date format looked up, and one filter link per distinct device, profile and country,
instead of template work in every cell.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from datetime import datetime, tzinfo
from typing import TypedDict

from django.utils import dateformat, formats
from django.utils.http import urlencode

from accounts.links import RowUrl
from devices.names import device_name_shown

from .models import Viewing


# Dictionaries, not named tuples: the template engine's first lookup (row["when"]) finds
# the value, where a tuple would fail it and fall back to getattr() for every cell.
class StreamingRow(TypedDict):
    iso: str
    when: str
    title: str
    title_url: str
    device: str
    device_filter: str
    ip: str
    location: str
    country_filter: str
    is_new_country: bool
    profile: str
    profile_filter: str


class FilterLinks:
    """ "?device=…" links that keep the other filters, each built once per value."""

    def __init__(self, query: Mapping[str, str], *, drop: Iterable[str]) -> None:
        self.query = {key: value for key, value in query.items() if key not in set(drop)}
        self.made: dict[tuple[str, str], str] = {}

    def __call__(self, key: str, value: object) -> str:
        found = self.made.get((key, str(value)))
        if found is None:
            found = "?" + urlencode({**self.query, key: str(value)})
            self.made[(key, str(value))] = found
        return found

    def kept(self) -> str:
        """This page's filters alone: the first page of the same list."""
        return "?" + urlencode(self.query)


class NewCountry:
    """Is a viewing the account's first from its country ("New country")?

    Read from the account's first viewing per country (first_seen_by_country_of, which the
    page reads anyway for its filter), so the rows need no subquery each: home, the
    country seen first, is never news; any other is new on its first viewing only.
    """

    def __init__(self, first_seen: Mapping[str, datetime]) -> None:
        self.first_seen = first_seen
        self.home = min(first_seen, key=first_seen.__getitem__) if first_seen else ""

    def __call__(self, country: str, started_at: datetime) -> bool:
        if not country or country == self.home:
            return False
        return self.first_seen.get(country) == started_at


def streaming_rows(
    viewings: Iterable[Viewing],
    *,
    zone: tzinfo,
    links: FilterLinks,
    new_country: NewCountry,
    device_labels: Mapping[uuid.UUID, str],
) -> list[StreamingRow]:
    """Rows for viewings read with their title and profile; a device still listed reads as
    the filter names it (told apart from a same-named one) and links to its filter."""
    title_url = RowUrl("catalog:title")
    shown = formats.get_format("DATETIME_FORMAT")
    names: dict[str, str] = {}
    rows = []
    for viewing in viewings:
        local = viewing.started_at.astimezone(zone)
        name = viewing.device_name
        if name not in names:
            names[name] = device_name_shown(name) if name else name
        label = device_labels.get(viewing.device_id) if viewing.device_id else None
        rows.append(
            StreamingRow(
                iso=local.isoformat(),
                when=dateformat.format(local, shown),
                title=viewing.title.name,
                title_url=title_url(viewing.title.slug),
                device=label or names[name],
                device_filter=links("device", viewing.device_id) if label else "",
                ip=viewing.ip or "—",
                location=viewing.known_location or "—",
                country_filter=links("country", viewing.country) if viewing.country else "",
                is_new_country=new_country(viewing.country, viewing.started_at),
                profile=viewing.profile.name,
                profile_filter=links("profile", viewing.profile.public_id),
            )
        )
    return rows
