"""View gates: account settings are out of reach of a Kids profile, and what weakens
protection needs the password re-entered within the last few minutes (sudo mode)."""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django_htmx.http import HttpResponseClientRedirect

# When this session last re-entered the account password (epoch seconds).
SESSION_REAUTH_KEY = "_password_confirmed_at"
REAUTH_WINDOW = 10 * 60

View = Callable[..., HttpResponse]


def not_for_kids(view: View) -> View:
    """A Kids profile gets a page that says so (403), with a way to switch profile."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        profile = getattr(request, "profile", None)
        if profile and profile.is_kids:
            return render(request, "accounts/kids_blocked.html", status=403)
        return view(request, *args, **kwargs)

    return wrapper


def password_recently_confirmed(request: HttpRequest) -> bool:
    confirmed_at = request.session.get(SESSION_REAUTH_KEY, 0)
    return isinstance(confirmed_at, int | float) and time.time() - confirmed_at < REAUTH_WINDOW


def password_confirmed_now(request: HttpRequest) -> None:
    """Open the gate for REAUTH_WINDOW, on a fresh session key."""
    # A session stolen before this moment gains nothing from it.
    request.session.cycle_key()
    request.session[SESSION_REAUTH_KEY] = time.time()


def confirm_password_url(next_url: str) -> str:
    return f"{reverse('confirm_password')}?{urlencode({'next': next_url})}"


def password_confirmation_required(view: View) -> View:
    """The password must have been re-entered in the last 10 minutes.

    An htmx request past the window gets a client redirect to the gate with `next` set to
    the page the fragment belongs to, never the gate pasted into the fragment.
    """

    @wraps(view)
    @not_for_kids
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not password_recently_confirmed(request):
            htmx = getattr(request, "htmx", None)
            if htmx:
                page = htmx.current_url_abs_path or request.get_full_path()
                return HttpResponseClientRedirect(confirm_password_url(page))
            return redirect(confirm_password_url(request.get_full_path()))
        return view(request, *args, **kwargs)

    return wrapper
