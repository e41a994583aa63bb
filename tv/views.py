"""The TV and console client (/tv/): its code screen, profile picker, heartbeat and sign-out.

Once signed in, a TV opens the catalog's own views; the session flag set here makes them
render in the TV layout (see context_processors.client_layout)."""

from __future__ import annotations

from uuid import UUID

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from accounts.http import AuthedHttpRequest, client_ip, own_profile_or_404
from accounts.qr import qr_svg
from accounts.throttle import too_many
from devices import pairing
from devices.models import PairingCode
from devices.pairing import PollResult
from parental.pin import profile_pick_gate

from .context_processors import TV_CLIENT_SESSION_KEY


def _platform(request: HttpRequest) -> str:
    """ "playstation" for the console flavour of the client, "tv" otherwise."""
    if signed_in_as := request.session.get(TV_CLIENT_SESSION_KEY):
        return str(signed_in_as)
    kind, name = pairing.client_platform(request)
    return "playstation" if "PlayStation" in name else "tv"


@login_not_required
@never_cache
@require_GET
def tv_home(request: HttpRequest) -> HttpResponse:
    """Signed out: the code screen. Signed in: "Who's watching?" on the TV."""
    if request.user.is_authenticated:
        return render(
            request,
            "tv/home.html",
            {
                "profiles": request.user.profiles.select_related("controls", "user__parental_pin"),
                "platform": _platform(request),
            },
        )
    code = pairing.pairing_for_secret(request.COOKIES.get(pairing.SECRET_COOKIE))
    secret = None
    if code is None or code.status != PairingCode.Status.PENDING or code.is_expired:
        throttle, ip = pairing.code_throttle(), client_ip(request) or ""
        # Counts every code drawn, not only failures.
        if not throttle.attempt(request, ip=ip):
            page = render(request, "tv/too_many.html")
            return too_many(request, page, throttle=throttle, ip=ip)
        code, secret = pairing.pairing_start(request=request)
    activate_url = settings.SITE_URL.rstrip("/") + reverse("devices:activate")
    qr_url = f"{activate_url}?{urlencode({'code': code.user_code})}"
    response = render(
        request,
        "tv/code.html",
        {
            "code": code,
            "activate_url": activate_url,
            "qr_svg": qr_svg(qr_url, scale=6),
            "signed_out": request.GET.get("signed_out") == "1",
            "waiting": request.GET.get("waiting") == "1",
            "platform": _platform(request),
        },
    )
    if secret is not None:
        response.set_cookie(pairing.SECRET_COOKIE, secret, **pairing.pairing_secret_cookie_kwargs())
    return response


@login_not_required
@never_cache
@require_POST
def tv_poll(request: HttpRequest) -> HttpResponse:
    """The TV asks every few seconds whether its code was approved."""
    secret = request.COOKIES.get(pairing.SECRET_COOKIE)
    if not secret:
        return HttpResponse(_("Missing device secret."), status=400, content_type="text/plain")
    code = pairing.pairing_for_secret(secret)
    if code is None:
        return HttpResponse(_("Unknown device secret."), status=401, content_type="text/plain")
    result, code = pairing.pairing_poll(request=request, code=code)
    if result is PollResult.SIGNED_IN:
        request.session[TV_CLIENT_SESSION_KEY] = (
            "playstation" if "PlayStation" in code.name else "tv"
        )
        response: HttpResponse = (
            HttpResponseClientRedirect(reverse("tv_home"))
            if getattr(request, "htmx", False)
            else redirect("tv_home")
        )
        response.delete_cookie(pairing.SECRET_COOKIE, path="/tv/")
        return response
    if not getattr(request, "htmx", False):
        # "I've entered the code" without JavaScript: back to the code screen, which keeps a
        # pending code and draws a new one for an expired or cancelled one.
        waiting = result in (PollResult.PENDING, PollResult.SLOW_DOWN)
        return redirect(reverse("tv_home") + ("?waiting=1" if waiting else ""))
    # Expired or cancelled: the fragment says so, and the client loads a new code.
    return render(request, "tv/code.html#poller", {"code": code, "result": result})


@login_not_required
@never_cache
@require_GET
def tv_heartbeat(request: HttpRequest) -> HttpResponse:
    """Signed in: nothing to say. Signed out (from anywhere): off to "You've been signed out"."""
    if request.user.is_authenticated:
        return HttpResponse(status=204)
    return HttpResponseClientRedirect(reverse("tv_home") + "?signed_out=1")


@require_http_methods(["GET", "POST"])
def tv_profile(request: AuthedHttpRequest, public_id: UUID) -> HttpResponse:
    """Picking a profile on the TV; a locked one, or leaving Kids, asks for the PIN on an
    on-screen pad."""
    return profile_pick_gate(
        request,
        own_profile_or_404(request, public_id),
        next_url=reverse("catalog:browse"),
        back_url=reverse("tv_home"),
        template="tv/pin.html",
        context={"platform": _platform(request)},
    )


@require_GET
def tv_settings(request: AuthedHttpRequest) -> HttpResponse:
    """ "Settings" as a page: what the dialog shows, for a TV browser without JavaScript."""
    return render(request, "tv/settings.html", {"platform": _platform(request)})


@require_http_methods(["GET", "POST"])
def tv_sign_out(request: HttpRequest) -> HttpResponse:
    """ "Settings" → "Sign out" → "Yes" on the TV itself; GET asks "Sign out?" first."""
    if request.method == "GET":
        return render(request, "tv/sign_out.html", {"platform": _platform(request)})
    logout(request)
    # The code screen says so, as it does when the TV is signed out from the web.
    return redirect(reverse("tv_home") + "?signed_out=1")
