"""The pages of the flows that protect an account: a new password, "This wasn't me"."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import PasswordChangeForm, SetPasswordForm
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from accounts import emails as account_emails
from accounts.decorators import gate_passed_for, gate_purpose_spent, password_confirmation_required
from accounts.email_views import USED_OR_EXPIRED
from accounts.forms import PasswordChangeWithSignOutForm, is_throttled
from accounts.gate import Purpose
from accounts.http import AuthedHttpRequest, client_ip
from accounts.models import EmailChange, User
from accounts.origin import Origin
from accounts.services import EmailChangeFailed
from accounts.throttle import signin_too_many
from devices.emails import not_me_device_id
from devices.http import current_device, request_origin
from devices.models import Device

from . import services


@method_decorator(password_confirmation_required(purpose=Purpose.PASSWORD_CHANGE), name="dispatch")
class PasswordChangeView(auth_views.PasswordChangeView):
    """ "Change password", behind the recent-authentication gate."""

    request: AuthedHttpRequest
    form_class = PasswordChangeWithSignOutForm
    success_url = reverse_lazy("account")

    def get_form_kwargs(self) -> dict[str, Any]:
        # Just confirmed on the way here: "Old password" would ask the same thing twice.
        asked = gate_passed_for(self.request, Purpose.PASSWORD_CHANGE)
        return {**super().get_form_kwargs(), "request": self.request, "ask_old_password": not asked}

    def form_invalid(self, form: PasswordChangeForm) -> HttpResponse:
        response = super().form_invalid(form)
        if is_throttled(form):
            return signin_too_many(self.request, response, self.request.user.email)
        return response

    def form_valid(self, form: PasswordChangeForm) -> HttpResponse:
        origin = request_origin(self.request)
        form.save()
        sign_out_others = form.cleaned_data["sign_out_others"]
        services.password_changed(user=form.user, origin=origin, sign_out_others=sign_out_others)
        # After the flow: signing the others out moved the auth hash on once more.
        update_session_auth_hash(self.request, form.user)
        gate_purpose_spent(self.request)
        messages.success(
            self.request,
            _("Password changed. Your other devices were signed out.")
            if sign_out_others
            else _("Password changed. Your other devices stay signed in."),
        )
        return redirect(self.get_success_url())


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    success_url = reverse_lazy("password_reset_complete")

    def form_valid(self, form: SetPasswordForm[User]) -> HttpResponse:
        response = super().form_valid(form)
        # Only a device of this account stays (a browser may be signed into another one).
        device = current_device(self.request, user=form.user)
        origin = Origin(ip=client_ip(self.request), device=device)
        services.password_changed(user=form.user, origin=origin, sign_out_others=True, reset=True)
        if device is not None:
            update_session_auth_hash(self.request, form.user)
        return response


@never_cache
@login_not_required
def email_change_not_me(request: AuthedHttpRequest, token: str) -> HttpResponse:
    """ "This wasn't me" in the notice to the old address."""
    change = account_emails.change_from_token(token, "not_me")
    if change is None:
        return render(request, "accounts/email_link_invalid.html", status=400)
    if change.confirmed_at is not None:
        return _email_change_undo(request, change)
    if change.user.email_change_locked:
        context = {"message": USED_OR_EXPIRED}
        return render(request, "accounts/email_link_invalid.html", context, status=400)
    if request.method == "POST":
        services.email_change_report(change=change, origin=Origin(ip=client_ip(request)))
        messages.warning(
            request,
            _(
                "The e-mail change was stopped and every device was signed out. "
                "Reset your password now: whoever asked for the change knows it."
            ),
        )
        return redirect("password_reset")
    return render(request, "security/email_change_not_me.html", {"change": change})


def _email_change_undo(request: AuthedHttpRequest, change: EmailChange) -> HttpResponse:
    """The same link once the change went through: for 7 days it gives the account back."""
    if not change.undo_open or change.user.email != change.new_email:
        context: dict[str, object] = {"message": USED_OR_EXPIRED}
        return render(request, "accounts/email_link_invalid.html", context, status=400)
    if request.method == "POST":
        try:
            user = services.email_change_undo(change=change, origin=Origin(ip=client_ip(request)))
        except EmailChangeFailed as error:
            context = {"message": str(error)}
            return render(request, "accounts/email_link_invalid.html", context, status=400)
        return render(request, "security/email_change_undone.html", {"email": user.email})
    return render(request, "security/email_change_undo.html", {"change": change})


@login_not_required
def not_me(request: AuthedHttpRequest, token: str) -> HttpResponse:
    """The "This wasn't me" link of the new-device e-mail."""
    device_id = not_me_device_id(token)
    device = Device.objects.with_name_twins().filter(id=device_id).first() if device_id else None
    if device is None:
        return render(request, "security/not_me_invalid.html", status=400)
    signed_in = device.is_signed_in
    if request.method == "POST":
        services.device_not_me(device=device)
        said = (
            _("%(device)s was signed out. Now secure your account.")
            if signed_in
            else _("%(device)s was already signed out. Now secure your account.")
        )
        messages.warning(request, said % {"device": device.label})
        # The next step: every other device out, a new password, two-step offered.
        return redirect("secure_account")
    context = {"device": device, "token": token, "signed_in": signed_in}
    return render(request, "security/not_me.html", context)
