from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import HttpResponseClientRedirect

from accounts.decorators import not_for_kids
from accounts.models import SecurityEvent
from accounts.types import AuthedHttpRequest

from . import services
from .emails import not_me_device_id
from .models import Device

SIGNED_OUT_SHOWN_DAYS = 90


def _own_device(request: AuthedHttpRequest, device_id: UUID) -> Device:
    return get_object_or_404(Device.objects.for_account(request.user), id=device_id)


def _list_context(request: AuthedHttpRequest) -> dict:
    devices = Device.objects.for_account(request.user).select_related("last_profile")
    return {
        "signed_in": devices.signed_in().recent_first(),
        "signed_out": devices.signed_out().recently_signed_out(days=SIGNED_OUT_SHOWN_DAYS),
        "current_device_id": services.current_device_id(request),
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
    is_current = str(device.id) == services.current_device_id(request)
    services.sign_out_device(device=device, reason=Device.SignOutReason.REMOTE)
    if is_current:
        return _signed_out_here(request)
    if request.htmx:
        return render(request, "devices/list.html#device-list", _list_context(request))
    messages.success(request, f"{device.name} was signed out.")
    return redirect("devices:list")


@not_for_kids
def device_remove(request: AuthedHttpRequest, device_id: UUID) -> HttpResponse:
    device = _own_device(request, device_id)
    if request.method == "POST":
        is_current = str(device.id) == services.current_device_id(request)
        services.remove_device(device=device)
        if is_current:
            return _signed_out_here(request)
        messages.success(request, f"{device.name} was removed and its locations erased.")
        return redirect("devices:list")
    return render(request, "devices/remove.html", {"device": device})


@not_for_kids
def sign_out_all(request: AuthedHttpRequest) -> HttpResponse:
    if request.method == "POST":
        keep_this = request.POST.get("scope") == "others"
        services.sign_out_all(user=request.user, keep_request=request if keep_this else None)
        if not keep_this:
            return _signed_out_here(request)
        messages.success(request, "All other devices were signed out.")
        return redirect("devices:list")
    return render(request, "devices/sign_out_all.html")


@not_for_kids
def security_activity(request: AuthedHttpRequest) -> HttpResponse:
    events = SecurityEvent.objects.for_account(request.user).newest_first()
    page = Paginator(events, 25).get_page(request.GET.get("page"))
    return render(request, "devices/security.html", {"page": page})


@login_not_required
def not_me(request: AuthedHttpRequest, token: str) -> HttpResponse:
    """The "This wasn't me" link of the new-device e-mail."""
    device_id = not_me_device_id(token)
    device = Device.objects.filter(id=device_id).first() if device_id else None
    if device is None:
        return render(request, "devices/not_me_invalid.html", status=400)
    if request.method == "POST":
        if device.is_signed_in:
            services.sign_out_device(device=device, reason=Device.SignOutReason.NOT_ME)
        messages.warning(request, f"{device.name} was signed out. Now change your password.")
        return redirect("password_change")
    return render(request, "devices/not_me.html", {"device": device, "token": token})
