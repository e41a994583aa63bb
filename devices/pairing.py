"""Signing a TV in with a code approved from the web (RFC 8628 device authorization, in HTML)."""

from __future__ import annotations

import enum
import hashlib
import re
import secrets
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import login
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from oauth2_provider.models import Application

from accounts.http import client_ip
from accounts.models import User
from accounts.services import security_event_log
from accounts.throttle import Throttle
from devices.events import DeviceCode, DeviceEvent

from .geo import locate
from .http import current_device, session_limit
from .models import Device, PairingCode
from .services import USER_AGENT_MAX
from .useragent import parse_user_agent

SECRET_COOKIE = "sg_tv"  # noqa: S105  (a cookie name, not a secret)
LIMITED_SESSION = timedelta(hours=24)
_CODE_RE = re.compile(rf"^[{PairingCode.ALPHABET}]{{{PairingCode.LENGTH}}}$")
_PLATFORMS = {
    "playstation": (Device.Kind.CONSOLE, "PlayStation"),
    "xbox": (Device.Kind.CONSOLE, "Xbox"),
    "tv": (Device.Kind.TV, "Smart TV"),
}


class PollResult(enum.Enum):
    PENDING = "authorization_pending"
    SLOW_DOWN = "slow_down"
    EXPIRED = "expired_token"
    CANCELLED = "access_denied"
    SIGNED_IN = "signed_in"


def secret_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def normalize_user_code(raw: str) -> str | None:
    """ "bcdf-ghjk", "BCDF GHJK" and "BCDFGHJK" are the same code; anything else is None."""
    code = re.sub(r"[\s-]", "", (raw or "")[:32]).upper()
    return code if _CODE_RE.match(code) else None


def user_code_problem(raw: str) -> str:
    """What is wrong with a code normalize_user_code refused, in the words the page shows."""
    code = re.sub(r"[\s-]", "", (raw or "")[:32])
    if len(code) != PairingCode.LENGTH:
        return _("That code has 8 letters, like BCDF-GHJK.")
    return _("Codes use consonants only, like BCDF-GHJK.")


def client_platform(request: HttpRequest) -> tuple[str, str]:
    """The kind and name of the TV client: from ?platform=, else from its User-Agent."""
    parsed = parse_user_agent(request.headers.get("user-agent", ""))
    platform = request.GET.get("platform", "")
    if platform in _PLATFORMS:
        kind, name = _PLATFORMS[platform]
        if parsed.kind == kind:  # the User-Agent knows better ("PlayStation 5")
            return parsed.kind, parsed.name
        return kind, name
    if parsed.kind in (Device.Kind.TV, Device.Kind.CONSOLE, Device.Kind.STICK):
        return parsed.kind, parsed.name
    # A computer's browser opened the TV client: it is played as a TV.
    return Device.Kind.TV, f"TV app ({parsed.name})"


def pairing_start(*, request: HttpRequest) -> tuple[PairingCode, str]:
    """Make a fresh code and device secret for a TV that is not signed in."""
    kind, name = client_platform(request)
    ip = client_ip(request)
    location = locate(ip)
    for _attempt in range(5):
        secret = secrets.token_urlsafe(32)
        user_code = "".join(secrets.choice(PairingCode.ALPHABET) for _ in range(PairingCode.LENGTH))
        try:
            with transaction.atomic():
                code = PairingCode.objects.create(
                    user_code=user_code,
                    secret_hash=secret_hash(secret),
                    expires_at=timezone.now() + PairingCode.LIFETIME,
                    kind=kind,
                    name=name,
                    user_agent=request.headers.get("user-agent", "")[:USER_AGENT_MAX],
                    ip=ip,
                    city=location.city,
                    country=location.country,
                )
        except IntegrityError:
            continue  # the same pending code twice: draw again
        return code, secret
    raise RuntimeError("Could not draw a unique pairing code.")


def app_platform(*, application: Application, user_agent: str) -> tuple[str, str]:
    """A native app's kind and name: the app's name, and the device its User-Agent names."""
    parsed = parse_user_agent(user_agent)
    if parsed.kind in (Device.Kind.COMPUTER, Device.Kind.UNKNOWN):
        return Device.Kind.TV, application.name[:100]
    return parsed.kind, f"{application.name} ({parsed.name})"[:100]


def app_pairing_start(
    *, request: HttpRequest, application: Application, device_code: str, user_code: str
) -> PairingCode:
    """The code a native app got from the device grant, to be entered on /activate/."""
    user_agent = request.headers.get("user-agent", "")
    kind, name = app_platform(application=application, user_agent=user_agent)
    ip = client_ip(request)
    location = locate(ip)
    return PairingCode.objects.create(
        user_code=user_code.replace("-", ""),
        # The device code is the app's secret, as the cookie is the browser TV's.
        secret_hash=secret_hash(device_code),
        expires_at=timezone.now() + PairingCode.LIFETIME,
        kind=kind,
        name=name,
        user_agent=user_agent[:USER_AGENT_MAX],
        ip=ip,
        city=location.city,
        country=location.country,
        application=application,
    )


