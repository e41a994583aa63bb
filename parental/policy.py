"""Which titles a profile may see and play, and whether opening it needs the PIN: the one
gate every catalog and TV view asks.

Every page, fragment and service that lists, shows or plays a title goes through
these functions, and nothing else filters titles by age or profile. Parental
controls add their rules (maturity level, blocked titles, PIN unlocks, viewing
hours) here, and every view follows at once:

- visible_titles(profile): what the profile can find (browse rows, search,
  "Continue watching", artwork).
- can_view(profile, title): whether the title's page may be opened directly.
- can_play(profile, title): whether it may start or keep playing (checked on
  every heartbeat, so a rule that starts to apply mid-stream stops it).

History pages (viewing activity, streaming activity, the CSV export) show what
was watched and deliberately do not ask: hiding history from the account holder
would defeat their purpose.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from django.core.exceptions import ObjectDoesNotExist
from django.utils import timezone

from catalog.models import Title, Viewing

from .models import MaturityLevel, ParentalPin, PinUnlock, ProfileControls

if TYPE_CHECKING:
    from accounts.models import Profile, User
    from catalog.managers import TitleQuerySet


@dataclass(frozen=True)
class Decision:
    """The policy's answer; falsy when refused, with a reason code and a message to show."""

    allowed: bool
    reason: str = ""
    message: str = ""

    def __bool__(self) -> bool:
        return self.allowed

    @property
    def pin_can_lift(self) -> bool:
        """The parental PIN can open this on this device (a blocked title never opens)."""
        return self.reason in (MATURITY, HOURS)


ALLOWED = Decision(allowed=True)
MATURITY = "maturity"
BLOCKED = "blocked"
HOURS = "hours"


def _controls(profile: Profile) -> ProfileControls | None:
    try:
        return profile.controls
    except ObjectDoesNotExist:
        return None


def max_age(profile: Profile) -> int:
    """The highest minimum age this profile may watch: its maturity level."""
    controls = _controls(profile)
    level = controls.maturity if controls is not None else MaturityLevel.ADULTS_18
    # A Kids profile never goes above "Older kids", whatever its controls say.
    return min(level, MaturityLevel.OLDER_KIDS) if profile.is_kids else level


def visible_titles(profile: Profile) -> TitleQuerySet:
    """Every title this profile may find in lists: browse, search, continue watching."""
    titles = Title.objects.filter(min_age__lte=max_age(profile))
    if _controls(profile) is not None:
        blocked = ProfileControls.blocked_titles.through.objects.filter(
            profilecontrols__profile=profile
        )
        titles = titles.exclude(pk__in=blocked.values("title_id"))
    return titles


def can_view(profile: Profile, title: Title, *, device_id: str | None = None) -> Decision:
    """May this profile open the title's page on this device?"""
    controls = _controls(profile)
    if controls is not None and controls.blocked_titles.filter(pk=title.pk).exists():
        return Decision(False, BLOCKED, "This title is blocked on this profile.")
    if title.min_age > max_age(profile) and not is_unlocked(
        profile=profile, device_id=device_id, kind=PinUnlock.Kind.TITLE, title=title
    ):
        return Decision(
            False,
            MATURITY,
            f"{title.name} is rated {title.rating}, above {profile.name}'s maturity level.",
        )
    return ALLOWED


def can_play(profile: Profile, title: Title, *, device_id: str | None = None) -> Decision:
    """May this profile start, or keep, playing the title on this device right now?"""
    decision = can_view(profile, title, device_id=device_id)
    if not decision:
        return decision
    refusal = _outside_viewing_hours(profile)
    if refusal and not is_unlocked(profile=profile, device_id=device_id, kind=PinUnlock.Kind.HOURS):
        return Decision(False, HOURS, refusal)
    return ALLOWED


def _outside_viewing_hours(profile: Profile) -> str:
    """Why the profile may not watch now (its hours, its daily limit), or "" if it may."""
    controls = _controls(profile)
    if controls is None:
        return ""
    now = timezone.localtime(timezone.now(), ZoneInfo(profile.user.time_zone))
    window = controls.windows.filter(weekday=now.weekday()).first()
    if window is not None and not window.starts <= now.time() < window.ends:
        return (
            f"{profile.name} can watch between {window.starts:%H:%M} and {window.ends:%H:%M} "
            f"on {window.get_weekday_display()}s."
        )
    if controls.daily_limit_minutes is not None:
        watched = Viewing.objects.for_profile(profile).seconds_watched_since(
            start_of_day(profile.user), now=now
        )
        if watched >= controls.daily_limit_minutes * 60:
            return f"{profile.name}'s {controls.daily_limit_minutes} minutes for today are used up."
    return ""


def pin_exists(user: User) -> bool:
    return ParentalPin.objects.filter(user=user).exists()


def profile_locked(profile: Profile) -> bool:
    """Does opening this profile need the PIN?"""
    return ProfileControls.objects.filter(profile=profile, locked=True).exists() and pin_exists(
        profile.user
    )


def is_unlocked(
    *, profile: Profile, device_id: str | None, kind: str, title: Title | None = None
) -> bool:
    if not device_id:
        return False
    unlocks = PinUnlock.objects.filter(
        profile=profile, device_id=device_id, kind=kind, until__gt=timezone.now()
    )
    return unlocks.filter(title=title).exists() if title is not None else unlocks.exists()


def end_of_day(user: User) -> datetime:
    """The coming midnight in the account's time zone."""
    local_now = timezone.localtime(timezone.now(), ZoneInfo(user.time_zone))
    return (local_now + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)


def start_of_day(user: User) -> datetime:
    local_now = timezone.localtime(timezone.now(), ZoneInfo(user.time_zone))
    return local_now.replace(hour=0, minute=0, second=0, microsecond=0)
