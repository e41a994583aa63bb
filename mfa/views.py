"""Two-step verification pages: turning it on and off, recovery codes, the sign-in with its
second step, and the password gate that asks for the second step too."""

from __future__ import annotations

import re
from typing import Any

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticToken
from django_otp_webauthn.models import WebAuthnCredential

from accounts import signals
from accounts.decorators import not_for_kids, password_confirmation_required, password_confirmed_now
from accounts.forms import SignInForm, is_throttled
from accounts.gate import PURPOSE_PARAM, Purpose, purpose_from
from accounts.http import (
    SIGNED_OUT_NOTICE_COOKIE,
    AuthedHttpRequest,
    client_ip,
    safe_next,
    signed_out_notice_read,
)
from accounts.models import KEEP_SIGNED_IN_ATTR, SecurityEvent, User
from accounts.securitylog import security_log
from accounts.services import security_event_log
from accounts.throttle import signin_too_many, too_many, two_step_throttle
from accounts.views import ThrottledSignInMixin

from . import services, twostep
from .forms import ConfirmPasswordForm, SecondStepForm, two_step_keys


@never_cache
@not_for_kids
def two_step(request: AuthedHttpRequest) -> HttpResponse:
    """ "Two-step verification": its state, recovery codes and passkeys."""
    enabled = twostep.two_step_enabled(request.user)
    codes_left = StaticToken.objects.filter(device__user=request.user).count()
    passkeys = WebAuthnCredential.objects.filter(user=request.user, confirmed=True).order_by(
        "created_at", "pk"
    )
    return render(
        request,
        "mfa/two_step.html",
        {"enabled": enabled, "codes_left": codes_left, "passkeys": passkeys},
    )


def verify_first(request: AuthedHttpRequest) -> HttpResponse:
    """The answer to adding a factor from an unverified address: verify it first (403)."""
    security_log("authz_fail", request=request, reason="email_unverified")
    return render(request, "mfa/verify_first.html", status=403)


def codes_page(request: AuthedHttpRequest, codes: list[str], *, done: str = "") -> HttpResponse:
    """The new recovery codes, shown once; "Done" goes to `done` (else "Two-step
    verification"), such as the summary of "Secure my account" that offered two-step."""
    context = {"codes": codes, "done_url": done or reverse("two_step")}
    response = render(request, "mfa/recovery_codes.html", context)
    # Shown once: never kept by a browser cache or a shared proxy.
    response["Cache-Control"] = "no-store"
    return response


@require_POST
@password_confirmation_required(purpose=Purpose.TWO_STEP)
def recovery_codes_new(request: AuthedHttpRequest) -> HttpResponse:
    """ "Get new recovery codes": the old ones stop working."""
    if not twostep.two_step_enabled(request.user):
        return redirect("two_step")
    codes = services.recovery_codes_regenerate(user=request.user, ip=client_ip(request))
    messages.success(request, _("New recovery codes made. The old ones no longer work."))
    return codes_page(request, codes)


@require_POST
@not_for_kids
def recovery_codes_download(request: AuthedHttpRequest) -> HttpResponse:
    """The codes just shown, as a text file (the server keeps no copy to send later)."""
    pattern = re.compile(r"[a-z0-9]{4}(-[a-z0-9]{4}){3}")
    codes = [code for code in request.POST.getlist("code") if pattern.fullmatch(code)]
    if not codes:
        messages.error(request, _("There are no codes to download. Get new recovery codes."))
        return redirect("two_step")
    lines = [
        _("StreamGuard recovery codes for %(email)s") % {"email": request.user.email},
        _("Each code signs you in once if you cannot use your authenticator app."),
        "",
        *codes[: twostep.RECOVERY_CODE_COUNT],
        "",
    ]
    response = HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="streamguard-recovery-codes.txt"'
    response["Cache-Control"] = "no-store"
    return response


