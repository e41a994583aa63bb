"""Read vocabulary for devices."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Q
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

    def recently_signed_out(self, *, days: int) -> DeviceQuerySet:
        since = timezone.now() - timedelta(days=days)
        return self.filter(
            Q(signed_out_at__gte=since) | Q(signed_out_at__isnull=True, last_seen_at__gte=since)
        ).order_by(models.F("signed_out_at").desc(nulls_last=True), "-last_seen_at")


class PairingCodeQuerySet(models.QuerySet["PairingCode"]):
    def pending(self) -> PairingCodeQuerySet:
        return self.filter(status="pending", expires_at__gt=timezone.now())