def pairing_for_secret(secret: str | None) -> PairingCode | None:
    if not secret or len(secret) > 100:
        return None
    return PairingCode.objects.filter(secret_hash=secret_hash(secret)).first()


def pairing_lookup(user_code: str, *, user: User) -> PairingCode | None:
    """The pending, unexpired code with this user code, now this account's to approve."""
    code = PairingCode.objects.pending().filter(user_code=user_code).first()
    if code is not None:
        PairingCode.objects.filter(pk=code.pk).update(looked_up_by=user)
        code.looked_up_by = user
    return code


@transaction.atomic
def pairing_poll(*, request: HttpRequest, code: PairingCode) -> tuple[PollResult, PairingCode]:
    """One poll from the TV: sign it in once approved, slow it down if it polls too fast."""
    result, code = poll_locked(code=code)
    if result is PollResult.SIGNED_IN and code.approved_by is not None:
        _sign_in_tv(request=request, code=code, user=code.approved_by)
    return result, code


def poll_locked(*, code: PairingCode) -> tuple[PollResult, PairingCode]:
    """One poll, inside the caller's transaction: an approved code is redeemed, once."""
    code = (
        PairingCode.objects.select_for_update(of=("self",))
        .select_related("approved_by")
        .get(pk=code.pk)
    )
    now = timezone.now()
    if code.status == PairingCode.Status.CANCELLED:
        return PollResult.CANCELLED, code
    if code.status == PairingCode.Status.REDEEMED or code.is_expired:
        return PollResult.EXPIRED, code
    too_fast = (
        code.last_polled_at is not None
        # A little slack for timers that fire a few milliseconds early.
        and (now - code.last_polled_at).total_seconds() < code.poll_interval - 0.5
    )
    code.last_polled_at = now
    approved = code.status == PairingCode.Status.APPROVED
    # An approved code is collected however soon: the TV's "I've entered the code" button
    # may be pressed right after a poll. Slowing down guards only the waiting.
    if too_fast and not approved:
        code.poll_interval = min(code.poll_interval + 5, 60)
        code.save(update_fields=["last_polled_at", "poll_interval"])
        return PollResult.SLOW_DOWN, code
    if approved:
        code.status = PairingCode.Status.REDEEMED
        code.save(update_fields=["last_polled_at", "status"])
        return PollResult.SIGNED_IN, code
    code.save(update_fields=["last_polled_at"])
    return PollResult.PENDING, code


def _sign_in_tv(*, request: HttpRequest, code: PairingCode, user: User) -> None:
    # Django's own login: the devices signal records the Device like any sign-in.
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    device = current_device(request, user=user)
    if device is None:
        return
    # A TV the account holder named keeps its name when it pairs again.
    device.kind, device.name = code.kind, device.given_name or code.name
    device.save(update_fields=["kind", "name"])
    if code.limited:
        session_limit(request, device=device, lifetime=LIMITED_SESSION)


@transaction.atomic
def pairing_approve(*, code: PairingCode, user: User, limited: bool, request: HttpRequest) -> bool:
    """The account holder said "Sign in": the TV's next poll signs it in."""
    updated = (
        PairingCode.objects.pending()
        .filter(pk=code.pk)
        .update(
            status=PairingCode.Status.APPROVED,
            approved_by=user,
            approved_at=timezone.now(),
            limited=limited,
        )
    )
    if updated:
        security_event_log(
            user=user,
            kind=DeviceEvent.PAIRING_APPROVED,
            ip=code.ip,
            location=code.known_location,
            detail=code.name,
            code=DeviceCode.LIMITED_24H if limited else "",
        )
    return bool(updated)


@transaction.atomic
def pairing_cancel(*, code: PairingCode, user: User) -> bool:
    """The account holder said "Cancel": the code is dead and the TV shows a new one."""
    updated = (
        PairingCode.objects.pending().filter(pk=code.pk).update(status=PairingCode.Status.CANCELLED)
    )
    if updated:
        security_event_log(
            user=user, kind=DeviceEvent.PAIRING_CANCELLED, ip=code.ip, detail=code.name
        )
    return bool(updated)


def activate_throttle() -> Throttle:
    """Wrong codes on /activate/: 5 in 10 minutes per account or IP."""
    return Throttle("activate", attempts=5, window=settings.ACTIVATE_THROTTLE_WINDOW)


def code_throttle() -> Throttle:
    """New codes drawn by /tv/: 30 in 10 minutes per IP (a household has a few TVs)."""
    return Throttle("tv-code", attempts=30, window=settings.ACTIVATE_THROTTLE_WINDOW)


def pairing_secret_cookie_kwargs() -> dict[str, Any]:
    return {
        "max_age": int(PairingCode.LIFETIME.total_seconds()) + 60,
        "httponly": True,
        "samesite": "Strict",
        "secure": settings.SESSION_COOKIE_SECURE,
        "path": "/tv/",
    }
