"""The flows that protect an account, above accounts and devices.

Each flow calls the other apps' services by name, in the order it happens, so a reader (and
a static tool) follows it from the view down: no sign-out is hidden behind a signal."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from accounts import services as accounts
from accounts.models import EmailChange, SecurityEvent, User
from accounts.origin import Origin
from accounts.securitylog import security_log
from devices import emails as device_emails
from devices import services as devices
from devices.models import Device
from mfa import services as mfa

from . import emails
from .events import SecurityCode, SecurityFlowEvent

# The summary of "Secure my account" reads its log entry back for this long.
SECURED_SUMMARY_MAX_AGE = timedelta(hours=1)
# The names of the devices signed out, kept in the log entry for its summary and e-mail.
SECURED_NAMES_MAX = 20


@transaction.atomic
def password_changed(
    *, user: User, origin: Origin, sign_out_others: bool, reset: bool = False
) -> SecurityEvent:
    """After a password change or reset: the other devices are signed out (or kept, with the
    new auth hash), e-mail changes unlock, the log says which, and an e-mail tells the holder.

    origin.device is the device the change was made on, which stays signed in. A web request
    refreshes its own session's auth hash afterwards (update_session_auth_hash).

    A reset proves the address: on an account whose address was never verified, it is now,
    and every second factor added before goes (it may be a stranger's who signed up with
    this address, waiting for its owner to take the account back)."""
    if reset and user.email_verified_at is None:
        mfa.factors_remove_all(user=user, ip=origin.ip)
        accounts.email_verify(user=user, email=user.email.lower())
    if sign_out_others:
        devices.sign_out_all(
            user=user, keep_device=origin.device, reason=Device.SignOutReason.PASSWORD
        )
    else:
        devices.sessions_restamp_others(user=user, keep_device=origin.device)
    accounts.email_change_unlock(user=user)
    Kind, Code = SecurityEvent.Kind, SecurityEvent.Code
    event = accounts.security_event_log(
        user=user,
        kind=Kind.PASSWORD_RESET if reset else Kind.PASSWORD_CHANGED,
        device=origin.device,
        ip=origin.ip,
        code=Code.OTHERS_SIGNED_OUT if sign_out_others else Code.OTHERS_KEPT,
    )
    security_log(
        "authn_password_change",
        user_id=user.pk,
        device_id=origin.device.id if origin.device is not None else None,
        ip=origin.ip,
        reset=reset,
        others_signed_out=sign_out_others,
    )
    transaction.on_commit(lambda: device_emails.password_changed_send(user=user, event=event))
    return event


@transaction.atomic
def password_set_by_support(*, user: User, actor: str) -> SecurityEvent:
    """A support agent set the password in the admin: every device is signed out."""
    devices.sign_out_all(user=user, reason=Device.SignOutReason.SUPPORT)
    accounts.email_change_unlock(user=user)
    event = accounts.security_event_log(
        user=user,
        kind=SecurityEvent.Kind.PASSWORD_RESET,
        code=SecurityEvent.Code.SET_BY_SUPPORT,
        actor=actor,
    )
    security_log("authn_password_change", user_id=user.pk, by="support", actor=actor)
    transaction.on_commit(lambda: device_emails.password_changed_send(user=user, event=event))
    return event


@transaction.atomic
def account_disable(*, user: User, actor: str) -> None:
    """Disable an account (admin, command): every device of it is signed out at once."""
    accounts.account_disable(user=user, actor=actor)
    devices.sign_out_all(user=user, reason=Device.SignOutReason.SUPPORT)


@transaction.atomic
def email_change_report(*, change: EmailChange, origin: Origin) -> None:
    """ "This wasn't me" from the old address: the change stops, e-mail changes lock until a
    new password, and every device is signed out."""
    accounts.email_change_stop(change=change)
    devices.sign_out_all(user=change.user, reason=Device.SignOutReason.NOT_ME)
    accounts.security_event_log(
        user=change.user,
        kind=SecurityEvent.Kind.EMAIL_CHANGE_REPORTED,
        ip=origin.ip,
        code=SecurityEvent.Code.EMAIL_CHANGE_STOPPED,
    )


@transaction.atomic
def email_change_undo(*, change: EmailChange, origin: Origin) -> User:
    """ "This wasn't me" from the old address after the change went through (7 days): the old
    address is the account's again, every device is signed out, e-mail changes lock, and a
    link to set a new password goes to the restored address.

    Raises accounts.services.EmailChangeFailed when the change can no longer be undone."""
    user = accounts.email_change_revert(change=change)
    devices.sign_out_all(user=user, reason=Device.SignOutReason.NOT_ME)
    accounts.security_event_log(
        user=user,
        kind=SecurityFlowEvent.EMAIL_CHANGE_UNDONE,
        ip=origin.ip,
        detail=user.email,
        code=SecurityCode.EMAIL_RESTORED,
    )
    transaction.on_commit(lambda: emails.password_reset_send(user=user))
    return user


def device_not_me(*, device: Device) -> None:
    """ "This wasn't me" from the new-sign-in e-mail: that device is signed out and reported."""
    devices.device_disown(device=device)


@transaction.atomic
def account_secure(*, user: User, origin: Origin, password: str) -> SecurityEvent:
    """ "Secure my account": every other device signed out at once, browser sessions and
    apps' tokens alike, and the new password set; one log entry and one e-mail say so."""
    others = Device.objects.for_account(user).signed_in()
    if origin.device is not None:
        others = others.exclude(id=origin.device.id)
    names = [device.display_name for device in others.recent_first()[:SECURED_NAMES_MAX]]
    count = others.count() if len(names) == SECURED_NAMES_MAX else len(names)
    # The password first: the kept session is then restamped with the final auth hash.
    user.set_password(password)
    user.save(update_fields=["password"])
    devices.sign_out_all(user=user, keep_device=origin.device, reason=Device.SignOutReason.ALL)
    accounts.email_change_unlock(user=user)
    event = accounts.security_event_log(
        user=user,
        kind=SecurityFlowEvent.ACCOUNT_SECURED,
        device=origin.device,
        ip=origin.ip,
        code=SecurityCode.SECURED,
        params={"signed_out": count, "devices": names},
    )
    transaction.on_commit(lambda: emails.secured_send(user=user, event=event))
    return event


