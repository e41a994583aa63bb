"""What a TV or console signed in through /tv/ may open: watching, picking a profile and
signing itself out. Everything else (the account pages, its devices and their addresses,
the security log, signing other devices out, approving another TV) answers 403: a code
read off a TV screen, or phished, must not open the whole account.

Deny by default: a page added later is out of a TV's reach until it is named here."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.urls import reverse

from accounts.securitylog import security_log

from .context_processors import TV_CLIENT_SESSION_KEY

# URL names a TV session may open: its own client, the catalog as it watches, and the rest
# of what any browser needs (sign-out, the language switch, health checks).
TV_VIEWS = frozenset(
    {
        "tv_home",
        "tv_poll",
        "tv_heartbeat",
        "tv_profile",
        "tv_settings",
        "tv_sign_out",
        "catalog:browse",
        "catalog:search",
        "catalog:title",
        "catalog:poster",
        "catalog:unlock",
        "catalog:watch",
        "catalog:heartbeat",
        "catalog:stop",
        "logout",
        "language",
        "healthz",
        "readyz",
    }
)


class TvSessionScopeMiddleware:
    """A TV session opens only TV_VIEWS; anything else is a 403 that says where to go."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: Callable[..., Any], *args: Any
    ) -> HttpResponseBase | None:
        # What a TV may open is answered first: it loads no session (health checks).
        match = request.resolver_match
        if match is not None and match.view_name in TV_VIEWS:
            return None
        session = getattr(request, "session", None)
        if session is None or not session.get(TV_CLIENT_SESSION_KEY):
            return None
        security_log("authz_fail", request=request, reason="tv_session")
        account_url = settings.SITE_URL.rstrip("/") + reverse("account")
        return render(request, "tv/elsewhere.html", {"account_url": account_url}, status=403)
