"""Viewing history as CSV, written a row at a time so memory stays flat."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from datetime import datetime

from django.utils.translation import gettext_lazy as _

from .managers import ViewingQuerySet
from .models import Title

CSV_CHUNK_SIZE = 500
HEADER = (
    _("Date"),
    _("Time (UTC)"),
    _("Title"),
    _("Type"),
    _("Device"),
    _("Watched (minutes)"),
)
KIND_LABELS = dict(Title.Kind.choices)


def header() -> tuple[str, ...]:
    """The header row in the active language (read before streaming starts)."""
    return tuple(str(cell) for cell in HEADER)


def kind_labels() -> dict[str, str]:
    """ "Film" and "Series" in the active language."""
    return {kind: str(label) for kind, label in KIND_LABELS.items()}


# A spreadsheet runs a cell starting with one of these as a formula; device names come
# from User-Agent headers and titles, profile names and the rest from typed text, so
# anyone could choose one.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class _Echo:
    """A file-like object whose write() hands the line back instead of storing it."""

    def write(self, value: str) -> str:
        return value


def formula_safe(value: str) -> str:
    """The text as a CSV cell a spreadsheet shows as text: a leading ' before a formula.

    Every CSV StreamGuard writes goes through it (this export and privacy's)."""
    return f"'{value}" if value.startswith(FORMULA_STARTS) else value


def csv_row(
    *,
    started_at: datetime,
    title: str,
    kind: str,
    device_name: str,
    position_seconds: int,
    kinds: dict[str, str] | None = None,
) -> tuple[str, ...]:
    """One viewing as the cells of a CSV row."""
    return (
        started_at.strftime("%Y-%m-%d"),
        started_at.strftime("%H:%M"),
        formula_safe(title),
        (kinds if kinds is not None else kind_labels()).get(kind, kind),
        formula_safe(device_name),
        str(position_seconds // 60),
    )


def viewing_rows(
    viewings: ViewingQuerySet, *, kinds: dict[str, str] | None = None
) -> Iterator[tuple[str, ...]]:
    """The viewings' CSV rows, read from the database CSV_CHUNK_SIZE rows at a time."""
    # The labels are read once, in the language active when the rows are asked for.
    kinds = kinds if kinds is not None else kind_labels()
    rows = viewings.values_list(
        "started_at", "title__name", "title__kind", "device_name", "position_seconds"
    ).iterator(chunk_size=CSV_CHUNK_SIZE)
    for started_at, title, kind, device_name, position in rows:
        yield csv_row(
            started_at=started_at,
            title=title,
            kind=kind,
            device_name=device_name,
            position_seconds=position,
            kinds=kinds,
        )


def csv_lines(
    rows: Iterable[tuple[str, ...]], *, header_row: tuple[str, ...] | None = None
) -> Iterator[str]:
    """CSV text, one line per row, header first."""
    writer = csv.writer(_Echo())
    yield writer.writerow(header_row if header_row is not None else header())
    for row in rows:
        yield writer.writerow(row)