def account_secured_recently(*, user: User) -> SecurityEvent | None:
    """The account's "Secure my account" entry of the last hour, if any (its summary)."""
    since = timezone.now() - SECURED_SUMMARY_MAX_AGE
    return (
        SecurityEvent.objects.for_account(user)
        .filter(kind=SecurityFlowEvent.ACCOUNT_SECURED, created_at__gte=since)
        .newest_first()
        .first()
    )


# Each factor change (two-step on or off, a passkey added or removed, a new address) offers
# "Sign out of all other devices", ticked (ASVS 5.0 V7.4.3): the change, then the sign-out,
# in one transaction.


def _others_sign_out(*, user: User, origin: Origin, sign_out_others: bool) -> None:
    """Sign out every device but the one the change was made on, and log it, if asked."""
    if sign_out_others:
        devices.sign_out_everywhere(user=user, keep_device=origin.device, origin=origin)


@transaction.atomic
def two_step_turn_on(
    *, user: User, device: TOTPDevice, origin: Origin, sign_out_others: bool
) -> list[str]:
    """Turn two-step verification on with a confirmed app; returns the new recovery codes."""
    codes = mfa.two_step_enable(user=user, device=device, ip=origin.ip)
    _others_sign_out(user=user, origin=origin, sign_out_others=sign_out_others)
    return codes


@transaction.atomic
def two_step_turn_off(*, user: User, origin: Origin, sign_out_others: bool) -> None:
    """Turn two-step verification off."""
    mfa.two_step_disable(user=user, ip=origin.ip)
    _others_sign_out(user=user, origin=origin, sign_out_others=sign_out_others)


@transaction.atomic
def passkey_add(
    *, device: WebAuthnCredential, name: str, origin: Origin, sign_out_others: bool
) -> None:
    """Name, log and announce a newly registered passkey."""
    mfa.passkey_added(device=device, name=name, ip=origin.ip)
    _others_sign_out(user=device.user, origin=origin, sign_out_others=sign_out_others)


@transaction.atomic
def passkey_remove(*, passkey: WebAuthnCredential, origin: Origin, sign_out_others: bool) -> None:
    """Delete a passkey."""
    user = passkey.user
    mfa.passkey_remove(passkey=passkey, ip=origin.ip)
    _others_sign_out(user=user, origin=origin, sign_out_others=sign_out_others)


@transaction.atomic
def email_change_confirm(*, change: EmailChange, origin: Origin, sign_out_others: bool) -> None:
    """The new address confirmed the change. origin.device is the device it was confirmed on,
    if it is one of the account's (none: every device is signed out when asked).

    Raises accounts.services.EmailChangeFailed when the link no longer works."""
    accounts.email_change_confirm(change=change)
    _others_sign_out(user=change.user, origin=origin, sign_out_others=sign_out_others)
