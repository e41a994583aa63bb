"""State changes for devices: sign-in tracking, sign-out one or all, remove."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from oauth2_provider.models import (
    AccessToken,
    Application,
    DeviceGrant,
    RefreshToken,
    clear_expired,
)

from accounts.models import SecurityEvent, User
from accounts.origin import Origin
from accounts.services import security_event_log
from devices.events import DeviceCode, DeviceEvent

from . import emails
from .geo import locate
from .models import Device, DisabledApp, PairingCode
from .sessions import session_restamp, sessions_delete
from .signals import device_removed, device_renamed
from .useragent import parse_user_agent

if TYPE_CHECKING:
    from accounts.models import Profile

    from .managers import DeviceQuerySet

USER_AGENT_MAX = Device._meta.get_field("user_agent").max_length
APP_LIMITED_SESSION = timedelta(hours=24)


@transaction.atomic
def device_sign_in(
    *, user: User, user_agent: str, ip: str | None, cookie_id: uuid.UUID | None, session_key: str
) -> Device:
    """Create or revive the Device of the browser or TV that just signed in."""
    values: dict[str, Any] = {
        "user": user,
        "user_agent": user_agent[:USER_AGENT_MAX],
        "ip": ip,
        "cookie_id": cookie_id,
        "session_key": session_key,
    }
    try:
        with transaction.atomic():
            return _device_sign_in(**values)
    except IntegrityError:
        # The same browser signed in twice at once and the other request created its
        # device first: this one now finds that row and revives it.
        with transaction.atomic():
            return _device_sign_in(**values)


def _device_sign_in(
    *, user: User, user_agent: str, ip: str | None, cookie_id: uuid.UUID | None, session_key: str
) -> Device:
    parsed = parse_user_agent(user_agent)
    now = timezone.now()
    device = None
    if cookie_id is not None:
        device = Device.objects.select_for_update().filter(user=user, cookie_id=cookie_id).first()
    # A browser the account holder removed or reported ("This wasn't me") is a stranger again.
    disowned = device is not None and device.signed_out_reason in (
        Device.SignOutReason.REMOVED,
        Device.SignOutReason.NOT_ME,
    )
    is_new = device is None or disowned
    # The account's very first device is the sign-up itself: nothing to warn about.
    warn = is_new and Device.objects.for_account(user).exists()
    if device is None:
        device = Device(user=user, cookie_id=cookie_id or uuid.uuid4(), first_seen_at=now)
    if is_new or device.ip != ip:
        location = locate(ip)
        device.city, device.country = location.city, location.country
    if disowned:
        device.given_name = ""
    device.kind = parsed.kind
    device.name = device.given_name or parsed.name
    device.user_agent = user_agent
    device.ip = ip
    device.session_key = session_key
    device.signed_in_at = device.last_seen_at = now
    device.signed_out_at = None
    device.signed_out_reason = ""
    device.save()
    security_event_log(user=user, kind=SecurityEvent.Kind.SIGNED_IN, device=device)
    if warn:
        Device.objects.filter(pk=device.pk).update(notified_at=now)
        transaction.on_commit(lambda: emails.new_device_send(device=device))
    return device


@transaction.atomic
def app_device_sign_in(
    *, user: User, code: PairingCode, application: Application, token_family: uuid.UUID
) -> Device:
    """A native app's code was redeemed for tokens: the token family becomes a Device."""
    now = timezone.now()
    warn = Device.objects.for_account(user).exists()
    device = Device.objects.create(
        user=user,
        kind=code.kind,
        name=code.name,
        user_agent=code.user_agent,
        ip=code.ip,
        city=code.city,
        country=code.country,
        application=application,
        token_family=token_family,
        signed_in_at=now,
        last_seen_at=now,
        first_seen_at=now,
        expires_at=now + APP_LIMITED_SESSION if code.limited else None,
        notified_at=now if warn else None,
    )
    security_event_log(user=user, kind=SecurityEvent.Kind.SIGNED_IN, device=device)
    if warn:
        transaction.on_commit(lambda: emails.new_device_send(device=device))
    return device


def app_device_seen(*, device: Device) -> None:
    """An app used its token: last seen moves, at most once per activity interval."""
    now = timezone.now()
    interval = timedelta(seconds=settings.DEVICE_ACTIVITY_INTERVAL_SECONDS)
    if device.last_seen_at <= now - interval:
        Device.objects.filter(pk=device.pk, last_seen_at__lte=now - interval).update(
            last_seen_at=now
        )
        device.last_seen_at = now


def _device_tokens_revoke(device: Device) -> None:
    if device.token_family is not None:
        _tokens_revoke([device.token_family])


def _tokens_revoke(families: list[uuid.UUID]) -> None:
    """Revoke these token families (apps' Devices) in the caller's transaction, as
    django-oauth-toolkit does: refresh tokens marked revoked, access tokens deleted. The
    next API request reads the database and finds none, on every worker."""
    # Access tokens first: their refresh tokens still point at them.
    AccessToken.objects.filter(
        Q(refresh_token__token_family__in=families)
        | Q(source_refresh_token__token_family__in=families)
    ).delete()
    now = timezone.now()
    RefreshToken.objects.filter(token_family__in=families, revoked__isnull=True).update(
        revoked=now, updated=now
    )


