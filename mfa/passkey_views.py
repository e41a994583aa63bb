"""Passkeys: "Add a passkey", "Sign in with a passkey", a passkey as the second step or gate.

The WebAuthn ceremonies are django-otp-webauthn's views (challenge in the session, popped
before use so a replayed answer finds none; origin, RP id, signature and counter checked by
py_webauthn); these subclasses decide whose ceremony it is and what success means here.
The library ships no type hints, hence the ignores on the classes built on it.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django_otp import login as otp_login
from django_otp_webauthn import exceptions
from django_otp_webauthn import views as webauthn_views
from django_otp_webauthn.models import WebAuthnCredential
from django_otp_webauthn.utils import rewrite_exceptions

from accounts.decorators import (
    password_confirmation_required,
    password_confirmed_now,
    password_recently_confirmed,
)
from accounts.gate import PURPOSE_PARAM, Purpose, purpose_from
from accounts.http import AuthedHttpRequest, client_ip, safe_next
from accounts.models import SecurityEvent, User
from accounts.services import security_event_log

from . import services, twostep
from .forms import PasskeyNameForm
from .views import verify_first

SESSION_PASSKEY_NAME = "_passkey_name"
WEBAUTHN_BACKEND = "django_otp_webauthn.backends.WebAuthnBackend"


class GateClosed(exceptions.OTPWebAuthnApiError):  # type: ignore[misc]
    status_code = 403
    default_code = "gate_closed"
    default_detail = gettext_lazy("Confirm your password again, then add the passkey.")


class AddressUnverified(exceptions.OTPWebAuthnApiError):  # type: ignore[misc]
    status_code = 403
    default_code = "email_unverified"
    default_detail = gettext_lazy("Verify your e-mail address first, then add the passkey.")


class BadName(exceptions.OTPWebAuthnApiError):  # type: ignore[misc]
    status_code = 400
    default_code = "bad_name"
    default_detail = gettext_lazy("Give the passkey a name of up to 60 characters.")


class ReadableErrors:
    """Any answer that cannot be read is a clear 400, never a server error."""

    def handle_exception(self, exc: Exception) -> JsonResponse:
        if isinstance(exc, exceptions.OTPWebAuthnApiError):
            return super().handle_exception(exc)  # type: ignore[misc, no-any-return]
        if isinstance(exc, ValueError | KeyError | TypeError | AttributeError | IndexError):
            detail = _("The passkey's answer could not be read. Try again.")
            return JsonResponse({"detail": detail, "code": "unreadable"}, status=400)
        raise exc


def _with_is_verified(request: HttpRequest) -> Any:
    """The signed-in user with the is_verified() the library asks (no OTP middleware here)."""
    user: Any = request.user
    if not user.is_authenticated:
        return None
    user.is_verified = lambda: twostep.session_verified(request, user)
    return user


def _ceremony_user(request: HttpRequest) -> User | None:
    """Whose passkey may answer: the signed-in account, the one half signed in, or anyone."""
    if request.user.is_authenticated:
        return request.user
    return twostep.pending_user(request)


@method_decorator(login_not_required, name="dispatch")
class PasskeyRegisterBegin(ReadableErrors, webauthn_views.BeginCredentialRegistrationView):  # type: ignore[misc]
    def user_is_mfa_enrolled(self, user: Any) -> bool:
        # Only an account with two-step on must have passed it to add a passkey.
        return twostep.two_step_enabled(user)

    def get_user(self) -> Any:
        return _with_is_verified(self.request)

    def check_can_register(self) -> None:
        if self.request.profile and self.request.profile.is_kids:
            raise exceptions.NotAuthenticated()
        if not password_recently_confirmed(self.request):
            raise GateClosed()
        if not twostep.can_add_factor(self.request.user):
            raise AddressUnverified()
        form = PasskeyNameForm(self.request.data)
        if not form.is_valid():
            raise BadName()
        self.request.session[SESSION_PASSKEY_NAME] = form.cleaned_data["name"]


@method_decorator(login_not_required, name="dispatch")
class PasskeyRegisterComplete(ReadableErrors, webauthn_views.CompleteCredentialRegistrationView):  # type: ignore[misc]
    def user_is_mfa_enrolled(self, user: Any) -> bool:
        return twostep.two_step_enabled(user)

    def get_user(self) -> Any:
        return _with_is_verified(self.request)

    def check_can_register(self) -> None:
        if not password_recently_confirmed(self.request):
            raise GateClosed()
        if not twostep.can_add_factor(self.request.user):
            raise AddressUnverified()

    def post(self, *args: Any, **kwargs: Any) -> JsonResponse:
        state = self.get_state()
        name = self.request.session.pop(SESSION_PASSKEY_NAME, "") or _("Passkey")
        with rewrite_exceptions(logger=None):
            device = self.get_helper().register_complete(
                user=self.request.user, state=state, data=self.request.data
            )
        services.passkey_added(device=device, name=name, ip=client_ip(self.request))
        messages.success(self.request, _("Passkey “%(name)s” added.") % {"name": name})
        return JsonResponse({"id": device.pk, "redirect_url": reverse("two_step")})


@method_decorator(login_not_required, name="dispatch")
class PasskeyAuthBegin(ReadableErrors, webauthn_views.BeginCredentialAuthenticationView):  # type: ignore[misc]
    def get_user(self) -> User | None:
        return _ceremony_user(self.request)

    def post(self, *args: Any, **kwargs: Any) -> JsonResponse:
        # A passkey stands in for the password, so the authenticator must verify its owner.
        data, state = self.get_helper().authenticate_begin(
            user=self.get_user(), require_user_verification=True
        )
        self.request.session["otp_webauthn_authentication_state"] = state
        return JsonResponse(data)


@method_decorator(login_not_required, name="dispatch")
class PasskeyAuthComplete(ReadableErrors, webauthn_views.CompleteCredentialAuthenticationView):  # type: ignore[misc]
    def get_user(self) -> User | None:
        return _ceremony_user(self.request)

    def complete_auth(self, device: WebAuthnCredential) -> None:
        request = self.request
        user: User = device.user
        if request.user.is_authenticated:
            # The gate: a passkey is the password and the second step at once.
            purpose = purpose_from(request.GET.get(PURPOSE_PARAM))
            password_confirmed_now(request, second_step=True, purpose=purpose)
            otp_login(request, device)
            security_event_log(
                user=user,
                kind=SecurityEvent.Kind.PASSWORD_CONFIRMED,
                ip=client_ip(request),
                code=SecurityEvent.Code.WITH_PASSKEY,
                params={} if purpose == Purpose.CONTINUE else {"purpose": purpose.value},
            )
            self.next_url = safe_next(request, reverse("account"))
        elif twostep.pending_read(request) is not None:
            self.next_url = twostep.pending_finish(request, user=user, device=device)
        else:
            login(request, user, backend=WEBAUTHN_BACKEND)
            otp_login(request, device)
            self.next_url = safe_next(request, reverse("profiles"))

    def get_success_url(self) -> str:
        return self.next_url


@require_GET
@login_not_required
def passkey_sign_in(request: HttpRequest) -> HttpResponse:
    """Where "Sign in with a passkey" posts when JavaScript is off: say what is missing."""
    messages.error(
        request, _("Signing in with a passkey needs JavaScript turned on in your browser.")
    )
    if request.user.is_authenticated:
        return redirect(safe_next(request, reverse("account")))
    return redirect("login_verify" if twostep.pending_read(request) else "login")


@never_cache
@password_confirmation_required(purpose=Purpose.PASSKEYS)
def passkey_add(request: AuthedHttpRequest) -> HttpResponse:
    """ "Add a passkey": a name, then the browser's own passkey dialog (JavaScript)."""
    if not twostep.can_add_factor(request.user):
        return verify_first(request)
    form = PasskeyNameForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        # Reached only without JavaScript: the browser's passkey dialog needs it.
        messages.error(request, _("Adding a passkey needs JavaScript turned on in your browser."))
    return render(request, "mfa/passkey_add.html", {"form": form})
