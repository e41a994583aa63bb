from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from devices.models import Located

from .managers import GenreQuerySet, TitleQuerySet, ViewingQuerySet

# The player reports every HEARTBEAT_SECONDS; a stream whose last report is older than
# PLAYING_WINDOW no longer counts against the account's stream limit.
HEARTBEAT_SECONDS = 30
PLAYING_WINDOW = timedelta(seconds=2 * HEARTBEAT_SECONDS)
# Past this share of its running time a viewing counts as watched, not "Continue watching".
COMPLETED_SHARE = 0.95


class MinAge(models.IntegerChoices):
    """The maturity levels parental controls choose from."""

    ALL = 0, _("All ages")
    SEVEN = 7, "7+"
    THIRTEEN = 13, "13+"
    SIXTEEN = 16, "16+"
    EIGHTEEN = 18, "18+"


class Rating(models.TextChoices):
    """US film (MPA) and TV parental-guidelines certificates."""

    TV_Y = "TV-Y", "TV-Y"
    TV_G = "TV-G", "TV-G"
    G = "G", "G"
    TV_Y7 = "TV-Y7", "TV-Y7"
    TV_Y7_FV = "TV-Y7-FV", "TV-Y7-FV"
    TV_PG = "TV-PG", "TV-PG"
    PG = "PG", "PG"
    PG_13 = "PG-13", "PG-13"
    TV_14 = "TV-14", "TV-14"
    R = "R", "R"
    NC_17 = "NC-17", "NC-17"
    TV_MA = "TV-MA", "TV-MA"


# Each certificate's maturity level (the mapping US streaming services use).
RATING_MIN_AGE: dict[str, int] = {
    Rating.TV_Y: MinAge.ALL,
    Rating.TV_G: MinAge.ALL,
    Rating.G: MinAge.ALL,
    Rating.TV_Y7: MinAge.SEVEN,
    Rating.TV_Y7_FV: MinAge.SEVEN,
    Rating.TV_PG: MinAge.SEVEN,
    Rating.PG: MinAge.SEVEN,
    Rating.PG_13: MinAge.THIRTEEN,
    Rating.TV_14: MinAge.THIRTEEN,
    Rating.R: MinAge.SIXTEEN,
    Rating.NC_17: MinAge.EIGHTEEN,
    Rating.TV_MA: MinAge.EIGHTEEN,
}


def _rating_matches_min_age() -> Q:
    """The database holds the rating-to-age table too, so no row can disagree with it."""
    condition = Q()
    for age in MinAge:
        ratings = [rating for rating, min_age in RATING_MIN_AGE.items() if min_age == age]
        condition |= Q(min_age=age, rating__in=sorted(ratings))
    return condition


class Genre(models.Model):
    slug = models.SlugField(max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=40)

    objects = GenreQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("genre")
        verbose_name_plural = _("genres")

    def __str__(self) -> str:
        return self.name


