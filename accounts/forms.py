from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django import forms
from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import authenticate, password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm, UsernameField
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from .http import client_ip
from .models import Profile, User
from .throttle import signin_throttle


class SignupForm(forms.Form):
    name = forms.CharField(label="Name", max_length=User._meta.get_field("name").max_length)
    email = forms.EmailField(label="Email", max_length=254)
    password = forms.CharField(
        label="Password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )

    def clean_name(self) -> str:
        name: str = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError("Enter your name.")
        return name

    def clean_email(self) -> str:
        email = User.objects.normalize_email(self.cleaned_data["email"])
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError("An account with this e-mail address already exists.")
        return email

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        password = cleaned.get("password")
        if password:
            candidate = User(email=cleaned.get("email", ""), name=cleaned.get("name", ""))
            try:
                password_validation.validate_password(password, candidate)
            except forms.ValidationError as error:
                self.add_error("password", error)
        return cleaned


T = TypeVar("T")
THROTTLED = "Too many failed sign-ins. Wait a few minutes and try again."


def throttled_password_check(request: HttpRequest | None, email: str, check: Callable[[], T]) -> T:
    """Run a password check under the sign-in throttle (per e-mail and per IP)."""
    keys = {"email": email.lower()}
    throttle = signin_throttle()
    if request is not None:
        keys["ip"] = client_ip(request) or ""
        if throttle.blocked(request, **keys):
            raise forms.ValidationError(THROTTLED, code="throttled")
    try:
        return check()
    except forms.ValidationError:
        if request is not None:
            throttle.failed(request, **keys)
        raise


class ThrottledAuthenticationMixin:
    """Every form that checks a password counts its failures toward the same limit."""

    request: HttpRequest | None
    cleaned_data: dict[str, Any]

    def clean(self) -> dict[str, Any]:
        email = self.cleaned_data.get("username") or ""
        return throttled_password_check(self.request, email, super().clean)  # type: ignore[misc]


class SignInForm(ThrottledAuthenticationMixin, AuthenticationForm):
    """Django's sign-in form, labelled "Email", with failed attempts throttled."""

    username = UsernameField(
        label="Email",
        max_length=254,
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "Incorrect e-mail address or password.",
    }


class AdminSignInForm(ThrottledAuthenticationMixin, AdminAuthenticationForm):
    """The admin's sign-in, under the same guessing limit as the site's."""

    username = UsernameField(label="Email", max_length=254)


class PasswordChangeWithSignOutForm(PasswordChangeForm):
    sign_out_others = forms.BooleanField(
        label="Sign out of all other devices", required=False, initial=True
    )

    def __init__(self, user: Any, *args: Any, request: HttpRequest | None = None, **kwargs: Any):
        super().__init__(user, *args, **kwargs)
        self.request = request

    def clean_old_password(self) -> str:
        check = super().clean_old_password
        return throttled_password_check(self.request, self.user.email, check)


class ProfileForm(forms.ModelForm[Profile]):
    class Meta:
        model = Profile
        fields = ["name", "colour", "is_kids"]
        widgets = {"colour": forms.RadioSelect}
        help_texts = {"is_kids": "Only titles for children, and no account settings."}

    def clean_name(self) -> str:
        name: str = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError("Enter a name for the profile.")
        # The constraint covers (user, name); the form has no user field, so ask here.
        same_name = Profile.objects.for_account(self.instance.user).filter(name__iexact=name)
        if same_name.exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError("You already have a profile with this name.")
        return name


class ConfirmPasswordForm(forms.Form):
    password = forms.CharField(
        label="Password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "autofocus": True}),
    )

    def __init__(
        self, *args: Any, user: User, request: HttpRequest | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.user, self.request = user, request

    def clean_password(self) -> str:
        password: str = self.cleaned_data["password"]

        def check() -> str:
            if authenticate(self.request, username=self.user.email, password=password) is None:
                raise forms.ValidationError("That password is not right.")
            return password

        return throttled_password_check(self.request, self.user.email, check)


class LanguageForm(forms.Form):
    language = forms.ChoiceField(
        label=_("Language"), choices=settings.LANGUAGES, widget=forms.RadioSelect
    )
