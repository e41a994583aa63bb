"""View gates: account settings are out of reach of a Kids profile, and what weakens
protection needs the password re-entered within the last few minutes (sudo mode)."""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any, overload

from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django_htmx.http import HttpResponseClientRedirect

from .gate import Purpose, confirm_password_url
from .securitylog import security_log

if TYPE_CHECKING:
    from .models import User

# When this session last re-entered the account password (epoch seconds).
SESSION_REAUTH_KEY = "_password_confirmed_at"
# When it last passed a second step (code or passkey); asked for too once two-step is on.
SESSION_SECOND_STEP_KEY = "_second_step_confirmed_at"
# What the gate was last passed for (a Purpose value): a page it led to need not ask again.
SESSION_REAUTH_PURPOSE_KEY = "_password_confirmed_for"
REAUTH_WINDOW = 10 * 60

View = Callable[..., HttpResponseBase]


def not_for_kids(view: View) -> View:
    """A Kids profile gets a page that says so (403), with a way to switch profile."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        profile = getattr(request, "profile", None)
        if profile and profile.is_kids:
            security_log("authz_fail", request=request, reason="kids_profile")
            return render(request, "accounts/kids_blocked.html", status=403)
        return view(request, *args, **kwargs)

    return wrapper


def _recent(request: HttpRequest, key: str) -> bool:
    confirmed_at = request.session.get(key, 0)
    return isinstance(confirmed_at, int | float) and time.time() - confirmed_at < REAUTH_WINDOW


# Each says whether an account must give a second step at the gate as well as its password;
# mfa adds "two-step verification is on" in its ready(), as accounts imports no mfa.
SECOND_STEP_REQUIRED: list[Callable[[User], bool]] = []


def password_recently_confirmed(request: HttpRequest) -> bool:
    """The gate is open: password re-entered lately and, with two-step on, a second step too."""
    if not _recent(request, SESSION_REAUTH_KEY):
        return False
    user: User | None = getattr(request, "user", None)
    if (
        user is not None
        and user.is_authenticated
        and any(required(user) for required in SECOND_STEP_REQUIRED)
    ):
        return _recent(request, SESSION_SECOND_STEP_KEY)
    return True


# Each says whether this session proved, within REAUTH_WINDOW, that its user is present: the
# password re-entered now, and whatever is added here (a fresh second step) counts as well.
RECENT_AUTH_CHECKS: list[Callable[[HttpRequest], bool]] = [password_recently_confirmed]


def recently_authenticated(request: HttpRequest) -> bool:
    """The one question every gated view asks: did this session authenticate just now?"""
    return any(check(request) for check in RECENT_AUTH_CHECKS)


def password_confirmed_now(
    request: HttpRequest, *, second_step: bool = False, purpose: Purpose = Purpose.CONTINUE
) -> None:
    """Open the gate for REAUTH_WINDOW, on a fresh session key, remembering what for.

    A passkey opens it alone (it is both something owned and, verified on the device,
    something known or held), so the passkey view passes second_step=True.
    """
    # A session stolen before this moment gains nothing from it.
    request.session.cycle_key()
    now = time.time()
    request.session[SESSION_REAUTH_KEY] = now
    request.session[SESSION_REAUTH_PURPOSE_KEY] = purpose.value
    if second_step:
        request.session[SESSION_SECOND_STEP_KEY] = now


def recent_authentication_redirect(
    request: HttpRequest, *, purpose: Purpose, next_url: str
) -> HttpResponse | None:
    """None if this session authenticated just now; else the way to the password gate, back to
    next_url after it (for what a decorator cannot wrap: admin actions, admin views)."""
    if recently_authenticated(request):
        return None
    security_log("authz_fail", request=request, reason="recent_authentication_required")
    return redirect(confirm_password_url(next_url, purpose=purpose))


def gate_passed_for(request: HttpRequest, purpose: Purpose) -> bool:
    """The gate is open and was passed on the way to this very purpose (not for another
    one a few minutes ago): the page it led to asks for the password no second time."""
    return (
        recently_authenticated(request)
        and request.session.get(SESSION_REAUTH_PURPOSE_KEY) == purpose.value
    )


def gate_purpose_spent(request: HttpRequest) -> None:
    """What the gate was passed for is done: a next visit asks as usual."""
    request.session.pop(SESSION_REAUTH_PURPOSE_KEY, None)


@overload
def password_confirmation_required(view: View) -> View: ...
@overload
def password_confirmation_required(
    *, purpose: Purpose = ..., back_to: Callable[..., str] | None = None
) -> Callable[[View], View]: ...
def password_confirmation_required(
    view: View | None = None,
    *,
    purpose: Purpose = Purpose.CONTINUE,
    back_to: Callable[..., str] | None = None,
) -> View | Callable[[View], View]:
    """Recent authentication (sudo mode): the password re-entered in the last 10 minutes (and,
    with two-step verification on, a code or passkey given with it), or a passkey instead.

    `purpose` says on the gate and in the security log what the password is for
    (`@password_confirmation_required(purpose=Purpose.PARENTAL)`); used bare, it reads
    "to continue". The gate sends the person back to the gated URL itself; a POST-only view
    names the page its form is on with `back_to`
    (called with the view's arguments). An htmx request past the window gets a client
    redirect to the gate with `next` set to the page the fragment belongs to, never the
    gate pasted into the fragment.
    """

    def decorate(view: View) -> View:
        @wraps(view)
        @not_for_kids
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if recently_authenticated(request):
                return view(request, *args, **kwargs)
            security_log("authz_fail", request=request, reason="recent_authentication_required")
            htmx = getattr(request, "htmx", None)
            if htmx:
                page = htmx.current_url_abs_path or request.get_full_path()
                return HttpResponseClientRedirect(confirm_password_url(page, purpose=purpose))
            page = back_to(*args, **kwargs) if back_to is not None else request.get_full_path()
            return redirect(confirm_password_url(page, purpose=purpose))

        return wrapper

    return decorate(view) if view is not None else decorate