def device_expiry_set(*, device: Device, until: datetime) -> None:
    """This device's session ends by itself at until ("Sign in for 24 hours only")."""
    Device.objects.filter(pk=device.pk).update(expires_at=until)
    device.expires_at = until


def device_profile_remember(*, device_id: str | None, profile: Profile) -> None:
    """Remember which profile was last picked on this device."""
    if device_id:
        Device.objects.filter(id=device_id).update(last_profile=profile)


@transaction.atomic
def device_sign_out_self(*, user: User, device: Device | None, ip: str | None) -> None:
    """The device signed itself out ("Sign out"): record it before its session is flushed."""
    if device is not None:
        _device_tokens_revoke(device)
        _mark_signed_out(Device.objects.filter(pk=device.pk), Device.SignOutReason.SELF)
    security_event_log(user=user, kind=SecurityEvent.Kind.SIGNED_OUT, device=device, ip=ip)


def device_mark_signed_out(*, device_id: str, reason: str) -> None:
    """Record that this device's session ended by itself (it expired) and why."""
    _mark_signed_out(Device.objects.filter(id=device_id), reason)


def _mark_signed_out(devices: DeviceQuerySet, reason: str) -> int:
    return devices.filter(signed_out_at__isnull=True).update(
        signed_out_at=timezone.now(), signed_out_reason=reason
    )


@transaction.atomic
def sign_out_device(
    *, device: Device, reason: str = Device.SignOutReason.REMOTE, actor: str = "", log: bool = True
) -> None:
    """Sign one device out: its session dies in the store at once, cached copies too, and an
    app's tokens are revoked."""
    sessions_delete([device.session_key] if device.session_key else [])
    _device_tokens_revoke(device)
    _mark_signed_out(Device.objects.filter(pk=device.pk), reason)
    device.refresh_from_db(fields=["signed_out_at", "signed_out_reason"])
    if log:
        security_event_log(
            user=device.user, kind=DeviceEvent.DEVICE_SIGNED_OUT, device=device, actor=actor
        )


@transaction.atomic
def device_disown(*, device: Device) -> None:
    """ "This wasn't me": signed out if it was not, marked as reported, and a stranger next time."""
    sessions_delete([device.session_key] if device.session_key else [])
    _device_tokens_revoke(device)
    if device.signed_out_reason != Device.SignOutReason.REMOVED:
        # A removed device is already a stranger, and its erased trail stays erased.
        Device.objects.filter(pk=device.pk).update(
            signed_out_at=Coalesce(F("signed_out_at"), timezone.now()),
            signed_out_reason=Device.SignOutReason.NOT_ME,
        )
    device.refresh_from_db(fields=["signed_out_at", "signed_out_reason"])
    security_event_log(
        user=device.user,
        kind=DeviceEvent.DEVICE_SIGNED_OUT,
        device=device,
        code=DeviceCode.NOT_ME,
    )


@transaction.atomic
def device_rename(*, device: Device, name: str) -> None:
    """ "Name this device": the new name shows everywhere, and stays across its sign-ins."""
    Device.objects.filter(pk=device.pk).update(name=name, given_name=name)
    device.name = device.given_name = name
    SecurityEvent.objects.filter(device=device).update(device_name=name)
    device_renamed.send(sender=Device, device=device)


@transaction.atomic
def sign_out_all(
    *, user: User, keep_device: Device | None = None, reason: str = Device.SignOutReason.ALL
) -> int:
    """Sign every device of the account out but the kept one, in a fixed number of queries.

    Logs nothing: the flow that asked for it writes its own entry (sign_out_everywhere,
    a password change, disabling the account)."""
    devices = Device.objects.for_account(user).filter(signed_out_at__isnull=True)
    if keep_device is not None:
        devices = devices.exclude(id=keep_device.id)
    # Sessions and app token families in one read: an account of browsers only pays
    # nothing for apps, one with apps a fixed number of queries more.
    rows = list(devices.values_list("session_key", "token_family"))
    sessions_delete([key for key, _family in rows if key])
    families = [family for _key, family in rows if family is not None]
    if families:
        _tokens_revoke(families)
    count = _mark_signed_out(devices, reason)
    # The generation in the auth hash kills any session of the account nothing tracked.
    User.objects.filter(pk=user.pk).update(session_generation=F("session_generation") + 1)
    user.refresh_from_db(fields=["session_generation"])
    if keep_device is not None and keep_device.session_key:
        # The kept session stays valid; a web request also refreshes its own copy
        # (update_session_auth_hash), since it saves its session after this.
        session_restamp(
            keep_device.session_key, user_pk=user.pk, auth_hash=user.get_session_auth_hash()
        )
    return count


@transaction.atomic
def sign_out_everywhere(
    *, user: User, keep_device: Device | None = None, origin: Origin, actor: str = ""
) -> int:
    """ "Sign out of all (other) devices", asked by the account holder or an operator."""
    count = sign_out_all(user=user, keep_device=keep_device)
    security_event_log(
        user=user,
        kind=DeviceEvent.ALL_SIGNED_OUT,
        code=DeviceCode.ONE_KEPT if keep_device is not None else DeviceCode.EVERY_DEVICE,
        actor=actor,
        ip=origin.ip,
    )
    return count