class Title(models.Model):
    """A film or a series in the catalog."""

    class Kind(models.TextChoices):
        FILM = "film", _("Film")
        SERIES = "series", _("Series")

    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    synopsis = models.CharField(_("synopsis"), max_length=400)
    rating = models.CharField(_("rating"), max_length=10, choices=Rating)
    # Derived from the rating in save(); a column so the policy can filter on it.
    min_age = models.PositiveSmallIntegerField(_("minimum age"), choices=MinAge, editable=False)
    # A film's length, or one episode's for a series.
    runtime_minutes = models.PositiveSmallIntegerField(_("running time (minutes)"))
    seasons = models.PositiveSmallIntegerField(_("seasons"), null=True, blank=True)
    genres = models.ManyToManyField(Genre, related_name="titles", verbose_name=_("genres"))

    objects = TitleQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("title")
        verbose_name_plural = _("titles")
        constraints = [
            models.CheckConstraint(
                condition=_rating_matches_min_age(),
                name="catalog_title_min_age_matches_rating",
                violation_error_message="The minimum age does not match the rating.",
            ),
            models.CheckConstraint(
                condition=Q(kind="series", seasons__gte=1) | Q(kind="film", seasons__isnull=True),
                name="catalog_title_seasons_only_for_series",
            ),
            models.CheckConstraint(
                condition=Q(runtime_minutes__gte=1), name="catalog_title_runtime_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.min_age = RATING_MIN_AGE[self.rating]
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("catalog:title", args=[self.slug])

    @property
    def duration_seconds(self) -> int:
        return self.runtime_minutes * 60

    @property
    def age_label(self) -> str:
        return str(MinAge(self.min_age).label)


class Viewing(Located):
    """A profile played a title, on a device, from an IP address, at a time."""

    class StopReason(models.TextChoices):
        STOPPED = "stopped", _("Playback was stopped.")
        REMOTE = "remote", _("Playback was stopped from another device.")
        REPLACED = "replaced", _("Playback was stopped: something else started on this device.")
        LIMIT = "limit", _("Playback was stopped: too many streams are playing on this account.")
        NOT_ALLOWED = "not_allowed", _("Playback was stopped: this title isn't available here.")
        FINISHED = "finished", _("Finished.")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # The account, kept on the row so account-wide reads need no join through profiles.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    profile = models.ForeignKey(
        "accounts.Profile",
        on_delete=models.CASCADE,
        related_name="viewings",
        db_index=False,
        verbose_name=_("profile"),
    )
    title = models.ForeignKey(
        Title, on_delete=models.PROTECT, related_name="viewings", verbose_name=_("title")
    )
    device = models.ForeignKey(
        "devices.Device",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="viewings",
        db_index=False,
    )
    # Kept as text so the history still reads right after the device row is gone.
    device_name = models.CharField(_("device name"), max_length=100)
    started_at = models.DateTimeField(_("started at"), default=timezone.now)
    last_heartbeat_at = models.DateTimeField(default=timezone.now)
    position_seconds = models.PositiveIntegerField(default=0)
    completed = models.BooleanField(default=False)
    stopped_at = models.DateTimeField(_("stopped at"), null=True, blank=True)
    stop_reason = models.CharField(
        _("stop reason"), max_length=12, choices=StopReason.choices, blank=True
    )
    hidden_at = models.DateTimeField(null=True, blank=True)

    objects = ViewingQuerySet.as_manager()

    class Meta:
        verbose_name = _("viewing")
        verbose_name_plural = _("viewings")
        indexes = [
            # Viewing activity and "Continue watching": one profile, newest first; with the
            # id, the keyset pages ("Show more") read straight from the index at any depth.
            models.Index(
                fields=["profile", "-started_at", "-id"], name="catalog_view_profile_keyset"
            ),
            models.Index(
                fields=["profile", "title", "-started_at"], name="catalog_view_profile_title"
            ),
            # Recent device streaming activity: the account (keyset pages, as above), or
            # one of its devices.
            models.Index(fields=["user", "-started_at", "-id"], name="catalog_view_account_keyset"),
            models.Index(fields=["device", "-started_at"], name="catalog_view_device_recent"),
            # The first viewing from each country ("New country").
            models.Index(
                fields=["user", "country", "started_at"], name="catalog_view_account_country"
            ),
            # The streams playing now, counted against the limit on every start.
            models.Index(
                fields=["user", "last_heartbeat_at"],
                condition=Q(stopped_at__isnull=True),
                name="catalog_view_account_live",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(stopped_at__isnull=True, stop_reason="")
                | (Q(stopped_at__isnull=False) & ~Q(stop_reason="")),
                name="catalog_viewing_stop_reason_iff_stopped",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} on {self.device_name} ({self.started_at:%Y-%m-%d %H:%M})"

    def is_playing(self, now: datetime | None = None) -> bool:
        now = now or timezone.now()
        return self.stopped_at is None and self.last_heartbeat_at > now - PLAYING_WINDOW

    def position_at(self, now: datetime | None = None) -> int:
        """Where the player is now: the last reported place plus the time played since."""
        if not self.is_playing(now):
            return self.position_seconds
        elapsed = ((now or timezone.now()) - self.last_heartbeat_at).total_seconds()
        return min(self.position_seconds + int(elapsed), self.title.duration_seconds)

    @property
    def progress_percent(self) -> int:
        duration = self.title.duration_seconds
        return min(100, round(100 * self.position_seconds / duration)) if duration else 0
