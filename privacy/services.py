"""State changes for privacy: the data export's log entry, account deletion."""

from __future__ import annotations

from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils.translation import gettext_lazy
from django_otp_webauthn.models import WebAuthnCredential

from accounts.emails import account_mail_send
from accounts.language import account_language
from accounts.models import Profile, SecurityEvent, User
from accounts.services import security_event_log
from catalog.models import Viewing
from devices.models import Device
from devices.services import sign_out_all
from privacy.events import PrivacyEvent


def data_exported(*, user: User, ip: str | None) -> None:
    """Log that the account's data was downloaded."""
    security_event_log(user=user, kind=PrivacyEvent.DATA_EXPORTED, ip=ip)


@transaction.atomic
def account_delete(*, user: User, actor: str = "") -> None:
    """Close the account: every session ends now, its data is deleted, a last e-mail says so.

    Deleted with the account: profiles, viewing history, devices with their IPs and
    locations, the security log, parental controls and PIN, two-step secrets, recovery
    codes and passkeys, pending e-mail changes, approved TV codes. Anonymised: the admin's
    change history keeps that an account was changed, not whose.
    """
    user = User.objects.select_for_update().get(pk=user.pk)
    email, name, language = user.email, user.name, account_language(user)
    # Through the session store (cached copies too), before the device rows go.
    sign_out_all(user=user)
    LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(User), object_id=str(user.pk)
    ).update(object_repr="deleted account", change_message="")
    user.delete()
    transaction.on_commit(lambda: account_deleted_send(email=email, name=name, language=language))


def account_deleted_send(*, email: str, name: str, language: str = "") -> None:
    """The last e-mail to the closed account's address, in the language the account had."""
    account_mail_send(
        user=None,
        subject=gettext_lazy("Your StreamGuard account was deleted"),
        template="privacy/email/account_deleted.txt",
        context={"name": name},
        to=email,
        language=language,
    )


def account_contents(*, user: User) -> dict[str, int]:
    """What deleting the account takes with it, counted for the confirmation page."""
    return {
        "profiles": Profile.objects.for_account(user).count(),
        "devices": Device.objects.for_account(user).count(),
        "viewings": Viewing.objects.filter(user=user).count(),
        "events": SecurityEvent.objects.for_account(user).count(),
        "passkeys": WebAuthnCredential.objects.filter(user=user).count(),
    }
