from __future__ import annotations

from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import HttpResponseClientRedirect

from accounts.decorators import not_for_kids, password_confirmation_required
from accounts.gate import Purpose
from accounts.http import AuthedHttpRequest, client_ip
from accounts.models import SecurityEvent
from accounts.securitylog import security_log
from accounts.throttle import too_many

from . import pairing, services
from .cards import device_cards, signed_out_rows
from .forms import DeviceNameForm
from .geo import country_name, locate
from .http import current_device_id, request_origin
from .models import Device, PairingCode

SIGNED_OUT_SHOWN_DAYS = 90


def _own_device(request: AuthedHttpRequest, device_id: UUID) -> Device:
    device = Device.objects.for_account(request.user).with_name_twins().filter(id=device_id).first()
    if device is None:
        security_log("authz_fail", request=request, reason="not_own_device")
        raise Http404("No such device.")
    return device


def _list_context(
    request: AuthedHttpRequest, *, gone: Device | None = None, **extra: object
) -> dict[str, Any]:
    """The page's lists; after `gone` was signed out, the signed-in cards split where its
    card stood, so what was done is said in its place (the page's `said` note)."""
    devices = Device.objects.for_account(request.user).with_name_twins().with_country_marks()
    signed_in = list(
        devices.signed_in().with_now_watching().select_related("last_profile").recent_first()
    )
    split = len(signed_in)
    if gone is not None:
        place = (gone.last_seen_at, gone.id)
        split = next((n for n, d in enumerate(signed_in) if (d.last_seen_at, d.id) < place), split)
    zone = ZoneInfo(request.user.time_zone)
    cards = device_cards(signed_in, zone=zone, current_device_id=current_device_id(request))
    return {
        "signed_in": cards[:split],
        "signed_in_after": cards[split:],
        "signed_out": signed_out_rows(
            devices.signed_out().recently_signed_out(days=SIGNED_OUT_SHOWN_DAYS), zone=zone
        ),
        "days": SIGNED_OUT_SHOWN_DAYS,
        **extra,
    }


def _signed_out_here(request: AuthedHttpRequest) -> HttpResponse:
    # The store already dropped this session; flushing keeps the response from saving it back.
    request.session.flush()
    return HttpResponseClientRedirect(reverse("login")) if request.htmx else redirect("login")


@vary_on_headers("HX-Request")
@not_for_kids
def device_list(request: AuthedHttpRequest) -> HttpResponse:
    """ "Manage access and devices" """
    return render(request, "devices/list.html", _list_context(request))


@require_POST
@vary_on_headers("HX-Request")
@not_for_kids
def device_sign_out(request: AuthedHttpRequest, device_id: UUID) -> HttpResponse:
    device = _own_device(request, device_id)
    is_current = str(device.id) == current_device_id(request)
    services.sign_out_device(device=device, reason=Device.SignOutReason.REMOTE)
    if is_current:
        return _signed_out_here(request)
    said = _("%(device)s was signed out.") % {"device": device.label}
    if request.htmx:
        # The list, saying what happened where the device's card stood.
        return render(
            request, "devices/list.html#device-list", _list_context(request, gone=device, said=said)
        )
    messages.success(request, said)
    return redirect("devices:list")


@vary_on_headers("HX-Request")
@not_for_kids
def device_rename(request: AuthedHttpRequest, device_id: UUID) -> HttpResponse:
    """ "Name this device": its own page without JavaScript, and where a bad name is explained."""
    device = _own_device(request, device_id)
    form = DeviceNameForm(
        request.POST if request.method == "POST" else None, initial={"name": device.display_name}
    )
    if request.method == "POST" and form.is_valid():
        services.device_rename(device=device, name=form.cleaned_data["name"])
        messages.success(
            request, _("The device is now called %(device)s.") % {"device": device.display_name}
        )
        return redirect("devices:list")
    status = 400 if form.is_bound else 200
    return render(request, "devices/rename.html", {"device": device, "form": form}, status=status)


@password_confirmation_required(purpose=Purpose.DEVICE_REMOVE)
def device_remove(request: AuthedHttpRequest, device_id: UUID) -> HttpResponse:
    device = _own_device(request, device_id)
    if request.method == "POST":
        is_current = str(device.id) == current_device_id(request)
        services.remove_device(device=device)
        if is_current:
            return _signed_out_here(request)
        messages.success(
            request,
            _("%(device)s was removed and its locations erased.") % {"device": device.label},
        )
        return redirect("devices:list")
    return render(request, "devices/remove.html", {"device": device})


@not_for_kids
def sign_out_all(request: AuthedHttpRequest) -> HttpResponse:
    if request.method == "POST":
        keep_this = request.POST.get("scope") == "others"
        origin = request_origin(request)
        services.sign_out_everywhere(
            user=request.user, keep_device=origin.device if keep_this else None, origin=origin
        )
        if keep_this:
            # This session stays: its copy gets the account's new auth hash before it is saved.
            update_session_auth_hash(request, request.user)
        if not keep_this:
            messages.success(
                request, _("Every device was signed out."), extra_tags="change-password"
            )
            return _signed_out_here(request)
        messages.success(
            request, _("All other devices were signed out."), extra_tags="change-password"
        )
        return redirect("devices:list")
    return render(request, "devices/sign_out_all.html")


