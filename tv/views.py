"""The TV and console client (/tv/) and the web page that approves its code (/activate/)."""

from __future__ import annotations

from uuid import UUID

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from accounts.decorators import not_for_kids
from accounts.services import profile_pick
from accounts.types import AuthedHttpRequest
from parental.services import profile_locked
from parental.views import pin_gate

from . import pairing
from .context_processors import TV_CLIENT_SESSION_KEY
from .ip import client_ip
from .models import PairingCode
from .pairing import PollResult


def _qr_svg(url: str) -> str:
    qr = segno.make(url, error="m")
    return qr.svg_inline(scale=6, dark="#000", light="#fff", border=2, omitsize=True)


def _platform(request: HttpRequest) -> str:
    """ "playstation" for the console flavour of the client, "tv" otherwise."""
    if signed_in_as := request.session.get(TV_CLIENT_SESSION_KEY):
        return signed_in_as
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
            "devices/tv/home.html",
            {
                "profiles": request.user.profiles.select_related("controls"),
                "platform": _platform(request),
            },
        )
    code = pairing.pairing_for_secret(request.COOKIES.get(pairing.SECRET_COOKIE))
    secret = None
    if code is None or code.status != PairingCode.Status.PENDING or code.is_expired:
        throttle, ip = pairing.code_throttle(), client_ip(request) or ""
        if throttle.blocked(request, ip=ip):
            return render(request, "devices/tv/too_many.html", status=429)
        throttle.failed(request, ip=ip)  # counts every code drawn, not only failures
        code, secret = pairing.pairing_start(request=request)
    activate_url = settings.SITE_URL.rstrip("/") + reverse("activate")
    qr_url = f"{activate_url}?{urlencode({'code': code.user_code})}"
    response = render(
        request,
        "devices/tv/code.html",
        {
            "code": code,
            "activate_url": activate_url,
            "qr_svg": _qr_svg(qr_url),
            "signed_out": request.GET.get("signed_out") == "1",
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
        return HttpResponse("Missing device secret.", status=400, content_type="text/plain")
    code = pairing.pairing_for_secret(secret)
    if code is None:
        return HttpResponse("Unknown device secret.", status=401, content_type="text/plain")
    result, code = pairing.pairing_poll(request=request, code=code)
    if result is PollResult.SIGNED_IN:
        response = HttpResponseClientRedirect(reverse("tv_home"))
        response.delete_cookie(pairing.SECRET_COOKIE, path="/tv/")
        return response
    # Expired or cancelled: the fragment says so, and the client loads a new code.
    return render(request, "devices/tv/code.html#poller", {"code": code, "result": result})


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
    """Picking a profile on the TV; a locked one asks for the PIN on an on-screen pad."""
    profile = get_object_or_404(request.user.profiles, public_id=public_id)
    if not profile_locked(profile):
        if request.method != "POST":
            return redirect("tv_home")
        profile_pick(request=request, profile=profile)
        return redirect("catalog:browse")
    return pin_gate(
        request,
        heading=f"Enter your PIN to open {profile.name}",
        on_success=lambda: _tv_pick(request, profile),
        template="devices/tv/pin.html",
        context={"profile": profile, "platform": _platform(request)},
    )


def _tv_pick(request: AuthedHttpRequest, profile) -> HttpResponse:
    profile_pick(request=request, profile=profile)
    return redirect("catalog:browse")


@require_POST
def tv_sign_out(request: HttpRequest) -> HttpResponse:
    """ "Settings" → "Sign out" → "Yes" on the TV itself."""
    logout(request)
    return redirect("tv_home")


@not_for_kids
def activate(request: AuthedHttpRequest) -> HttpResponse:
    """ "Enter the code shown on your TV" """
    throttle = pairing.activate_throttle()
    keys = {"account": str(request.user.pk), "ip": client_ip(request) or ""}
    error = ""
    raw = request.POST.get("code", "") if request.method == "POST" else request.GET.get("code", "")
    if request.method == "POST":
        if throttle.blocked(request, **keys):
            return render(
                request,
                "devices/activate.html",
                {"code": raw[:9], "error": "Too many tries, wait a few minutes."},
                status=429,
            )
        user_code = pairing.normalize_user_code(raw)
        code = pairing.pairing_lookup(user_code) if user_code else None
        if code is not None:
            return redirect("activate_confirm", code_id=code.id)
        throttle.failed(request, **keys)
        error = (
            "That code has 8 letters, like BCDF-GHJK."
            if user_code is None
            else "That code is wrong or has expired. Check the code on your TV."
        )
    return render(
        request,
        "devices/activate.html",
        {"code": raw[:9], "error": error},
        status=400 if error else 200,
    )


@not_for_kids
def activate_confirm(request: AuthedHttpRequest, code_id: UUID) -> HttpResponse:
    """What is asking to sign in, and "Sign in" / "Sign in for 24 hours only" / "Cancel"."""
    code = get_object_or_404(PairingCode, id=code_id)
    usable = code.status == PairingCode.Status.PENDING and not code.is_expired
    if request.method == "POST" and usable:
        action = request.POST.get("action")
        if action in ("sign_in", "sign_in_24h"):
            pairing.pairing_approve(
                code=code, user=request.user, limited=action == "sign_in_24h", request=request
            )
            messages.success(request, f"{code.name} is signing in. It will be ready in a moment.")
            return redirect("devices:list")
        if action == "cancel":
            pairing.pairing_cancel(code=code, user=request.user)
            messages.info(request, "Cancelled. Nothing was signed in.")
            return redirect("account")
    return render(
        request,
        "devices/activate_confirm.html",
        {"code": code, "usable": usable},
        status=200 if usable else 410,
    )
