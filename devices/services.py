"""State changes for devices: sign-in tracking, sign-out one or all, remove."""

from __future__ import annotations

import time
import uuid
from dataclasses import replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth import update_session_auth_hash
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.http import HttpRequest
from django.utils import timezone

from accounts.http import client_ip
from accounts.models import KEEP_SIGNED_IN_ATTR, SecurityEvent, User
from accounts.services import security_event_log

from . import emails
from .geo import locate
from .http import current_device, current_device_id, device_cookie_read
from .models import Device, PairingCode
from .sessions import DeviceStamp, session_restamp, sessions_delete
from .signals import device_removed, device_renamed
from .useragent import parse_user_agent

if TYPE_CHECKING:
    from accounts.models import Profile

    from .managers import DeviceQuerySet

USER_AGENT_MAX = Device._meta.get_field("user_agent").max_length


@transaction.atomic
def device_sign_in(*, request: HttpRequest, user: User) -> Device:
    """Create or revive the Device of the browser or TV that just signed in."""
    try:
        with transaction.atomic():
            return _device_sign_in(request=request, user=user)
    except IntegrityError:
        # The same browser signed in twice at once and the other request created its
        # device first: this one now finds that row and revives it.
        with transaction.atomic():
            return _device_sign_in(request=request, user=user)


def _device_sign_in(*, request: HttpRequest, user: User) -> Device:
    user_agent = request.headers.get("user-agent", "")[:USER_AGENT_MAX]
    parsed = parse_user_agent(user_agent)
    ip = client_ip(request)
    now = timezone.now()
    cookie_id = device_cookie_read(request)
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
    device.session_key = request.session.session_key
    device.signed_in_at = device.last_seen_at = now
    device.signed_out_at = None
    device.signed_out_reason = ""
    device.save()
    started = int(time.time())
    # Sign-in on the web says whether to keep the session; a TV's pairing always does.
    kept = getattr(request, KEEP_SIGNED_IN_ATTR, True) is not False
    if not kept:
        request.session.set_expiry(0)  # the cookie ends with the browser
    stamp = DeviceStamp(
        id=str(device.id),
        key=request.session.session_key,
        at=started,
        ip=ip,
        since=started,
        kept=kept,
    )
    stamp.write(request.session)
    request.device_cookie_id = device.cookie_id  # type: ignore[attr-defined]  # cookie set by the middleware
    security_event_log(user=user, kind=SecurityEvent.Kind.SIGNED_IN, device=device)
    if warn:
        Device.objects.filter(pk=device.pk).update(notified_at=now)
        transaction.on_commit(lambda: emails.new_device_send(device=device))
    return device


# Why a session ended elsewhere: its browser's sign-in page says it was signed out from the account.
_ENDED_FROM_THE_ACCOUNT = (
    Device.SignOutReason.REMOTE,
    Device.SignOutReason.ALL,
    Device.SignOutReason.PASSWORD,
    Device.SignOutReason.SUPPORT,
    Device.SignOutReason.NOT_ME,
    Device.SignOutReason.REMOVED,
)


def device_signed_out_remotely(request: HttpRequest) -> bool:
    """True if this browser's device was signed out from the account, not by itself."""
    cookie_id = device_cookie_read(request)
    if cookie_id is None:
        return False
    # The same browser may have signed into several accounts: its latest device says.
    reason = (
        Device.objects.filter(cookie_id=cookie_id)
        .order_by(F("signed_out_at").desc(nulls_first=True))
        .values_list("signed_out_reason", flat=True)
        .first()
    )
    return reason in _ENDED_FROM_THE_ACCOUNT