def sessions_restamp_others(*, user: User, keep_device: Device | None) -> None:
    """The other devices stay signed in across a password change: their sessions get the
    account's new auth hash (one write per live session of the account)."""
    auth_hash = user.get_session_auth_hash()
    others = Device.objects.for_account(user).signed_in().exclude(session_key=None)
    if keep_device is not None:
        others = others.exclude(id=keep_device.id)
    for session_key in others.values_list("session_key", flat=True):
        if session_key:
            session_restamp(session_key, user_pk=user.pk, auth_hash=auth_hash)


def devices_mark_expired(*, batch_size: int = 1000) -> int:
    """Mark devices whose session ran out by itself as signed out (reason: expired)."""
    total = 0
    while ids := list(Device.objects.expired_unmarked().values_list("id", flat=True)[:batch_size]):
        total += _mark_signed_out(Device.objects.filter(id__in=ids), Device.SignOutReason.EXPIRED)
    return total


def devices_prune(*, older_than: datetime, batch_size: int = 1000) -> int:
    """Delete devices signed out before older_than (and spent TV codes), a batch at a time."""
    from .models import PairingCode

    PairingCode.objects.filter(expires_at__lt=timezone.now() - timedelta(days=1)).delete()
    total = 0
    old = Device.objects.filter(signed_out_at__lt=older_than)
    while ids := list(old.values_list("id", flat=True)[:batch_size]):
        Device.objects.filter(id__in=ids).delete()
        total += len(ids)
    return total


def app_tokens_prune() -> int:
    """Delete the apps' spent device codes (a day past their expiry) and, through
    django-oauth-toolkit's clear_expired() (what its `cleartokens` runs), their expired
    tokens and grants; rotated refresh tokens stay as long as reuse protection needs them.
    Returns how many device codes went (the toolkit logs its own counts)."""
    spent = DeviceGrant.objects.filter(expires__lt=timezone.now() - timedelta(days=1))
    deleted: int = spent.delete()[0]
    clear_expired()
    return deleted


@transaction.atomic
def remove_device(*, device: Device, actor: str = "") -> None:
    """Sign a device out and erase its IP addresses and locations everywhere they are stored."""
    sessions_delete([device.session_key] if device.session_key else [])
    _device_tokens_revoke(device)
    # Other apps erase the device's addresses from their rows and say which they held.
    responses = device_removed.send(sender=Device, device=device)
    ips = _device_ips(device, also={ip for _receiver, held in responses for ip in held or ()})
    # Rows logged without a device (a TV's pairing, a sign-out-all) but from its addresses.
    SecurityEvent.objects.filter(user=device.user, device=None, ip__in=ips).update(
        ip=None, location=""
    )
    PairingCode.objects.filter(approved_by=device.user, ip__in=ips).update(
        ip=None, city="", country="", user_agent=""
    )
    Device.objects.filter(pk=device.pk).update(
        signed_out_at=Coalesce(F("signed_out_at"), timezone.now()),
        signed_out_reason=Device.SignOutReason.REMOVED,
        ip=None,
        city="",
        country="",
        user_agent="",
    )
    SecurityEvent.objects.filter(device=device).update(ip=None, location="")
    security_event_log(
        user=device.user, kind=DeviceEvent.DEVICE_REMOVED, detail=device.name, actor=actor
    )


def _device_ips(device: Device, *, also: set[str]) -> set[str]:
    """Every address this device was seen from: its row, its log entries, other apps' rows."""
    logged = (
        SecurityEvent.objects.filter(device=device).exclude(ip=None).values_list("ip", flat=True)
    )
    ips = {ip for ip in logged if ip} | also
    if device.ip:
        ips.add(device.ip)
    return ips


@transaction.atomic
def app_register(*, client_id: str, name: str) -> Application:
    """Register (or rename) a native app: a public client of the device grant, no secret."""
    app, _created = Application.objects.update_or_create(
        client_id=client_id,
        defaults={
            "name": name,
            "client_type": Application.CLIENT_PUBLIC,
            "authorization_grant_type": Application.GRANT_DEVICE_CODE,
            "client_secret": "",
            "redirect_uris": "",
        },
    )
    return app


@transaction.atomic
def app_disable(*, application: Application, actor: str = "") -> int:
    """The app gets no new code or token, and every device signed in with it is signed out."""
    DisabledApp.objects.get_or_create(application=application)
    PairingCode.objects.pending().filter(application=application).update(
        status=PairingCode.Status.CANCELLED
    )
    devices = list(Device.objects.filter(application=application, signed_out_at__isnull=True))
    for device in devices:
        sign_out_device(device=device, reason=Device.SignOutReason.SUPPORT, actor=actor)
    return len(devices)


def app_enable(*, application: Application) -> None:
    """The app may sign devices in again."""
    DisabledApp.objects.filter(application=application).delete()
