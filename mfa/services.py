"""State changes for two-step verification and passkeys: turning it on and off, recovery
codes, the second step's log entries, adding and removing passkeys."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from accounts import emails
from accounts.models import User
from accounts.securitylog import security_log
from accounts.services import security_event_log
from mfa.events import TwoStepCode, TwoStepEvent

from . import twostep


def two_step_setup_start(*, user: User) -> TOTPDevice:
    """A new, unconfirmed authenticator-app secret (replacing an earlier unconfirmed one)."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name=twostep.TOTP_NAME, confirmed=False)


def _recovery_codes_replace(user: User) -> list[str]:
    device, _created = StaticDevice.objects.get_or_create(
        user=user, defaults={"name": twostep.RECOVERY_NAME, "confirmed": True}
    )
    device.token_set.all().delete()
    codes = [twostep.recovery_code_new() for _ in range(twostep.RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(
        StaticToken(device=device, token=twostep.recovery_code_hash(code)) for code in codes
    )
    return codes


@transaction.atomic
def two_step_enable(*, user: User, device: TOTPDevice, ip: str | None) -> list[str]:
    """Turn two-step verification on with a confirmed app; returns the new recovery codes."""
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = _recovery_codes_replace(user)
    security_event_log(user=user, kind=TwoStepEvent.TWO_STEP_ENABLED, ip=ip)
    security_log("authn_token_created", user_id=user.pk, ip=ip, factor="totp")
    transaction.on_commit(
        lambda: emails.security_notice_send(
            user=user,
            subject=gettext_lazy("Two-step verification is on"),
            what=gettext_lazy(
                "Two-step verification was turned on for your StreamGuard account: signing "
                "in now also asks for a code from your authenticator app."
            ),
        )
    )
    return codes


@transaction.atomic
def two_step_disable(*, user: User, ip: str | None) -> None:
    """Turn two-step verification off: the app's secret and the recovery codes are deleted."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    security_event_log(user=user, kind=TwoStepEvent.TWO_STEP_DISABLED, ip=ip)
    security_log("authn_token_delete", user_id=user.pk, ip=ip, factor="totp")
    transaction.on_commit(
        lambda: emails.security_notice_send(
            user=user,
            subject=gettext_lazy("Two-step verification is off"),
            what=gettext_lazy(
                "Two-step verification was turned off for your StreamGuard account: signing "
                "in now needs only your password (or a passkey)."
            ),
        )
    )


@transaction.atomic
def recovery_codes_regenerate(*, user: User, ip: str | None) -> list[str]:
    """Replace every recovery code with 10 new ones; the old ones stop working at once."""
    codes = _recovery_codes_replace(user)
    security_event_log(user=user, kind=TwoStepEvent.RECOVERY_CODES_NEW, ip=ip)
    return codes


def second_step_logged(*, user: User, ip: str | None, ok: bool, recovery: bool) -> None:
    """Log a wrong second-step code, or the use of a recovery code."""
    if not ok:
        security_event_log(user=user, kind=TwoStepEvent.TWO_STEP_FAILED, ip=ip)
    elif recovery:
        security_event_log(user=user, kind=TwoStepEvent.RECOVERY_CODE_USED, ip=ip)


@transaction.atomic
def passkey_added(*, device: WebAuthnCredential, name: str, ip: str | None) -> None:
    """Name a newly registered passkey, log it and tell the account holder."""
    device.name = name
    device.save(update_fields=["name"])
    user = device.user
    security_event_log(user=user, kind=TwoStepEvent.PASSKEY_ADDED, ip=ip, detail=name)
    security_log("authn_token_created", user_id=user.pk, ip=ip, factor="passkey")
    transaction.on_commit(
        lambda: emails.security_notice_send(
            user=user,
            subject=gettext_lazy("A passkey was added to your account"),
            what=lambda: (
                _(
                    "The passkey “%(name)s” was added to your StreamGuard account. It can sign "
                    "in without your password."
                )
                % {"name": name}
            ),
        )
    )


@transaction.atomic
def passkey_remove(*, passkey: WebAuthnCredential, ip: str | None) -> None:
    """Delete a passkey: it no longer signs in or confirms anything."""
    user, name = passkey.user, passkey.name
    passkey.delete()
    security_event_log(user=user, kind=TwoStepEvent.PASSKEY_REMOVED, ip=ip, detail=name)
    security_log("authn_token_delete", user_id=user.pk, ip=ip, factor="passkey")


@transaction.atomic
def factors_remove_all(*, user: User, ip: str | None) -> None:
    """Remove every second factor: the authenticator app, its recovery codes, each passkey.

    For a password reset that is the first proof of the address (security.services): a factor
    added before then may be a stranger's, who signed up with someone else's address."""
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        security_event_log(
            user=user,
            kind=TwoStepEvent.TWO_STEP_DISABLED,
            ip=ip,
            code=TwoStepCode.REMOVED_BY_RESET,
        )
        security_log("authn_token_delete", user_id=user.pk, ip=ip, factor="totp", reason="reset")
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    for passkey in WebAuthnCredential.objects.filter(user=user):
        security_event_log(
            user=user,
            kind=TwoStepEvent.PASSKEY_REMOVED,
            ip=ip,
            detail=passkey.name,
            code=TwoStepCode.REMOVED_BY_RESET,
        )
        security_log("authn_token_delete", user_id=user.pk, ip=ip, factor="passkey", reason="reset")
        passkey.delete()
