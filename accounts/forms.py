from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django import forms
from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import password_validation
from django.contrib.auth.forms import (
    AuthenticationForm,
    PasswordChangeForm,
    PasswordResetForm,
    UsernameField,
)
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

from .emails import mail_enqueue
from .language import in_account_language
from .models import EMAIL_UNDO_MAX_AGE, EmailChange, Profile, User
from .securitylog import security_log
from .throttle import signin_throttle, signin_throttle_keys


class SignupForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=User._meta.get_field("name").max_length)
    email = forms.EmailField(label=_("Email"), max_length=254)
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )

    def clean_name(self) -> str:
        name: str = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError(_("Enter your name."))
        return name

    def clean_email(self) -> str:
        # Whether the address has an account is never said here (see account_sign_up).
        return User.objects.normalize_email(self.cleaned_data["email"])

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
THROTTLED = _("Too many failed sign-ins. Wait a few minutes and try again.")


def is_throttled(form: forms.BaseForm) -> bool:
    """The form was refused by a throttle, not by what was typed in it."""
    return any(e.code == "throttled" for errors in form.errors.as_data().values() for e in errors)


def throttled_password_check(request: HttpRequest | None, email: str, check: Callable[[], T]) -> T:
    """Run a password check under the sign-in throttle (per e-mail and per IP)."""
    if request is None:
        return check()
    throttle = signin_throttle()
    keys = signin_throttle_keys(request, email)
    # Counted before the password is checked, so guesses sent at once cannot outrun the limit.
    if not throttle.attempt(request, **keys):
        raise forms.ValidationError(THROTTLED, code="throttled")
    try:
        checked = check()
    except forms.ValidationError:
        if throttle.blocked(request, **keys):
            security_log("authn_login_lock", request=request, attempts=throttle.attempts)
        raise
    throttle.refund(request, **keys)  # only failures use up the allowance
    return checked


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
        label=_("Email"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )
    # Checked by default, as streaming services do; unchecked, the session ends with the
    # browser and after SESSION_SHORT_IDLE_MINUTES / SESSION_SHORT_MAX_AGE_HOURS.
    keep_signed_in = forms.BooleanField(label=_("Keep me signed in"), required=False, initial=True)
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("Incorrect e-mail address or password."),
    }


class AdminSignInForm(ThrottledAuthenticationMixin, AdminAuthenticationForm):
    """The admin's sign-in, under the same guessing limit as the site's."""

    username = UsernameField(label=_("Email"), max_length=254)


class PasswordChangeWithSignOutForm(PasswordChangeForm):
    """Django's change form; "Old password" only when the password was not just confirmed
    on the way here (it is asked once on any way to a new password)."""

    sign_out_others = forms.BooleanField(
        label=_("Sign out of all other devices"), required=False, initial=True
    )

    def __init__(
        self,
        user: Any,
        *args: Any,
        request: HttpRequest | None = None,
        ask_old_password: bool = True,
        **kwargs: Any,
    ):
        super().__init__(user, *args, **kwargs)
        self.request = request
        if not ask_old_password:
            del self.fields["old_password"]

    def clean_old_password(self) -> str:
        check = super().clean_old_password
        return throttled_password_check(self.request, self.user.email, check)


class ThrottledPasswordResetForm(PasswordResetForm):
    """Django's reset form; the view counts each request per e-mail and per IP."""

    email = forms.EmailField(
        label=_("Email"), max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        user = context.get("user")
        # While the old address may still undo an e-mail change, it gets the link too: the
        # new address may be a stranger's, who must not be the only one able to reset.
        to = [to_email]
        if isinstance(user, User):
            changes = EmailChange.objects.filter(user=user).undo_open(max_age=EMAIL_UNDO_MAX_AGE)
            olds = changes.exclude(old_email__iexact=to_email).values_list("old_email", flat=True)
            to += list(dict.fromkeys(olds))
        # The link goes to the account's holder: in the account's language, not the visitor's.
        # Its token was made in this request, so its hour counts from now; the mail task
        # sends it, so an unknown address and a known one answer alike, mail server or not.
        with in_account_language(user):
            subject = render_to_string(subject_template_name, context)
            body = render_to_string(email_template_name, context)
        for address in to:
            mail_enqueue(user=user, to=address, subject=subject, body=body)


class ProfileForm(forms.ModelForm[Profile]):
    class Meta:
        model = Profile
        fields = ["name", "colour", "is_kids"]
        widgets = {"colour": forms.RadioSelect}
        help_texts = {"is_kids": _("Only titles for children, and no account settings.")}

    def clean_name(self) -> str:
        name: str = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError(_("Enter a name for the profile."))
        # The constraint covers (user, name); the form has no user field, so ask here.
        same_name = Profile.objects.for_account(self.instance.user).filter(name__iexact=name)
        if same_name.exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("You already have a profile with this name."))
        return name


class EmailChangeForm(forms.Form):
    email = forms.EmailField(
        label=_("New email"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_email(self) -> str:
        email = User.objects.normalize_email(self.cleaned_data["email"])
        if email.lower() == self.user.email.lower():
            raise forms.ValidationError(_("That is already your e-mail address."))
        return email


class LanguageForm(forms.Form):
    language = forms.ChoiceField(
        label=_("Language"), choices=settings.LANGUAGES, widget=forms.RadioSelect
    )
