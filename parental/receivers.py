"""Parental controls follow changes to profiles."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver

from accounts.models import Profile

from .models import MaturityLevel, ProfileControls


@receiver(post_save, sender=Profile, dispatch_uid="parental.cap_kids_level")
def cap_kids_level(sender: Any, instance: Profile, **kwargs: Any) -> None:
    """A Kids profile can only be at a kids' maturity level, however it became Kids."""
    if instance.is_kids:
        ProfileControls.objects.filter(
            profile=instance, maturity__gt=MaturityLevel.OLDER_KIDS
        ).update(maturity=MaturityLevel.OLDER_KIDS)