@never_cache
@login_not_required
def login_verify(request: AuthedHttpRequest) -> HttpResponse:
    """The second step of sign-in: a code from the app, a recovery code, or a passkey."""
    user = twostep.pending_user(request)
    if user is None:
        twostep.pending_clear(request)
        messages.error(request, _("Sign in again: the sign-in took too long or was cancelled."))
        return redirect("login")
    recovery = request.GET.get("method") == "recovery"
    form = SecondStepForm(
        request.POST if request.method == "POST" else None,
        user=user,
        request=request,
        recovery=recovery,
    )
    if request.method == "POST" and form.is_valid() and form.device is not None:
        next_url = twostep.pending_finish(request, user=user, device=form.device)
        if recovery:
            left = StaticToken.objects.filter(device__user=user).count()
            messages.warning(
                request,
                ngettext(
                    "You used a recovery code. %(left)d left: get new ones on "
                    "“Two-step verification” if you are running low.",
                    "You used a recovery code. %(left)d left: get new ones on "
                    "“Two-step verification” if you are running low.",
                    left,
                )
                % {"left": left},
            )
        return HttpResponseRedirect(next_url)
    response = render(
        request,
        "mfa/login_verify.html",
        {"form": form, "recovery": recovery, "has_passkey": twostep.has_passkey(user)},
    )
    if is_throttled(form):
        keys = two_step_keys(request, user)
        return too_many(request, response, throttle=two_step_throttle(), **keys)
    return response


@require_POST
@login_not_required
def login_verify_cancel(request: AuthedHttpRequest) -> HttpResponse:
    """Give up the half-finished sign-in."""
    twostep.pending_clear(request)
    return redirect(safe_next(request, "/login/"))


class TwoStepLoginMixin:
    """After the right password, an account with two-step verification on is not signed in
    yet: the session waits for the second step (see mfa/twostep.py)."""

    request: HttpRequest

    def form_valid(self, form: Any) -> HttpResponse:
        user = form.get_user()
        if twostep.two_step_enabled(user):
            twostep.pending_start(self.request, user=user, next_url=self.get_success_url())  # type: ignore[attr-defined]
            return redirect("login_verify")
        return super().form_valid(form)  # type: ignore[misc, no-any-return]


class SignInView(ThrottledSignInMixin, TwoStepLoginMixin, auth_views.LoginView):
    form_class = SignInForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["signed_out_remotely"] = signed_out_notice_read(self.request)
        return context

    def form_valid(self, form: SignInForm) -> HttpResponse:  # type: ignore[override]
        # Read by devices when it stamps the new session, during login().
        setattr(self.request, KEEP_SIGNED_IN_ATTR, form.cleaned_data["keep_signed_in"])
        response = super().form_valid(form)
        response.delete_cookie(SIGNED_OUT_NOTICE_COOKIE)
        return response


def _purpose_logged(purpose: Purpose) -> dict[str, Any]:
    """The log entry's code and data for a password check; "to continue" says nothing."""
    if purpose == Purpose.CONTINUE:
        return {}
    return {"code": SecurityEvent.Code.FOR_PURPOSE, "params": {"purpose": purpose.value}}


@not_for_kids
def confirm_password(request: AuthedHttpRequest) -> HttpResponse:
    """ "Confirm your password" before what weakens protection (the sudo-mode gate)."""
    form = ConfirmPasswordForm(
        request.POST if request.method == "POST" else None, user=request.user, request=request
    )
    next_url = safe_next(request, reverse("account"))
    purpose = purpose_from(request.POST.get(PURPOSE_PARAM) or request.GET.get(PURPOSE_PARAM))
    if request.method == "POST" and form.is_valid():
        password_confirmed_now(request, second_step=form.two_step, purpose=purpose)
        if form.device is not None:
            otp_login(request, form.device)
        security_event_log(
            user=request.user,
            kind=SecurityEvent.Kind.PASSWORD_CONFIRMED,
            ip=client_ip(request),
            **_purpose_logged(purpose),
        )
        # Parental controls lift the PIN-entry lock: only the password may end it.
        signals.password_confirmed.send(sender=User, request=request, user=request.user)
        return HttpResponseRedirect(next_url)
    context = {
        "form": form,
        "next": next_url,
        "purpose": purpose,
        "has_passkey": twostep.has_passkey(request.user),
    }
    response = render(request, "mfa/confirm_password.html", context)
    if is_throttled(form):
        return signin_too_many(request, response, request.user.email)
    return response