def device_touch(request: HttpRequest, stamp: DeviceStamp) -> bool:
    """Record activity once per interval or on an IP change; False if the device is signed out."""
    ip = client_ip(request)
    now = time.time()
    key = request.session.session_key
    interval = settings.DEVICE_ACTIVITY_INTERVAL_SECONDS
    same_place = ip == stamp.ip and key == stamp.key
    if now - stamp.at < interval and same_place:
        return True
    changes: dict[str, Any] = {"last_seen_at": timezone.now(), "session_key": key}
    if ip != stamp.ip:
        location = locate(ip)
        changes.update(ip=ip, city=location.city, country=location.country)
    live = Device.objects.filter(id=stamp.id, signed_out_at__isnull=True)
    # One conditional UPDATE: the parallel requests of one page all find the interval over
    # (or the same new IP); the first one writes the row, the others match nothing.
    cutoff = timezone.now() - timedelta(seconds=interval)
    stale = Q(last_seen_at__lt=cutoff) | ~Q(session_key=key) | ~Q(ip=ip)
    fresh_stamp = replace(stamp, at=int(now), ip=ip, key=key)
    if live.filter(stale).update(**changes):
        # Also slides the session's idle expiry: the one session write of the interval.
        fresh_stamp.write(request.session)
        return True
    # Another request wrote the row first. A signed-out device is refused when its user is
    # loaded (devices/auth.py); only a new IP or key asks, then, whether it is still live.
    if not same_place and not live.exists():
        return False
    # The winner's session write carries the fresh stamp; this request's copy rides along
    # only if the request saves its session anyway, so losing costs no second write.
    fresh_stamp.write(request.session, save=False)
    return True


def device_session_limit(*, request: HttpRequest, device: Device, lifetime: timedelta) -> None:
    """This device's session ends by itself after lifetime ("Sign in for 24 hours only")."""
    until = timezone.now() + lifetime
    Device.objects.filter(pk=device.pk).update(expires_at=until)
    device.expires_at = until
    request.session.set_expiry(int(lifetime.total_seconds()))
    stamp = DeviceStamp.read(request.session)
    if stamp is not None:
        replace(stamp, until=int(until.timestamp())).write(request.session)


def device_profile_used(*, request: HttpRequest, profile: Profile) -> None:
    """Remember which profile was last picked on this device."""
    device_id = current_device_id(request)
    if device_id:
        Device.objects.filter(id=device_id).update(last_profile=profile)


@transaction.atomic
def device_signed_out_here(*, request: HttpRequest, user: User) -> None:
    """The device signed itself out ("Sign out"): record it before the session is flushed."""
    device = current_device(request, user=user)
    if device is not None:
        _mark_signed_out(Device.objects.filter(pk=device.pk), Device.SignOutReason.SELF)
    security_event_log(
        user=user, kind=SecurityEvent.Kind.SIGNED_OUT, device=device, ip=client_ip(request)
    )


def session_end(request: HttpRequest, *, reason: str) -> None:
    """End this request's session without a sign-in event, recording why on its device."""
    device_id = current_device_id(request)
    if device_id:
        _mark_signed_out(Device.objects.filter(id=device_id), reason)
    request.session.flush()


def _mark_signed_out(devices: DeviceQuerySet, reason: str) -> int:
    return devices.filter(signed_out_at__isnull=True).update(
        signed_out_at=timezone.now(), signed_out_reason=reason
    )


@transaction.atomic
def sign_out_device(
    *, device: Device, reason: str = Device.SignOutReason.REMOTE, actor: str = "", log: bool = True
) -> None:
    """Sign one device out: its session dies in the store at once, cached copies too."""
    sessions_delete([device.session_key] if device.session_key else [])
    _mark_signed_out(Device.objects.filter(pk=device.pk), reason)
    device.refresh_from_db(fields=["signed_out_at", "signed_out_reason"])
    if log:
        security_event_log(
            user=device.user, kind=SecurityEvent.Kind.DEVICE_SIGNED_OUT, device=device, actor=actor
        )


