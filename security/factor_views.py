"""The pages that change a sign-in factor: two-step verification on and off, a passkey added
or removed, a new e-mail address confirmed. Each offers "Sign out of all other devices",
ticked (ASVS 5.0 V7.4.3), so they live here, above mfa, accounts and devices, and call one
security service each."""

from __future__ import annotations

import re
from typing import Any

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential
from django_otp_webauthn.utils import rewrite_exceptions

from accounts import emails as account_emails
from accounts.decorators import password_confirmation_required
from accounts.email_views import USED_OR_EXPIRED
from accounts.gate import Purpose
from accounts.http import AuthedHttpRequest, client_ip, safe_next
from accounts.origin import Origin
from accounts.qr import qr_svg
from accounts.services import EmailChangeFailed
from devices.http import current_device, request_origin
from mfa import passkey_views, twostep
from mfa import services as mfa_services
from mfa import views as mfa_views
from mfa.forms import TotpConfirmForm

from . import services
from .forms import SignOutOthersForm

SESSION_PASSKEY_SIGN_OUT = "_passkey_sign_out_others"


def _sign_out_form(request: AuthedHttpRequest) -> SignOutOthersForm:
    return SignOutOthersForm(request.POST if request.method == "POST" else None)


def _signed_out_others(request: AuthedHttpRequest, sign_out_others: bool) -> None:
    """This device stays signed in with the account's new auth hash, and says so."""
    if sign_out_others:
        request.user.refresh_from_db(fields=["session_generation"])
        update_session_auth_hash(request, request.user)
        messages.info(request, _("Your other devices were signed out."))


@never_cache
@password_confirmation_required(purpose=Purpose.TWO_STEP)
def two_step_setup(request: AuthedHttpRequest) -> HttpResponse:
    """Set up an authenticator app: QR code and secret, then its first code. A local "next"
    (the summary of "Secure my account") is where the recovery codes' "Done" goes."""
    done = safe_next(request, reverse("two_step"))
    if twostep.two_step_enabled(request.user):
        messages.info(request, _("Two-step verification is already on."))
        return redirect(done)
    if not twostep.can_add_factor(request.user):
        return mfa_views.verify_first(request)
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
    if device is None:
        device = mfa_services.two_step_setup_start(user=request.user)
    form = TotpConfirmForm(request.POST if request.method == "POST" else None, device=device)
    sign_out_form = _sign_out_form(request)
    if request.method == "POST" and form.is_valid():
        sign_out_others = sign_out_form.chosen()
        codes = services.two_step_turn_on(
            user=request.user,
            device=device,
            origin=request_origin(request),
            sign_out_others=sign_out_others,
        )
        # The code just typed is this session's second step (the admin asks for one).
        otp_login(request, device)
        _signed_out_others(request, sign_out_others)
        messages.success(request, _("Two-step verification is on."))
        return mfa_views.codes_page(request, codes, done=done)
    secret = device.config_url.split("secret=", 1)[1].split("&", 1)[0]
    context = {
        "form": form,
        "qr_svg": qr_svg(device.config_url),
        # On the phone itself there is no QR code to scan: the otpauth:// link opens the app.
        "config_url": device.config_url,
        "secret": " ".join(re.findall(".{1,4}", secret)),
    }
    return render(request, "mfa/two_step_setup.html", context)


@never_cache
@password_confirmation_required(purpose=Purpose.TWO_STEP)
def two_step_off(request: AuthedHttpRequest) -> HttpResponse:
    """ "Turn off" two-step verification, after a confirmation page."""
    if not twostep.two_step_enabled(request.user):
        return redirect("two_step")
    sign_out_form = _sign_out_form(request)
    if request.method == "POST":
        sign_out_others = sign_out_form.chosen()
        services.two_step_turn_off(
            user=request.user, origin=request_origin(request), sign_out_others=sign_out_others
        )
        _signed_out_others(request, sign_out_others)
        messages.success(request, _("Two-step verification is off."))
        return redirect("two_step")
    return render(request, "mfa/two_step_off.html")


class PasskeyRegisterBegin(passkey_views.PasskeyRegisterBegin):
    """The passkey's name and the sign-out choice wait in the session for the answer."""

    def check_can_register(self) -> None:
        super().check_can_register()
        # Sent by static/js/passkeys.js from the page's checkbox, ticked unless unticked.
        choice = self.request.data.get("sign_out_others") is True
        self.request.session[SESSION_PASSKEY_SIGN_OUT] = choice


class PasskeyRegisterComplete(passkey_views.PasskeyRegisterComplete):
    def post(self, *args: Any, **kwargs: Any) -> JsonResponse:
        state = self.get_state()
        request = self.request
        name = request.session.pop(passkey_views.SESSION_PASSKEY_NAME, "") or _("Passkey")
        sign_out_others = request.session.pop(SESSION_PASSKEY_SIGN_OUT, False) is True
        with rewrite_exceptions(logger=None):
            device = self.get_helper().register_complete(
                user=request.user, state=state, data=request.data
            )
        services.passkey_add(
            device=device,
            name=name,
            origin=request_origin(request),
            sign_out_others=sign_out_others,
        )
        _signed_out_others(request, sign_out_others)
        messages.success(request, _("Passkey “%(name)s” added.") % {"name": name})
        return JsonResponse({"id": device.pk, "redirect_url": reverse("two_step")})


@never_cache
@password_confirmation_required(purpose=Purpose.PASSKEYS)
def passkey_remove(request: AuthedHttpRequest, key: str) -> HttpResponse:
    """ "Remove" a passkey, after a confirmation naming it."""
    passkey = get_object_or_404(
        WebAuthnCredential.objects.filter(user=request.user), credential_id_sha256=key
    )
    sign_out_form = _sign_out_form(request)
    if request.method == "POST":
        sign_out_others = sign_out_form.chosen()
        services.passkey_remove(
            passkey=passkey, origin=request_origin(request), sign_out_others=sign_out_others
        )
        _signed_out_others(request, sign_out_others)
        messages.success(request, _("Passkey “%(name)s” removed.") % {"name": passkey.name})
        return redirect("two_step")
    return render(request, "mfa/passkey_remove.html", {"passkey": passkey})


@never_cache
@login_not_required
def email_change_confirm(request: AuthedHttpRequest, token: str) -> HttpResponse:
    """The link sent to the new address."""
    change = account_emails.change_from_token(token, "confirm")
    if change is None:
        return render(request, "accounts/email_link_invalid.html", status=400)
    if not change.is_open or change.user.email_change_locked:
        context: dict[str, object] = {"message": USED_OR_EXPIRED}
        return render(request, "accounts/email_link_invalid.html", context, status=400)
    sign_out_form = _sign_out_form(request)
    if request.method == "POST":
        # Only a device of this account stays (a browser may be signed into another one).
        device = current_device(request, user=change.user)
        sign_out_others = sign_out_form.chosen()
        try:
            services.email_change_confirm(
                change=change,
                origin=Origin(ip=client_ip(request), device=device),
                sign_out_others=sign_out_others,
            )
        except EmailChangeFailed as error:
            context = {"message": str(error)}
            return render(request, "accounts/email_link_invalid.html", context, status=400)
        if device is not None and request.user.pk == change.user_id:
            _signed_out_others(request, sign_out_others)
        messages.success(
            request, _("Your e-mail address is now %(email)s.") % {"email": change.new_email}
        )
        return redirect("account" if request.user.is_authenticated else "login")
    return render(request, "accounts/email_change_confirm.html", {"change": change})
