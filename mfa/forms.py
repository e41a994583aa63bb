"""Forms of the second step: codes, the password gate that asks for one, passkey names."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib.auth import authenticate
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from accounts.forms import throttled_password_check
from accounts.http import client_ip
from accounts.models import User
from accounts.securitylog import security_log
from accounts.throttle import two_step_throttle

from . import services, twostep

if TYPE_CHECKING:
    from django_otp.models import Device as OTPDevice


TOO_MANY_CODES = _("Too many wrong codes. Wait a few minutes and try again.")
WRONG_CODE = _("That code is not right. Check your authenticator app and try again.")
WRONG_RECOVERY_CODE = _("That recovery code is not right, or it was used before.")
SLOW_DOWN = _("Too many wrong codes in a row. Wait a few seconds and try again.")


def code_field(*, recovery: bool = False) -> forms.CharField:
    if recovery:
        return forms.CharField(
            label=_("Recovery code"),
            max_length=40,
            widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "none"}),
        )
    return forms.CharField(
        label=_("Code"),
        max_length=12,
        help_text=_("The 6 digits your authenticator app shows now."),
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "pattern": "[0-9 ]*"}
        ),
    )


def two_step_keys(request: HttpRequest, user: User) -> dict[str, str]:
    """What the two-step throttle counts against: the account and the client's IP."""
    return {"user": str(user.pk), "ip": client_ip(request) or ""}


def throttled_code_check(
    request: HttpRequest, user: User, code: str, *, recovery: bool
) -> OTPDevice:
    """Check a second-step code under the two-step throttle (per account and per IP)."""
    keys = two_step_keys(request, user)
    throttle = two_step_throttle()
    # Counted before the code is checked, so codes sent at once cannot outrun the limit.
    if not throttle.attempt(request, **keys):
        raise forms.ValidationError(TOO_MANY_CODES, code="throttled")
    # django-otp waits a little longer after each wrong code and meanwhile checks none.
    backing_off = twostep.backing_off(user, recovery=recovery)
    device = twostep.code_check(user, code, recovery=recovery)
    services.second_step_logged(
        user=user, ip=keys["ip"] or None, ok=device is not None, recovery=recovery
    )
    if device is None:
        security_log(
            "authn_mfa_fail",
            request=request,
            user_id=user.pk,
            method="recovery_code" if recovery else "totp",
        )
        if backing_off:
            raise forms.ValidationError(SLOW_DOWN, code="backoff")
        raise forms.ValidationError(WRONG_RECOVERY_CODE if recovery else WRONG_CODE)
    throttle.refund(request, **keys)  # only wrong codes use up the allowance
    return device


class SecondStepForm(forms.Form):
    """The code asked for after the password when two-step verification is on."""

    def __init__(
        self, *args: Any, user: User, request: HttpRequest, recovery: bool, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.user, self.request, self.recovery = user, request, recovery
        self.fields["code"] = code_field(recovery=recovery)
        self.fields["code"].widget.attrs["autofocus"] = True
        self.device: OTPDevice | None = None

    def clean_code(self) -> str:
        code: str = self.cleaned_data["code"]
        self.device = throttled_code_check(self.request, self.user, code, recovery=self.recovery)
        return code


class TotpConfirmForm(forms.Form):
    """The first code from a newly set-up authenticator app proves it works."""

    code = code_field()

    def __init__(self, *args: Any, device: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.device = device

    def clean_code(self) -> str:
        code = "".join(self.cleaned_data["code"].split())
        if not code.isdigit() or len(code) != 6:
            raise forms.ValidationError(_("Enter the 6 digits your authenticator app shows."))
        # As at sign-in: while django-otp waits after a wrong code it checks none, so a code
        # retyped within a second is refused for the wait, not for being wrong.
        backing_off = not self.device.verify_is_allowed()[0]
        if not self.device.verify_token(code):
            raise forms.ValidationError(SLOW_DOWN if backing_off else WRONG_CODE, code="backoff")
        return code


class ConfirmPasswordForm(forms.Form):
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "autofocus": True}),
    )

    def __init__(
        self, *args: Any, user: User, request: HttpRequest | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.user, self.request = user, request
        # With two-step verification on, the gate asks for the second step too.
        self.two_step = twostep.two_step_enabled(user)
        self.device: OTPDevice | None = None
        if self.two_step:
            self.fields["code"] = code_field()

    def clean_code(self) -> str:
        code: str = self.cleaned_data["code"]
        if self.request is None or "password" not in self.cleaned_data:
            return code
        self.device = throttled_code_check(self.request, self.user, code, recovery=False)
        return code

    def clean_password(self) -> str:
        password: str = self.cleaned_data["password"]

        def check() -> str:
            if authenticate(self.request, username=self.user.email, password=password) is None:
                raise forms.ValidationError(_("That password is not right."))
            return password

        return throttled_password_check(self.request, self.user.email, check)


class PasskeyNameForm(forms.Form):
    name = forms.CharField(
        label=_("Passkey name"),
        max_length=60,
        help_text=_("So you can tell your passkeys apart, for example “Work laptop”."),
    )

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError(_("Give the passkey a name."))
        return name
