"""Request helpers every app uses: the request type, the client's IP, safe redirects."""

from __future__ import annotations

import ipaddress
from typing import TYPE_CHECKING
from uuid import UUID

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.http import url_has_allowed_host_and_scheme

from .models import SESSION_PROFILE_KEY, Profile

if TYPE_CHECKING:
    import uuid

    from django_htmx.middleware import HtmxDetails

    from .models import User


class AuthedHttpRequest(HttpRequest):
    """A request behind the auth, htmx and profile middleware."""

    user: User
    htmx: HtmxDetails
    profile: Profile | None
    device_cookie_id: uuid.UUID


def _valid(value: str | None) -> str | None:
    try:
        return str(ipaddress.ip_address((value or "").strip()))
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str | None:
    """REMOTE_ADDR, or the address TRUSTED_PROXY_COUNT proxies saw, never a forged header.

    Each trusted proxy appends the address it was connected from to X-Forwarded-For, so with
    N of them the client is the N-th entry from the right; whatever stands further left was
    sent by the client and proves nothing. A header with fewer than N entries did not pass
    through every proxy: the connection's own address is the only one known."""
    remote = _valid(request.META.get("REMOTE_ADDR"))
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies <= 0:
        return remote
    entries = [part.strip() for part in request.headers.get("x-forwarded-for", "").split(",")]
    entries = [entry for entry in entries if entry]
    if len(entries) < proxies:
        return remote
    return _valid(entries[-proxies]) or remote


def safe_next(request: HttpRequest, default: str) -> str:
    """A local path from POST or GET "next", else default. Never another site, never a name."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    local = target.startswith("/") and not target.startswith(("//", "/\\"))
    if local and url_has_allowed_host_and_scheme(
        target, {request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def own_profile_or_404(request: AuthedHttpRequest, public_id: UUID) -> Profile:
    """One of this account's profiles; another account's id is a 404."""
    return get_object_or_404(Profile.objects.for_account(request.user), public_id=public_id)


# Left in a browser whose session was ended from elsewhere, so its sign-in page can say why.
SIGNED_OUT_NOTICE_COOKIE = "sg_signed_out"
_SIGNED_OUT_NOTICE_SALT = "accounts.signed-out-notice"
_SIGNED_OUT_NOTICE_AGE = 600


def signed_out_notice_mark(request: HttpRequest) -> None:
    """This request's session was ended from the account: its own sign-in page says so."""
    request._signed_out_notice = True  # type: ignore[attr-defined]


def signed_out_notice_set(response: HttpResponse) -> None:
    """The browser keeps the mark for a few minutes, for the sign-in page it is sent to next."""
    response.set_signed_cookie(
        SIGNED_OUT_NOTICE_COOKIE,
        "remote",
        salt=_SIGNED_OUT_NOTICE_SALT,
        max_age=_SIGNED_OUT_NOTICE_AGE,
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )


def signed_out_notice_read(request: HttpRequest) -> bool:
    """True if this browser was signed out from the account a few minutes ago."""
    if getattr(request, "_signed_out_notice", False):
        return True
    value = request.get_signed_cookie(
        SIGNED_OUT_NOTICE_COOKIE,
        default=None,
        salt=_SIGNED_OUT_NOTICE_SALT,
        max_age=_SIGNED_OUT_NOTICE_AGE,
    )
    return value == "remote"


def profile_pick(request: HttpRequest, *, profile: Profile) -> None:
    """Make this the session's current profile (parental.pin.profile_open also has the
    device remember it)."""
    request.session[SESSION_PROFILE_KEY] = str(profile.public_id)
