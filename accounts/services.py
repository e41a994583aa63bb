"""State changes for accounts: sign-up, profiles, passwords and the security log."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest

from . import signals
from .models import MAX_PROFILES, SESSION_PROFILE_KEY, Profile, SecurityEvent, User

if TYPE_CHECKING:
    from devices.models import Device


def security_event_log(
    *,
    user: User,
    kind: str,
    device: Device | None = None,
    ip: str | None = None,
    location: str = "",
    detail: str = "",
    actor: str = "",
) -> SecurityEvent:
    """Append one entry to the account's security log."""
    if device is not None:
        ip = ip or device.ip
        location = location or device.known_location
    return SecurityEvent.objects.create(
        user=user,
        kind=kind,
        device=device,
        device_name=device.name if device is not None else "",
        ip=ip,
        location=location,
        detail=detail[:200],
        actor=actor,
    )


@transaction.atomic
def account_create(*, email: str, password: str, name: str) -> User:
    """Create an account with its first profile, named after the account holder."""
    user = User.objects.create_user(email=email, password=password, name=name)
    Profile.objects.create(user=user, name=name[: Profile._meta.get_field("name").max_length])
    security_event_log(user=user, kind=SecurityEvent.Kind.SIGNED_UP)
    return user


@transaction.atomic
def profile_create(*, user: User, name: str, colour: str, is_kids: bool) -> Profile:
    """Add a profile, refusing a sixth one."""
    # Lock the account row so two simultaneous requests cannot both add the fifth profile.
    User.objects.select_for_update().filter(pk=user.pk).first()
    if Profile.objects.for_account(user).count() >= MAX_PROFILES:
        raise ValidationError(
            f"An account can have up to {MAX_PROFILES} profiles. Delete one before adding another.",
            code="profile_limit",
        )
    profile = Profile(user=user, name=name, colour=colour, is_kids=is_kids)
    profile.full_clean()
    profile.save()
    security_event_log(user=user, kind=SecurityEvent.Kind.PROFILE_ADDED, detail=profile.name)
    return profile


@transaction.atomic
def profile_update(*, profile: Profile, name: str, colour: str, is_kids: bool) -> Profile:
    """Rename, recolour or change the Kids flag of a profile."""
    profile.name, profile.colour, profile.is_kids = name, colour, is_kids
    profile.full_clean()
    profile.save()
    security_event_log(
        user=profile.user, kind=SecurityEvent.Kind.PROFILE_CHANGED, detail=profile.name
    )
    return profile


@transaction.atomic
def profile_delete(*, profile: Profile) -> None:
    """Delete a profile, keeping at least one on the account."""
    user = profile.user
    User.objects.select_for_update().filter(pk=user.pk).first()
    if Profile.objects.for_account(user).count() <= 1:
        raise ValidationError("An account needs at least one profile.", code="last_profile")
    name = profile.name
    profile.delete()
    security_event_log(user=user, kind=SecurityEvent.Kind.PROFILE_DELETED, detail=name)


def profile_pick(*, request: HttpRequest, profile: Profile) -> None:
    """Make this the session's current profile (devices remembers it on the device)."""
    request.session[SESSION_PROFILE_KEY] = str(profile.public_id)
    signals.profile_picked.send(sender=Profile, request=request, profile=profile)


def password_changed(
    *,
    user: User,
    request: HttpRequest | None,
    sign_out_others: bool,
    how: str = "change",
    actor: str = "",
) -> None:
    """The password was changed, reset or set by support: devices signs the others out."""
    signals.password_changed.send(
        sender=User,
        user=user,
        request=request,
        sign_out_others=sign_out_others,
        how=how,
        actor=actor,
    )


def account_language_set(*, user: User, language: str) -> None:
    """Keep the account's language, for its pages and its e-mails."""
    if user.language != language:
        user.language = language
        user.save(update_fields=["language"])