@not_for_kids
def security_activity(request: AuthedHttpRequest) -> HttpResponse:
    events = SecurityEvent.objects.for_account(request.user).newest_first()
    page = Paginator(events, 25).get_page(request.GET.get("page"))
    return render(request, "devices/security.html", {"page": page})


@not_for_kids
def activate(request: AuthedHttpRequest) -> HttpResponse:
    """ "Enter the code shown on your TV" """
    throttle = pairing.activate_throttle()
    keys = {"account": str(request.user.pk), "ip": client_ip(request) or ""}
    error = ""
    raw = request.POST.get("code", "") if request.method == "POST" else request.GET.get("code", "")
    if request.method == "POST":
        if not throttle.attempt(request, **keys):
            page = render(
                request,
                "devices/activate.html",
                {"code": raw[:9], "error": _("Too many tries, wait a few minutes.")},
            )
            return too_many(request, page, throttle=throttle, **keys)
        user_code = pairing.normalize_user_code(raw)
        code = pairing.pairing_lookup(user_code, user=request.user) if user_code else None
        if code is not None:
            throttle.refund(request, **keys)  # only wrong codes use up the allowance
            return redirect("devices:activate_confirm", code_id=code.id)
        error = (
            pairing.user_code_problem(raw)
            if user_code is None
            else _("That code is wrong or has expired. Check the code on your TV.")
        )
    return render(
        request,
        "devices/activate.html",
        {"code": raw[:9], "error": error},
        status=400 if error else 200,
    )


def _usable(code: PairingCode) -> bool:
    return code.status == PairingCode.Status.PENDING and not code.is_expired


def _code_gone(request: AuthedHttpRequest, code: PairingCode) -> HttpResponse:
    return render(request, "devices/activate_confirm.html", {"code": code}, status=410)


def _own_code(request: AuthedHttpRequest, code_id: UUID) -> PairingCode:
    """A code this account entered on /activate/; anyone else's is a 404."""
    code: PairingCode | None = PairingCode.objects.filter(
        id=code_id, looked_up_by=request.user
    ).first()
    if code is None:
        security_log("authz_fail", request=request, reason="not_own_pairing_code")
        raise Http404("No such code.")
    return code


def _confirm_page(code_id: UUID) -> str:
    return reverse("devices:activate_confirm", args=[code_id])


@require_GET
@password_confirmation_required(purpose=Purpose.TV_APPROVE)
def activate_confirm(request: AuthedHttpRequest, code_id: UUID) -> HttpResponse:
    """What is asking to sign in, and "Sign in" / "Sign in for 24 hours only" / "Cancel"."""
    code = _own_code(request, code_id)
    if not _usable(code):
        return _code_gone(request, code)
    # Where the approver is, to warn when the TV is somewhere else entirely.
    here = locate(client_ip(request)).country
    elsewhere = bool(code.country and here and code.country != here)
    return render(
        request,
        "devices/activate_confirm.html",
        {
            "code": code,
            "usable": True,
            "elsewhere": elsewhere,
            "tv_country": country_name(code.country) if elsewhere else "",
            "your_country": country_name(here) if elsewhere else "",
        },
    )


def _approve(request: AuthedHttpRequest, code_id: UUID, *, limited: bool) -> HttpResponse:
    code = _own_code(request, code_id)
    if not _usable(code):
        return _code_gone(request, code)
    pairing.pairing_approve(code=code, user=request.user, limited=limited, request=request)
    messages.success(
        request,
        _("%(device)s is signing in. It will be ready in a moment.")
        % {"device": code.display_name},
    )
    return redirect("devices:list")


@require_POST
@password_confirmation_required(purpose=Purpose.TV_APPROVE, back_to=_confirm_page)
def activate_approve(request: AuthedHttpRequest, code_id: UUID) -> HttpResponse:
    """ "Sign in": the TV's next poll signs it in."""
    return _approve(request, code_id, limited=False)


@require_POST
@password_confirmation_required(purpose=Purpose.TV_APPROVE, back_to=_confirm_page)
def activate_approve_24h(request: AuthedHttpRequest, code_id: UUID) -> HttpResponse:
    """ "Sign in for 24 hours only": the TV's session ends by itself a day later."""
    return _approve(request, code_id, limited=True)


@require_POST
@not_for_kids
def activate_cancel(request: AuthedHttpRequest, code_id: UUID) -> HttpResponse:
    """ "Cancel": the code is dead and the TV shows a new one (no gate: it only protects)."""
    code = _own_code(request, code_id)
    if not _usable(code):
        return _code_gone(request, code)
    pairing.pairing_cancel(code=code, user=request.user)
    messages.info(request, _("Cancelled. Nothing was signed in."))
    return redirect("account")
