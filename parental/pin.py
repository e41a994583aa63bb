"""Asking for the parental PIN: the PIN pad every gate shows, what it says, and opening a
profile behind it (on "Who's watching?" and on the TV alike)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.gate import Purpose, confirm_password_url
from accounts.http import AuthedHttpRequest, profile_pick, safe_next
from accounts.language import account_time
from accounts.models import Profile
from accounts.securitylog import security_log
from devices.http import device_profile_used, request_origin

from . import services
from .forms import PinEntryForm
from .models import ParentalPin
from .policy import profile_needs_pin
from .services import PinCheck, PinResult


def pin_gate(
    request: AuthedHttpRequest,
    *,
    heading: str,
    on_success: Callable[[], HttpResponse],
    template: str = "parental/pin_entry.html",
    context: dict[str, Any] | None = None,
) -> HttpResponse:
    """Ask for the parental PIN (a PIN pad); the right one runs on_success."""
    # A POST without a PIN is the button that led here (a locked profile): show the pad.
    submitted = request.method == "POST" and "pin" in request.POST
    form = PinEntryForm(request.POST if submitted else None)
    error = ""
    if submitted and form.is_valid():
        result = services.pin_verify(
            origin=request_origin(request), user=request.user, pin=form.cleaned_data["pin"]
        )
        if result.ok:
            return on_success()
        error = pin_message(result, request)
        if result.check is PinCheck.WRONG:
            security_log("authn_pin_fail", request=request)
    elif submitted:
        error = str(form.errors["pin"][0])
    record = ParentalPin.objects.filter(user=request.user).first()
    locked = record is not None and record.is_locked
    if not error and locked and record is not None:
        error = pin_message(PinResult(PinCheck.LOCKED, locked_at=record.locked_at), request)
    response = render(
        request,
        template,
        {
            **(context or {}),
            "form": form,
            "heading": heading,
            "error": error,
            "has_pin": record is not None,
            "pin_locked": record is not None and record.is_locked,
            "forgot_pin_url": forgot_pin_url(),
            "next": safe_next(request, ""),
        },
        status=400 if error else 200,
    )
    if submitted and locked:
        # Locked PIN entry is a throttle like any other (429), but with no Retry-After:
        # waiting does not lift it, only the account password does.
        response.status_code = 429
        security_log("excess_rate_limit_exceeded", request=request, throttle="pin")
    return response


def profile_choose(request: AuthedHttpRequest, profile: Profile) -> None:
    """This session watches as profile from now on, and its device remembers the pick."""
    profile_pick(request, profile=profile)
    device_profile_used(request, profile=profile)


def profile_pick_gate(
    request: AuthedHttpRequest,
    profile: Profile,
    *,
    next_url: str,
    back_url: str,
    template: str = "parental/pin_entry.html",
    context: dict[str, Any] | None = None,
) -> HttpResponse:
    """Open profile on this session, behind the PIN pad when profile_needs_pin says so.

    With no PIN needed a POST picks it and goes to next_url (a GET only goes back to
    back_url); otherwise the pad says whose profile it opens (and which Kids profile is
    being left), and the right PIN picks it and goes to next_url."""

    def pick() -> HttpResponse:
        profile_choose(request, profile)
        return HttpResponseRedirect(next_url)

    current = request.profile
    if not profile_needs_pin(current, profile):
        return pick() if request.method == "POST" else HttpResponseRedirect(back_url)
    return pin_gate(
        request,
        heading=_("Enter your PIN to open %(profile)s") % {"profile": profile.name},
        on_success=pick,
        template=template,
        context={
            **(context or {}),
            "profile": profile,
            "leaving": current.name if current and current.is_kids else "",
            "back_url": back_url,
        },
    )


def forgot_pin_url() -> str:
    """ "Forgot PIN?": the password gate, then the page that sets a new PIN."""
    return confirm_password_url(reverse("parental_pin"), purpose=Purpose.PARENTAL_PIN)


def pin_message(result: PinResult, request: AuthedHttpRequest) -> str:
    if result.check is PinCheck.NO_PIN:
        return _("No parental PIN is set on this account.")
    if result.check is PinCheck.LOCKED:
        if result.locked_at:
            return _(
                "Too many wrong PINs. PIN entry is locked since %(time)s until the account "
                "holder re-enters the account password. Waiting does not unlock it."
            ) % {"time": account_time(request.user, result.locked_at)}
        return _(
            "Too many wrong PINs. PIN entry is locked until the account holder re-enters the "
            "account password. Waiting does not unlock it."
        )
    left = result.attempts_left
    return ngettext(
        "That PIN is not right. %(count)s try left.",
        "That PIN is not right. %(count)s tries left.",
        left,
    ) % {"count": left}
