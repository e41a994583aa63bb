"""Parental controls follow changes to profiles."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.http import HttpRequest
from django.utils.translation import gettext as _

from accounts.models import Profile, User
from accounts.signals import password_confirmed
from devices.http import request_origin

from . import services
from .models import MaturityLevel, ProfileControls


@receiver(post_save, sender=Profile, dispatch_uid="parental.cap_kids_level")
def cap_kids_level(sender: Any, instance: Profile, **kwargs: Any) -> None:
    """A Kids profile can only be at a kids' maturity level, however it became Kids."""
    if instance.is_kids:
        ProfileControls.objects.filter(
            profile=instance, maturity__gt=MaturityLevel.OLDER_KIDS
        ).update(maturity=MaturityLevel.OLDER_KIDS)


@receiver(password_confirmed, dispatch_uid="parental.lift_pin_lock")
def lift_pin_lock(sender: Any, request: HttpRequest, user: User, **kwargs: Any) -> None:
    """Re-entering the password is the one way to end a PIN-entry lock."""
    if services.pin_lock_lift(origin=request_origin(request), user=user):
        messages.success(request, _("PIN entry is unlocked again on every device."))
