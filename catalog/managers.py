"""Read vocabulary for the catalog and viewings.

Nothing here decides what a profile may see: callers pass in the titles that
catalog.policy.visible_titles() allows.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, NamedTuple

from django.db import connection, models
from django.db.models import (
    Case,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    Value,
    When,
    Window,
)
from django.db.models.functions import RowNumber
from django.utils import timezone
from django.utils.dateparse import parse_datetime

if TYPE_CHECKING:
    from accounts.models import Profile, User
    from devices.models import Device

    from .models import Genre, Title, Viewing  # noqa: F401  (QuerySet type parameters)


# Each country's first start for one account, hopping along the (user, country, started_at)
# index: {table} is filled with the quoted table name, the rest are parameters.
_FIRST_STARTS_BY_COUNTRY = """
            WITH RECURSIVE countries(country) AS (
                SELECT MIN(country) FROM {table} WHERE user_id = %s AND country > ''
                UNION ALL
                SELECT (SELECT MIN(country) FROM {table} WHERE user_id = %s AND country > c.country)
                FROM countries AS c WHERE c.country IS NOT NULL
            )
            SELECT c.country, (SELECT MIN(started_at) FROM {table}
                               WHERE user_id = %s AND country = c.country)
            FROM countries AS c WHERE c.country IS NOT NULL
        """


class GenreQuerySet(models.QuerySet["Genre"]):
    def rows(self, *, titles: TitleQuerySet, per_row: int) -> list[GenreRow]:
        """Each genre with any of the given titles, by name, with up to per_row of them
        (newest first) as (slug, name) pairs: two queries of plain values, no models."""
        from .models import Title

        # The rank is an annotation the type checker cannot see on the implicit through model.
        links: models.QuerySet[Any] = Title.genres.through.objects.filter(title__in=titles)
        ranked = (
            links.annotate(
                rank=Window(
                    RowNumber(),
                    partition_by=F("genre_id"),
                    order_by=(F("title__year").desc(), F("title__name").asc()),
                )
            )
            .filter(rank__lte=per_row)
            .order_by("genre_id", "rank")
            .values_list("genre_id", "title__slug", "title__name")
        )
        row_titles: dict[int, list[tuple[str, str]]] = defaultdict(list)
        for genre_id, slug, name in ranked:
            row_titles[genre_id].append((slug, name))
        genres = self.filter(pk__in=row_titles).values_list("pk", "slug", "name")
        return [GenreRow(slug, name, row_titles[pk]) for pk, slug, name in genres]


class GenreRow(NamedTuple):
    """A row of Browse: the genre and its titles' (slug, name)."""

    slug: str
    name: str
    titles: list[tuple[str, str]]


class TitleQuerySet(models.QuerySet["Title"]):
    def search(self, query: str) -> TitleQuerySet:
        """Titles whose name or genre contains query; names starting with it first."""
        from .models import Title

        in_genre = Title.genres.through.objects.filter(genre__name__icontains=query)
        return (
            self.filter(Q(name__icontains=query) | Q(pk__in=in_genre.values("title_id")))
            .annotate(
                rank=Case(
                    When(name__istartswith=query, then=Value(0)),
                    When(name__icontains=query, then=Value(1)),
                    default=Value(2),
                    output_field=IntegerField(),
                )
            )
            .order_by("rank", "name")
        )


def _aware(value: datetime | str) -> datetime:
    """A datetime read by raw SQL, as the ORM would give it (SQLite returns text)."""
    moment = parse_datetime(value) if isinstance(value, str) else value
    if moment is None:
        raise ValueError(f"Not a datetime: {value!r}")
    return timezone.make_aware(moment, UTC) if timezone.is_naive(moment) else moment


