""" "Secure my account": after the password check, every other device out and a new password
in one step, then two-step verification offered, then a summary of what was done."""

from __future__ import annotations

from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.forms import SetPasswordForm
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from accounts.decorators import not_for_kids, password_confirmation_required
from accounts.gate import Purpose
from accounts.http import AuthedHttpRequest
from accounts.models import User
from devices.http import request_origin
from mfa import twostep

from . import services


@never_cache
@password_confirmation_required(purpose=Purpose.SECURE_ACCOUNT)
def secure_account(request: AuthedHttpRequest) -> HttpResponse:
    """ "Secure my account": the current password was just checked, so it is not asked again."""
    form: SetPasswordForm[User] = SetPasswordForm(
        request.user, request.POST if request.method == "POST" else None
    )
    if request.method == "POST" and form.is_valid():
        services.account_secure(
            user=request.user,
            origin=request_origin(request),
            password=form.cleaned_data["new_password1"],
        )
        # This device stays signed in, with the new password's auth hash.
        update_session_auth_hash(request, request.user)
        if twostep.two_step_enabled(request.user):
            return redirect("secure_account_done")
        return redirect("secure_account_two_step")
    return render(request, "security/secure_account.html", {"form": form})


@never_cache
@not_for_kids
def secure_account_two_step(request: AuthedHttpRequest) -> HttpResponse:
    """The flow's offer: "Turn on two-step verification", or go on to the summary."""
    if services.account_secured_recently(user=request.user) is None:
        return redirect("checkup")
    return render(request, "security/secure_account_two_step.html")


@never_cache
@not_for_kids
def secure_account_done(request: AuthedHttpRequest) -> HttpResponse:
    """What "Secure my account" did, read back from its log entry."""
    event = services.account_secured_recently(user=request.user)
    if event is None:
        return redirect("checkup")
    context = {
        "event": event,
        "signed_out": event.params.get("devices", []),
        "signed_out_count": event.params.get("signed_out", 0),
        "two_step_on": twostep.two_step_enabled(request.user),
    }
    return render(request, "security/secure_account_done.html", context)
