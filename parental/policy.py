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
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext

from catalog.models import Title, Viewing

from .models import MaturityLevel, ParentalPin, PinUnlock, ProfileControls, ViewingWindow

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise as StrOrPromise

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

    def unlock_offered(self, *, pin_exists: bool) -> bool:
        """Does this refusal lead to the PIN page ("catalog:unlock") rather than the page
        that explains it (403, `headline` and `message`)?

        Viewing hours do even with no PIN set: the page says why the profile cannot watch
        now. A title above the maturity level does only while a PIN can open it; otherwise
        the child is told what it is and why. A blocked title never opens.
        """
        return self.reason == HOURS or (self.reason == MATURITY and pin_exists)

    @property
    def headline(self) -> str:
        """The refusal in a few words, above its message on the page that explains it."""
        if self.reason == BLOCKED:
            return pgettext("why a title does not open", "Blocked on this profile")
        if self.reason == MATURITY:
            return pgettext("why a title does not open", "Above this profile's maturity level")
        if self.reason == HOURS:
            return pgettext("why a title does not open", "Outside viewing hours")
        return ""


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
        return Decision(False, BLOCKED, _("This title is blocked on this profile."))
    if title.min_age > max_age(profile) and not is_unlocked(
        profile=profile, device_id=device_id, kind=PinUnlock.Kind.TITLE, title=title
    ):
        # Two sentences, not a possessive passed in: other languages name the owner
        # another way ("el nivel de madurez de Sam").
        above = (
            _("%(title)s is rated %(rating)s, above %(name)s' maturity level.")
            if _ends_in_s(profile.name)
            else _("%(title)s is rated %(rating)s, above %(name)s's maturity level.")
        )
        return Decision(
            False,
            MATURITY,
            above % {"title": title.name, "rating": title.rating, "name": profile.name},
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


def _local_now(user: User) -> datetime:
    return timezone.localtime(timezone.now(), ZoneInfo(user.time_zone))


def _windows_today(controls: ProfileControls, today: int) -> tuple[ViewingWindow | None, ...]:
    """Today's window and yesterday's (which may run past midnight into today)."""
    by_day = {window.weekday: window for window in controls.windows.all()}
    return by_day.get(today), by_day.get((today - 1) % 7)


def _outside_viewing_hours(profile: Profile) -> str:
    """Why the profile may not watch now (its hours, its daily limit), or "" if it may."""
    controls = _controls(profile)
    if controls is None:
        return ""
    now = _local_now(profile.user)
    window, yesterday = _windows_today(controls, now.weekday())
    if (
        window is not None
        and not window.allows(now.time())
        and not (yesterday is not None and yesterday.allows_next_morning(now.time()))
    ):
        return _(
            "%(name)s can watch between %(starts)s and %(ends)s on %(days)s (%(zone)s time)."
        ) % {
            "name": profile.name,
            "starts": f"{window.starts:%H:%M}",
            "ends": f"{window.ends:%H:%M}",
            "days": WEEKDAYS_PLURAL[window.weekday],
            "zone": profile.user.time_zone,
        }
    if controls.daily_limit_minutes is not None:
        watched = Viewing.objects.for_profile(profile).seconds_watched_since(
            start_of_day(profile.user), now=now
        )
        if watched >= controls.daily_limit_minutes * 60:
            minutes = controls.daily_limit_minutes
            if _ends_in_s(profile.name):
                used_up = ngettext(
                    "%(name)s' %(minutes)s minute for today is used up.",
                    "%(name)s' %(minutes)s minutes for today are used up.",
                    minutes,
                )
            else:
                used_up = ngettext(
                    "%(name)s's %(minutes)s minute for today is used up.",
                    "%(name)s's %(minutes)s minutes for today are used up.",
                    minutes,
                )
            return used_up % {"name": profile.name, "minutes": minutes}
    return ""


def minutes_left_today(profile: Profile, *, device_id: str | None = None) -> int | None:
    """Minutes this profile may still watch today (daily limit, end of its hours); None if
    nothing limits it (or the PIN lifted the limits on this device)."""
    controls = _controls(profile)
    if controls is None or is_unlocked(
        profile=profile, device_id=device_id, kind=PinUnlock.Kind.HOURS
    ):
        return None
    now = _local_now(profile.user)
    left: list[float] = []
    if controls.daily_limit_minutes is not None:
        watched = Viewing.objects.for_profile(profile).seconds_watched_since(
            start_of_day(profile.user), now=now
        )
        left.append(controls.daily_limit_minutes - watched / 60)
    window, yesterday = _windows_today(controls, now.weekday())
    ends = None
    if yesterday is not None and yesterday.allows_next_morning(now.time()):
        ends = now.replace(hour=yesterday.ends.hour, minute=yesterday.ends.minute, second=0)
    elif window is not None and window.allows(now.time()):
        ends = now.replace(hour=window.ends.hour, minute=window.ends.minute, second=0)
        if window.crosses_midnight:
            ends += timedelta(days=1)
    if ends is not None:
        left.append((ends - now).total_seconds() / 60)
    elif window is not None:
        left.append(0)
    return max(0, int(min(left))) if left else None


# "on Mondays": the weekday's plural, as a word of its own in every language.
WEEKDAYS_PLURAL: dict[int, StrOrPromise] = {
    ViewingWindow.Weekday.MONDAY: gettext_lazy("Mondays"),
    ViewingWindow.Weekday.TUESDAY: gettext_lazy("Tuesdays"),
    ViewingWindow.Weekday.WEDNESDAY: gettext_lazy("Wednesdays"),
    ViewingWindow.Weekday.THURSDAY: gettext_lazy("Thursdays"),
    ViewingWindow.Weekday.FRIDAY: gettext_lazy("Fridays"),
    ViewingWindow.Weekday.SATURDAY: gettext_lazy("Saturdays"),
    ViewingWindow.Weekday.SUNDAY: gettext_lazy("Sundays"),
}


def _ends_in_s(name: str) -> bool:
    """English writes "Kids'" for a name that ends in s, "Sam's" for others."""
    return name.lower().endswith("s")


def possessive(name: str) -> str:
    """ "Sam's", but "Kids'" for a name that ends in s."""
    return f"{name}'" if _ends_in_s(name) else f"{name}'s"


def pin_entry_locked(user: User) -> bool:
    """Five wrong PINs in a row lock PIN entry until the password is re-entered."""
    return ParentalPin.objects.filter(user=user, locked_at__isnull=False).exists()


def pin_exists(user: User) -> bool:
    """Is a parental PIN set on the account? Without one, profile locks are inactive."""
    return ParentalPin.objects.filter(user=user).exists()


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
    local_now = _local_now(user)
    return local_now.replace(hour=0, minute=0, second=0, microsecond=0)


def profile_needs_pin(current: Profile | None, target: Profile) -> bool:
    """Does opening target, from the session's current profile, need the parental PIN?

    A locked profile always asks; leaving a Kids profile for any other asks too, or a
    child would walk out of every rule with "Switch profile". Without a PIN set, neither
    can ask, and the parental controls pages say so. With current None (nothing picked,
    or a profile's own "Locked" badge) only the lock counts.

    Reads target's controls and its account's PIN as loaded: a list of profiles with
    select_related("controls", "user__parental_pin") asks it at no query per profile.
    """
    # current may be a lazy object standing for None: asked by truth, not "is not None".
    leaving_kids = bool(current and current.is_kids and current.pk != target.pk)
    controls = _controls(target)
    locked = controls is not None and controls.locked
    # The PIN as loaded with the profile, or one query: pin_exists() would always ask.
    return (leaving_kids or locked) and hasattr(target.user, "parental_pin")
