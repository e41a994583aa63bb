"""Parental rules a template asks about a profile."""

from __future__ import annotations

from django import template

from accounts.models import Profile, User
from parental.models import ParentalPin
from parental.policy import profile_needs_pin

register = template.Library()


@register.filter
def asks_for_pin(profile: Profile) -> bool:
    """The "Locked" badge: whether the profile itself asks for the PIN (profile_needs_pin
    with no profile to leave; leaving a Kids profile is said on the PIN pad instead).

    No query when the profiles come with select_related("controls", "user__parental_pin").
    """
    return profile_needs_pin(None, profile)


@register.filter
def pin_is_set(user: User) -> bool:
    """The Account hub's "Parental PIN: set" (one query)."""
    return ParentalPin.objects.filter(user=user).exists()
