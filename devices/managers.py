"""Read vocabulary for devices."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.db import models
from django.db.models import Case, Exists, OuterRef, Q, Subquery, Value, When
from django.utils import timezone

from .sessions import session_cutoffs

if TYPE_CHECKING:
    from accounts.models import User

    from .models import Device, PairingCode  # noqa: F401  (QuerySet type parameters)


def _live_session_q() -> Q:
    """A session that was neither signed out nor left to expire."""
    idle_cutoff, lifetime_cutoff = session_cutoffs()
    return Q(
        signed_out_at__isnull=True,
        last_seen_at__gt=idle_cutoff,
        signed_in_at__gt=lifetime_cutoff,
    ) & (Q(expires_at__isnull=True) | Q(expires_at__gt=timezone.now()))


class DeviceQuerySet(models.QuerySet["Device"]):
    def for_account(self, user: User) -> DeviceQuerySet:
        return self.filter(user=user)

    def signed_in(self) -> DeviceQuerySet:
        return self.filter(_live_session_q())

    def signed_out(self) -> DeviceQuerySet:
        return self.exclude(_live_session_q())

    def expired_unmarked(self) -> DeviceQuerySet:
        """Devices whose session ran out on its own but are not yet marked signed out."""
        return self.filter(signed_out_at__isnull=True).exclude(_live_session_q())

    def recent_first(self) -> DeviceQuerySet:
        return self.order_by("-last_seen_at", "-id")

    def with_country_marks(self) -> DeviceQuerySet:
        """Each device's .country_mark: "new", "abroad" or "" (the one rule for the badge).

        Home is the country of the account's first device that reported one. A device
        elsewhere is "new" when no other device of the account was ever there, "abroad"
        when one was. One subquery per row, no query per card.
        """
        devices = self.model._default_manager.filter(user=OuterRef("user")).exclude(country="")
        home = devices.order_by("first_seen_at", "id").values("country")[:1]
        elsewhere = devices.filter(country=OuterRef("country")).exclude(pk=OuterRef("pk"))
        marked: DeviceQuerySet = self.annotate(
            country_mark=Case(
                When(country="", then=Value("")),
                When(country=Subquery(home), then=Value("")),
                When(Exists(elsewhere), then=Value("abroad")),
                default=Value("new"),
                output_field=models.CharField(),
            )
        )
        return marked

    def with_name_twins(self) -> DeviceQuerySet:
        """Each device's .name_shared: another device of the account has the same name, so a
        list tells the two apart (Device.label). One subquery per row, no query per card."""
        twins = self.model._default_manager.filter(
            user=OuterRef("user"), name=OuterRef("name")
        ).exclude(pk=OuterRef("pk"))
        marked: DeviceQuerySet = self.annotate(name_shared=Exists(twins))
        return marked

    def with_now_watching(self) -> DeviceQuerySet:
        """Each device's .now_watching: the title of the stream playing on it, or None."""
        # The catalog's Viewing, reached through the relation it declares: devices imports
        # no catalog module, and "playing" stays the catalog's rule.
        viewings: Any = self.model._meta.get_field("viewings").related_model._default_manager
        live = viewings.playing().filter(device=OuterRef("pk")).order_by("-started_at")
        annotated: DeviceQuerySet = self.annotate(
            now_watching=Subquery(live.values("title__name")[:1])
        )
        return annotated

    def recently_signed_out(self, *, days: int) -> DeviceQuerySet:
        since = timezone.now() - timedelta(days=days)
        return self.filter(
            Q(signed_out_at__gte=since) | Q(signed_out_at__isnull=True, last_seen_at__gte=since)
        ).order_by(models.F("signed_out_at").desc(nulls_last=True), "-last_seen_at")


class PairingCodeQuerySet(models.QuerySet["PairingCode"]):
    def pending(self) -> PairingCodeQuerySet:
        return self.filter(status="pending", expires_at__gt=timezone.now())
