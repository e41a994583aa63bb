"""State changes for accounts: sign-up, profiles, passwords and the security log."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from . import emails
from .models import MAX_PROFILES, EmailChange, Profile, SecurityEvent, User
from .securitylog import security_log

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
    code: str = "",
    params: dict[str, Any] | None = None,
    actor: str = "",
) -> SecurityEvent:
    """Append one entry to the account's security log.

    `detail` holds plain data (a name, an address); a fixed phrase is a `code` with its
    `params`, worded in the reader's language when the log is read (accounts.events)."""
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
        code=code,
        params=params or {},
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
            ngettext(
                "An account can have up to %(count)d profile. Delete one before adding another.",
                "An account can have up to %(count)d profiles. Delete one before adding another.",
                MAX_PROFILES,
            )
            % {"count": MAX_PROFILES},
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
        raise ValidationError(_("An account needs at least one profile."), code="last_profile")
    name = profile.name
    profile.delete()
    security_event_log(user=user, kind=SecurityEvent.Kind.PROFILE_DELETED, detail=name)


@transaction.atomic
def account_disable(*, user: User, actor: str = "") -> None:
    """Mark an account disabled; a session kept anywhere no longer matches its auth hash.

    Its devices are signed out by the flow that disables it (security.services)."""
    User.objects.filter(pk=user.pk).update(
        is_active=False, session_generation=F("session_generation") + 1
    )
    user.refresh_from_db(fields=["is_active", "session_generation"])
    security_event_log(user=user, kind=SecurityEvent.Kind.ACCOUNT_DISABLED, actor=actor)
    security_log("user_disabled", user_id=user.pk, actor=actor)


def account_sign_up(*, email: str, password: str, name: str) -> None:
    """Sign-up: a new account gets a verification link; an address that already has an
    account gets a note to its owner instead, so the visitor learns nothing either way."""
    existing = User.objects.filter(email__iexact=email).first()
    if existing is None:
        try:
            with transaction.atomic():
                user = account_create(email=email, password=password, name=name)
        except IntegrityError:  # the same address signed up a moment ago
            existing = User.objects.filter(email__iexact=email).first()
        else:
            transaction.on_commit(lambda: emails.verification_send(user=user))
            return
    if existing is not None:
        make_password(password)  # as slow as a real sign-up, so timing tells nothing either
        owner = existing
        security_event_log(user=owner, kind=SecurityEvent.Kind.SIGN_UP_EXISTING)
        transaction.on_commit(lambda: emails.signup_existing_send(user=owner))


def email_verification_resend(*, user: User) -> None:
    """Send the verification link again."""
    transaction.on_commit(lambda: emails.verification_send(user=user))


@transaction.atomic
def email_verify(*, user: User, email: str) -> bool:
    """Mark the address verified if the link was for the account's current address."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.email.lower() != email or user.email_verified_at is not None:
        return False
    user.email_verified_at = timezone.now()
    user.save(update_fields=["email_verified_at"])
    security_event_log(user=user, kind=SecurityEvent.Kind.EMAIL_VERIFIED)
    return True


class EmailChangeLocked(Exception):
    pass


@transaction.atomic
def email_change_request(*, user: User, new_email: str, ip: str | None) -> EmailChange:
    """Ask to change the sign-in address: a link to the new one, a notice to the old one."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.email_change_locked:
        raise EmailChangeLocked
    now = timezone.now()
    EmailChange.objects.filter(user=user, confirmed_at=None, cancelled_at=None).update(
        cancelled_at=now
    )
    change = EmailChange.objects.create(user=user, old_email=user.email, new_email=new_email)
    security_event_log(
        user=user, kind=SecurityEvent.Kind.EMAIL_CHANGE_REQUESTED, ip=ip, detail=new_email
    )
    owner = User.objects.filter(email__iexact=new_email).exclude(pk=user.pk).first()
    if owner is None:
        transaction.on_commit(lambda: emails.change_confirm_send(change=change))
    else:
        transaction.on_commit(lambda: emails.change_taken_send(change=change, owner=owner))
    transaction.on_commit(lambda: emails.change_notice_send(change=change))
    return change


class EmailChangeFailed(Exception):
    pass


@transaction.atomic
def email_change_confirm(*, change: EmailChange) -> None:
    """The new address confirmed: from now on it signs in (and counts as verified)."""
    change = EmailChange.objects.select_for_update().get(pk=change.pk)
    user = User.objects.select_for_update().get(pk=change.user_id)
    if not change.is_open or user.email_change_locked or user.email != change.old_email:
        raise EmailChangeFailed(_("This link was already used, has expired or was cancelled."))
    if User.objects.filter(email__iexact=change.new_email).exclude(pk=user.pk).exists():
        raise EmailChangeFailed(_("That address now belongs to another account."))
    now = timezone.now()
    change.confirmed_at = now
    change.save(update_fields=["confirmed_at"])
    user.email, user.email_verified_at = change.new_email, now
    user.save(update_fields=["email", "email_verified_at"])
    security_event_log(
        user=user,
        kind=SecurityEvent.Kind.EMAIL_CHANGED,
        detail=f"{change.old_email} → {change.new_email}",
    )
    # The operators' log names the field, not the addresses (they stay in the holder's log).
    security_log("user_updated", user_id=user.pk, field="email")
    transaction.on_commit(lambda: emails.changed_send(change=change))


@transaction.atomic
def email_change_stop(*, change: EmailChange) -> None:
    """Cancel an e-mail change reported as not the holder's, and lock changes until a new
    password (security.services.email_change_report signs the devices out and logs it)."""
    change = EmailChange.objects.select_for_update().get(pk=change.pk)
    user = User.objects.select_for_update().get(pk=change.user_id)
    if change.confirmed_at is None and change.cancelled_at is None:
        change.cancelled_at = timezone.now()
        change.save(update_fields=["cancelled_at"])
    user.email_change_locked = True
    user.save(update_fields=["email_change_locked"])


@transaction.atomic
def email_change_revert(*, change: EmailChange) -> User:
    """The old address undoes a confirmed change: it signs in again (verified: its link was
    followed), and e-mail changes lock until a new password (security.services signs the
    devices out and logs it)."""
    change = EmailChange.objects.select_for_update().get(pk=change.pk)
    user = User.objects.select_for_update().get(pk=change.user_id)
    if not change.undo_open or user.email != change.new_email:
        raise EmailChangeFailed(_("This link was already used or has expired."))
    if User.objects.filter(email__iexact=change.old_email).exclude(pk=user.pk).exists():
        raise EmailChangeFailed(_("That address now belongs to another account."))
    change.cancelled_at = timezone.now()
    change.save(update_fields=["cancelled_at"])
    user.email, user.email_verified_at = change.old_email, change.cancelled_at
    user.email_change_locked = True
    user.save(update_fields=["email", "email_verified_at", "email_change_locked"])
    return user


def email_change_unlock(*, user: User) -> None:
    """A new password unlocks e-mail changes again."""
    User.objects.filter(pk=user.pk, email_change_locked=True).update(email_change_locked=False)


def account_language_set(*, user: User, language: str) -> None:
    """Keep the account's language, for its pages and its e-mails."""
    if user.language != language:
        user.language = language
        user.save(update_fields=["language"])
