"""What devices reads from a request: the device cookie, this session's device, the origin.

Services take the values these return, never the request itself."""

from __future__ import annotations

import time
import uuid
from dataclasses import replace
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db.models import F, Q
from django.http import HttpRequest
from django.utils import timezone

from accounts.http import client_ip
from accounts.models import KEEP_SIGNED_IN_ATTR, Profile, User
from accounts.origin import Origin

from . import services
from .geo import locate
from .models import Device
from .sessions import DeviceStamp


def device_cookie_read(request: HttpRequest) -> uuid.UUID | None:
    raw = request.get_signed_cookie(
        settings.DEVICE_COOKIE_NAME, default=None, salt="devices.cookie"
    )
    try:
        return uuid.UUID(raw) if raw else None
    except ValueError:
        return None


def current_device_id(request: HttpRequest) -> str | None:
    """The id of the device this session belongs to, read from the session (no query)."""
    stamp = DeviceStamp.read(request.session)
    return stamp.id if stamp else None


def current_device(request: HttpRequest, *, user: User) -> Device | None:
    """This session's device row, if it is one of the account's: the one lookup for it."""
    device_id = current_device_id(request)
    return Device.objects.for_account(user).filter(id=device_id).first() if device_id else None


def request_origin(request: HttpRequest) -> Origin:
    """The client's address, this session's device and the profile in use."""
    user = request.user
    device = current_device(request, user=user) if isinstance(user, User) else None
    profile = getattr(request, "profile", None)
    return Origin(ip=client_ip(request), device=device, profile=profile.name if profile else "")


def device_sign_in(request: HttpRequest, *, user: User) -> Device:
    """The request just signed in: its device is created or revived and stamped on the session."""
    session_key = request.session.session_key or ""
    device = services.device_sign_in(
        user=user,
        user_agent=request.headers.get("user-agent", ""),
        ip=client_ip(request),
        cookie_id=device_cookie_read(request),
        session_key=session_key,
    )
    started = int(time.time())
    # Sign-in on the web says whether to keep the session; a TV's pairing always does.
    # Staff sessions are always short (they may open the admin): 30 minutes idle, 12 hours.
    kept = getattr(request, KEEP_SIGNED_IN_ATTR, True) is not False and not user.is_staff
    if not kept:
        request.session.set_expiry(0)  # the cookie ends with the browser
    stamp = DeviceStamp(
        id=str(device.id), key=session_key, at=started, ip=device.ip, since=started, kept=kept
    )
    stamp.write(request.session)
    request.device_cookie_id = device.cookie_id  # type: ignore[attr-defined]  # cookie set by the middleware
    return device


def device_signed_out_here(request: HttpRequest, *, user: User) -> None:
    """This device signs itself out ("Sign out"), before its session is flushed."""
    services.device_sign_out_self(
        user=user, device=current_device(request, user=user), ip=client_ip(request)
    )


def device_profile_used(request: HttpRequest, *, profile: Profile) -> None:
    """Remember on this session's device which profile was picked."""
    services.device_profile_remember(device_id=current_device_id(request), profile=profile)


def session_limit(request: HttpRequest, *, device: Device, lifetime: timedelta) -> None:
    """This device's session ends by itself after lifetime ("Sign in for 24 hours only")."""
    until = timezone.now() + lifetime
    services.device_expiry_set(device=device, until=until)
    request.session.set_expiry(int(lifetime.total_seconds()))
    stamp = DeviceStamp.read(request.session)
    if stamp is not None:
        replace(stamp, until=int(until.timestamp())).write(request.session)


def session_end(request: HttpRequest, *, reason: str) -> None:
    """End this request's session without a sign-in event, recording why on its device."""
    device_id = current_device_id(request)
    if device_id:
        services.device_mark_signed_out(device_id=device_id, reason=reason)
    request.session.flush()


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
