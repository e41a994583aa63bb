"""E-mail pages: verifying the address, asking to change it (security.factor_views confirms
the change, offering to sign the other devices out)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from . import emails, services
from .decorators import not_for_kids, password_confirmation_required
from .forms import EmailChangeForm
from .gate import Purpose
from .http import AuthedHttpRequest, client_ip
from .models import User
from .throttle import Throttle

USED_OR_EXPIRED = gettext_lazy("This link was already used or has expired.")


def _resend_throttle() -> Throttle:
    return Throttle("verify-resend", 5, 3600)


@never_cache
@login_not_required
def email_verify(request: AuthedHttpRequest, token: str) -> HttpResponse:
    """The verification link: a page with a button, so a mail scanner's visit does nothing."""
    found = emails.verify_token_read(token)
    user = User.objects.filter(pk=found[0]).first() if found else None
    if found is None or user is None or user.email.lower() != found[1]:
        return render(request, "accounts/email_link_invalid.html", status=400)
    if user.email_verified_at is not None:
        return render(
            request, "accounts/email_link_invalid.html", {"message": USED_OR_EXPIRED}, status=400
        )
    if request.method == "POST":
        services.email_verify(user=user, email=found[1])
        if request.user.is_authenticated:
            messages.success(request, _("E-mail address verified."))
            return redirect("account")
        # Opened where nobody is signed in (a phone's mail app): said here, and the browser
        # the person was using stays signed in; no sign-in is asked for.
        return render(request, "accounts/email_verify.html", {"email": user.email, "done": True})
    return render(request, "accounts/email_verify.html", {"email": user.email})


@require_POST
@not_for_kids
def email_verify_resend(request: AuthedHttpRequest) -> HttpResponse:
    """ "Send the link again"."""
    user = request.user
    if user.email_verified_at is None:
        throttle = _resend_throttle()
        if not throttle.attempt(request, user=str(user.pk)):
            messages.error(request, _("Too many links sent. Wait an hour and try again."))
        else:
            services.email_verification_resend(user=user)
            messages.success(request, _("We sent a new link to %(email)s.") % {"email": user.email})
    return redirect("account")


@never_cache
@password_confirmation_required(purpose=Purpose.EMAIL_CHANGE)
def email_change(request: AuthedHttpRequest) -> HttpResponse:
    """ "Change e-mail": a link to the new address, a notice to the old one."""
    if request.user.email_change_locked:
        return render(request, "accounts/email_change_locked.html", status=403)
    form = EmailChangeForm(request.POST if request.method == "POST" else None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            change = services.email_change_request(
                user=request.user, new_email=form.cleaned_data["email"], ip=client_ip(request)
            )
        except services.EmailChangeLocked:
            return render(request, "accounts/email_change_locked.html", status=403)
        return render(request, "accounts/email_change_sent.html", {"change": change})
    return render(request, "accounts/email_change.html", {"form": form})
