"""The flows that protect an account, above accounts and devices.

Each flow calls the other apps' services by name, in the order it happens, so a reader (and
a static tool) follows it from the view down: no sign-out is hidden behind a signal."""

from __future__ import annotations

from django.db import transaction

from accounts import services as accounts
from accounts.models import EmailChange, SecurityEvent, User
from accounts.origin import Origin
from accounts.securitylog import security_log
from devices import emails as device_emails
from devices import services as devices
from devices.models import Device
from mfa import services as mfa


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


def device_not_me(*, device: Device) -> None:
    """ "This wasn't me" from the new-sign-in e-mail: that device is signed out and reported."""
    devices.device_disown(device=device)