class ViewingQuerySet(models.QuerySet["Viewing"]):
    def for_account(self, user: User) -> ViewingQuerySet:
        return self.filter(user=user)

    def for_profile(self, profile: Profile) -> ViewingQuerySet:
        return self.filter(profile=profile)

    def on_device(self, device: Device) -> ViewingQuerySet:
        return self.filter(device=device)

    def from_country(self, country: str) -> ViewingQuerySet:
        return self.filter(country=country)

    def filtered(
        self, *, device: Device | None = None, profile: Profile | None = None, country: str = ""
    ) -> ViewingQuerySet:
        """Streaming activity's filters: on one device, by one profile, from one country;
        each one left out (None or "") filters nothing."""
        viewings = self
        if device is not None:
            viewings = viewings.on_device(device)
        if profile is not None:
            viewings = viewings.for_profile(profile)
        if country:
            viewings = viewings.from_country(country)
        return viewings

    def for_streaming_rows(self) -> ViewingQuerySet:
        """Only what a row of streaming activity shows (catalog/rows.py), with its title and
        profile in the same query."""
        return self.select_related("profile", "title").only(
            "public_id",
            "started_at",
            "device_id",
            "device_name",
            "ip",
            "city",
            "country",
            "title__slug",
            "title__name",
            "profile__public_id",
            "profile__name",
        )

    def shown(self) -> ViewingQuerySet:
        """Not hidden from the profile's viewing activity."""
        return self.filter(hidden_at__isnull=True)

    def newest_first(self) -> ViewingQuerySet:
        return self.order_by("-started_at", "-id")

    def since(self, *, days: int) -> ViewingQuerySet:
        return self.filter(started_at__gte=timezone.now() - timedelta(days=days))

    def older_than(self, *, started_at: datetime, pk: int) -> ViewingQuerySet:
        """The rows after (started_at, pk) in newest_first() order: the next page.

        The bound on started_at alone comes first so the index is read from that point on
        (an OR alone would read the profile's whole history up to it)."""
        return self.filter(started_at__lte=started_at).filter(
            Q(started_at__lt=started_at) | Q(pk__lt=pk)
        )

    def after(self, public_id: uuid.UUID) -> ViewingQuerySet | None:
        """The rows after the viewing public_id names (one of these rows), in newest_first()
        order: the next page from an index, however deep (None: no such viewing here)."""
        cursor = self.filter(public_id=public_id).values("started_at", "pk").first()
        if cursor is None:
            return None
        return self.older_than(started_at=cursor["started_at"], pk=cursor["pk"])

    def playing(self, now: datetime | None = None) -> ViewingQuerySet:
        """Streams counting against the account's limit: not stopped, reported recently."""
        from .models import PLAYING_WINDOW

        now = now or timezone.now()
        return self.filter(stopped_at__isnull=True, last_heartbeat_at__gt=now - PLAYING_WINDOW)

    def latest_per_title(self) -> ViewingQuerySet:
        """Each profile's newest viewing of each title (hidden ones included)."""
        newer = self.model._default_manager.filter(
            profile=OuterRef("profile"), title=OuterRef("title")
        ).filter(
            Q(started_at__gt=OuterRef("started_at"))
            | Q(started_at=OuterRef("started_at"), pk__gt=OuterRef("pk"))
        )
        return self.filter(~Exists(newer))

    def seconds_watched_since(self, since: datetime, *, now: datetime) -> int:
        """Playing time since `since`: each viewing counts from its start to its last report."""
        total = 0.0
        for started, last in self.filter(last_heartbeat_at__gt=since).values_list(
            "started_at", "last_heartbeat_at"
        ):
            total += max(0.0, (min(last, now) - max(started, since)).total_seconds())
        return int(total)

    def continue_watching(self, *, titles: TitleQuerySet) -> ViewingQuerySet:
        """Unfinished titles whose newest viewing is still shown, newest first.

        Hiding that newest viewing takes the title off the row, as the person asked.
        """
        return (
            self.latest_per_title()
            .shown()
            .filter(completed=False, title__in=titles)
            .select_related("title")
            .newest_first()
        )

    def resume_point(self, title: Title) -> Viewing | None:
        """The newest viewing of title if playing again should resume it, else None."""
        latest = self.filter(title=title).newest_first().first()
        if latest is None or latest.hidden_at or latest.completed or not latest.position_seconds:
            return None
        return latest

    def first_seen_by_country_of(self, user: User) -> dict[str, datetime]:
        """When each country first appears in one account's whole history, in index seeks:
        one per country it streamed from, however long the history (a GROUP BY would read
        every row).

        A recursive query hops from each country to the next in the (user, country,
        started_at) index, and takes each country's first start from the same index.
        """
        from .models import Viewing

        table = connection.ops.quote_name(Viewing._meta.db_table)
        # Only the table name, the model's own and quoted, is built into the SQL; every value
        # is a parameter.
        sql = _FIRST_STARTS_BY_COUNTRY.format(table=table)  # noqa: S608  # nosec B608
        with connection.cursor() as cursor:
            cursor.execute(sql, [user.pk, user.pk, user.pk])
            return {country: _aware(first) for country, first in cursor.fetchall()}
