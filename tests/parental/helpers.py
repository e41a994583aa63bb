"""Helpers the parental tests share: what a walk-around would change, moments in hours."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from accounts.models import Profile
from catalog.models import Viewing
from parental.models import ParentalPin, ProfileControls, ViewingWindow


def snapshot(user) -> dict:
    """Everything a walk-around would change."""
    return {
        "profiles": sorted(
            Profile.objects.for_account(user).values_list("name", "is_kids", "colour")
        ),
        "controls": sorted(
            ProfileControls.objects.filter(profile__user=user).values_list(
                "profile__name", "maturity", "locked", "daily_limit_minutes"
            )
        ),
        "blocked": sorted(
            ProfileControls.blocked_titles.through.objects.filter(
                profilecontrols__profile__user=user
            ).values_list("profilecontrols_id", "title_id")
        ),
        "windows": sorted(
            ViewingWindow.objects.filter(controls__profile__user=user).values_list(
                "controls_id", "weekday", "starts", "ends"
            )
        ),
        "pin": list(ParentalPin.objects.filter(user=user).values_list("pin_hash", "locked_at")),
        "hidden": sorted(
            Viewing.objects.filter(user=user, hidden_at__isnull=False).values_list("id", flat=True)
        ),
        "time_zone": user.__class__.objects.get(pk=user.pk).time_zone,
    }


def local_moment(user, weekday: int, hour: int, minute: int = 0) -> datetime:
    """A moment on the coming `weekday` at hour:minute in the account's time zone."""
    tz = ZoneInfo(user.time_zone)
    today = timezone.localtime(timezone.now(), tz).date()
    day = today + timedelta(days=(weekday - today.weekday()) % 7)
    return datetime.combine(day, time(hour, minute), tzinfo=tz)
