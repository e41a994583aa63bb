"""Which titles a profile may see and play: the one gate every catalog view asks.

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
from typing import TYPE_CHECKING

from .models import MinAge, Title

if TYPE_CHECKING:
    from accounts.models import Profile

    from .managers import TitleQuerySet

# Kids profiles see titles for all ages and for 7+.
KIDS_MAX_AGE = MinAge.SEVEN


@dataclass(frozen=True)
class Decision:
    """The policy's answer; falsy when refused, with a reason code and a message to show."""

    allowed: bool
    reason: str = ""
    message: str = ""

    def __bool__(self) -> bool:
        return self.allowed


ALLOWED = Decision(allowed=True)
MATURITY = "maturity"


def max_age(profile: Profile) -> int | None:
    """The highest minimum age this profile may watch; None for no limit."""
    return KIDS_MAX_AGE if profile.is_kids else None


def visible_titles(profile: Profile) -> TitleQuerySet:
    """Every title this profile may find in lists: browse, search, continue watching."""
    titles: TitleQuerySet = Title.objects.all()
    limit = max_age(profile)
    if limit is not None:
        titles = titles.filter(min_age__lte=limit)
    return titles


def can_view(profile: Profile, title: Title, *, device_id: str | None = None) -> Decision:
    """May this profile open the title's page? (device_id: for per-device unlocks later.)"""
    limit = max_age(profile)
    if limit is not None and title.min_age > limit:
        return Decision(
            allowed=False,
            reason=MATURITY,
            message="This title isn't available on this profile.",
        )
    return ALLOWED


def can_play(profile: Profile, title: Title, *, device_id: str | None = None) -> Decision:
    """May this profile start, or keep, playing the title on this device?"""
    return can_view(profile, title, device_id=device_id)