@transaction.atomic
def device_disown(*, device: Device) -> None:
    """ "This wasn't me": signed out if it was not, marked as reported, and a stranger next time."""
    sessions_delete([device.session_key] if device.session_key else [])
    if device.signed_out_reason != Device.SignOutReason.REMOVED:
        # A removed device is already a stranger, and its erased trail stays erased.
        Device.objects.filter(pk=device.pk).update(
            signed_out_at=Coalesce(F("signed_out_at"), timezone.now()),
            signed_out_reason=Device.SignOutReason.NOT_ME,
        )
    device.refresh_from_db(fields=["signed_out_at", "signed_out_reason"])
    security_event_log(
        user=device.user,
        kind=SecurityEvent.Kind.DEVICE_SIGNED_OUT,
        device=device,
        code=SecurityEvent.Code.NOT_ME,
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
    *,
    user: User,
    keep_request: HttpRequest | None = None,
    keep_device: Device | None = None,
    reason: str = Device.SignOutReason.ALL,
    actor: str = "",
    log: bool = True,
) -> int:
    """Sign every device of the account out but the kept one, in a fixed number of queries."""
    if keep_device is None and keep_request is not None:
        keep_id = current_device_id(keep_request)
    else:
        keep_id = str(keep_device.id) if keep_device is not None else None
    devices = Device.objects.for_account(user).filter(signed_out_at__isnull=True)
    if keep_id:
        devices = devices.exclude(id=keep_id)
    keys = devices.exclude(session_key=None).values_list("session_key", flat=True)
    sessions_delete([key for key in keys if key])
    count = _mark_signed_out(devices, reason)
    # The generation in the auth hash kills any session of the account nothing tracked.
    User.objects.filter(pk=user.pk).update(session_generation=F("session_generation") + 1)
    user.refresh_from_db(fields=["session_generation"])
    if keep_id and keep_device is None and keep_request is not None:
        update_session_auth_hash(keep_request, user)
    elif keep_device is not None and keep_device.session_key:
        session_restamp(
            keep_device.session_key, user_pk=user.pk, auth_hash=user.get_session_auth_hash()
        )
    if log:
        security_event_log(
            user=user,
            kind=SecurityEvent.Kind.ALL_SIGNED_OUT,
            code=SecurityEvent.Code.ONE_KEPT if keep_id else SecurityEvent.Code.EVERY_DEVICE,
            actor=actor,
            ip=client_ip(keep_request) if keep_request is not None else None,
        )
    return count


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


@transaction.atomic
def password_changed(
    *, request: HttpRequest, user: User, sign_out_others: bool, how: str = "change"
) -> None:
    """After a password change or reset: sign the other devices out, or keep them signed in."""
    if sign_out_others:
        sign_out_all(
            user=user, keep_request=request, reason=Device.SignOutReason.PASSWORD, log=False
        )
    else:
        keep_id = current_device_id(request)
        auth_hash = user.get_session_auth_hash()
        others = Device.objects.for_account(user).signed_in().exclude(session_key=None)
        if keep_id:
            others = others.exclude(id=keep_id)
        for session_key in others.values_list("session_key", flat=True):
            if session_key:
                session_restamp(session_key, user_pk=user.pk, auth_hash=auth_hash)
    reset = how == "reset"
    kind = SecurityEvent.Kind.PASSWORD_RESET if reset else SecurityEvent.Kind.PASSWORD_CHANGED
    Code = SecurityEvent.Code
    code = Code.OTHERS_SIGNED_OUT if sign_out_others else Code.OTHERS_KEPT
    device = current_device(request, user=user)
    event = security_event_log(
        user=user, kind=kind, device=device, ip=client_ip(request), code=code
    )
    transaction.on_commit(lambda: emails.password_changed_send(user=user, event=event))


@transaction.atomic
def password_set_by_support(*, user: User, actor: str) -> None:
    """A support agent set the password in the admin: every device is signed out."""
    sign_out_all(user=user, reason=Device.SignOutReason.SUPPORT, actor=actor, log=False)
    event = security_event_log(
        user=user,
        kind=SecurityEvent.Kind.PASSWORD_RESET,
        code=SecurityEvent.Code.SET_BY_SUPPORT,
        actor=actor,
    )
    transaction.on_commit(lambda: emails.password_changed_send(user=user, event=event))


@transaction.atomic
def remove_device(*, device: Device, actor: str = "") -> None:
    """Sign a device out and erase its IP addresses and locations everywhere they are stored."""
    sessions_delete([device.session_key] if device.session_key else [])
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
        user=device.user, kind=SecurityEvent.Kind.DEVICE_REMOVED, detail=device.name, actor=actor
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
