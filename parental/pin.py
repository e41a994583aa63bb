"""Asking for the parental PIN: the PIN pad every gate shows, and what it says."""

from __future__ import annotations

import math
from collections.abc import Callable

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from accounts.http import AuthedHttpRequest, safe_next
from accounts.securitylog import security_log

from . import services
from .forms import PinEntryForm
from .policy import pin_exists
from .services import PinCheck, PinResult


def pin_gate(
    request: AuthedHttpRequest,
    *,
    heading: str,
    on_success: Callable[[], HttpResponse],
    template: str = "parental/pin_entry.html",
    context: dict | None = None,
) -> HttpResponse:
    """Ask for the parental PIN (a PIN pad); the right one runs on_success."""
    # A POST without a PIN is the button that led here (a locked profile): show the pad.
    submitted = request.method == "POST" and "pin" in request.POST
    form = PinEntryForm(request.POST if submitted else None)
    error = ""
    retry_after = 0
    if submitted and form.is_valid():
        result = services.pin_verify(
            request=request, user=request.user, pin=form.cleaned_data["pin"]
        )
        if result.ok:
            return on_success()
        error = pin_message(result)
        if result.check is PinCheck.LOCKED and result.locked_until is not None:
            retry_after = max(1, math.ceil((result.locked_until - timezone.now()).total_seconds()))
        elif result.check is PinCheck.WRONG:
            security_log("authn_pin_fail", request=request)
    elif submitted:
        error = str(form.errors["pin"][0])
    response = render(
        request,
        template,
        {
            **(context or {}),
            "form": form,
            "heading": heading,
            "error": error,
            "has_pin": pin_exists(request.user),
            "next": safe_next(request, ""),
        },
        status=400 if error else 200,
    )
    if retry_after:
        # Locked PIN entry is a throttle like any other: 429, and when to come back.
        response.status_code = 429
        response["Retry-After"] = str(retry_after)
        security_log("excess_rate_limit_exceeded", request=request, throttle="pin")
    return response


def pin_message(result: PinResult) -> str:
    if result.check is PinCheck.NO_PIN:
        return "No parental PIN is set on this account."
    if result.check is PinCheck.LOCKED:
        until = (
            timezone.localtime(result.locked_until).strftime("%H:%M") if result.locked_until else ""
        )
        return f"Too many wrong PINs. PIN entry is locked until {until}."
    left = result.attempts_left
    return f"That PIN is not right. {left} {'try' if left == 1 else 'tries'} left."
