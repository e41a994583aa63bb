from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit
from uuid import UUID

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_htmx.http import HttpResponseClientRedirect

from . import services
from .decorators import (
    not_for_kids,
    password_confirmation_required,
    password_recently_confirmed,
)
from .forms import (
    LanguageForm,
    ProfileForm,
    SignupForm,
    ThrottledPasswordResetForm,
    is_throttled,
)
from .gate import Purpose, confirm_password_url
from .http import (
    AuthedHttpRequest,
    client_ip,
    own_profile_or_404,
    safe_next,
)
from .models import (
    MAX_PROFILES,
    SESSION_PROFILE_KEY,
    Profile,
    User,
)
from .throttle import password_reset_throttles, signin_too_many, signup_throttle, too_many

SIGNUP_THROTTLED = gettext_lazy("Too many new accounts from this address. Try again in an hour.")
RESET_THROTTLED = gettext_lazy("Too many reset e-mails asked for. Wait an hour and try again.")


@login_not_required
def signup(request: AuthedHttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("profiles")
    form = SignupForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        # Every try counts: "this e-mail already has an account" must not be a free oracle.
        throttle, ip = signup_throttle(), client_ip(request) or ""
        if not throttle.attempt(request, ip=ip):
            form.is_valid()
            form.add_error(None, SIGNUP_THROTTLED)
            page = render(request, "accounts/signup.html", {"form": form})
            return too_many(request, page, throttle=throttle, ip=ip)
        if form.is_valid():
            # The same page whether or not the address already had an account.
            services.account_sign_up(**form.cleaned_data)
            email = form.cleaned_data["email"]
            return render(request, "accounts/check_email.html", {"email": email})
    return render(request, "accounts/signup.html", {"form": form})


class ThrottledSignInMixin:
    """A sign-in refused by the guessing limit answers 429 with the page and a Retry-After."""

    request: HttpRequest

    def form_invalid(self, form: Any) -> HttpResponse:
        response: HttpResponse = super().form_invalid(form)  # type: ignore[misc]
        if is_throttled(form):
            email = str(form.data.get("username", ""))
            return signin_too_many(self.request, response, email)
        return response


@login_not_required
def home(request: AuthedHttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect("login")
    return redirect("catalog:browse" if request.profile else "profiles")


def profiles(request: AuthedHttpRequest) -> HttpResponse:
    """ "Who's watching?" """
    return render(
        request,
        "accounts/profiles.html",
        {
            "profiles": Profile.objects.for_account(request.user).select_related(
                "controls", "user__parental_pin"
            ),
            "max_profiles": MAX_PROFILES,
        },
    )


@not_for_kids
def profile_manage(request: AuthedHttpRequest) -> HttpResponse:
    return render(
        request,
        "accounts/profile_manage.html",
        {"profiles": Profile.objects.for_account(request.user), "max_profiles": MAX_PROFILES},
    )


@password_confirmation_required(purpose=Purpose.PROFILE_ADD)
def profile_add(request: AuthedHttpRequest) -> HttpResponse:
    form = ProfileForm(
        request.POST if request.method == "POST" else None, instance=Profile(user=request.user)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.profile_create(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("Profile “%(name)s” added.") % {"name": form.cleaned_data["name"]}
            )
            return redirect("profile_manage")
    return render(request, "accounts/profile_form.html", {"form": form, "adding": True})


@not_for_kids
def profile_edit(request: AuthedHttpRequest, public_id: UUID) -> HttpResponse:
    profile = own_profile_or_404(request, public_id)
    was_kids = profile.is_kids  # read first: validating the form writes to the instance
    form = ProfileForm(request.POST if request.method == "POST" else None, instance=profile)
    if request.method == "POST" and form.is_valid():
        unticks_kids = was_kids and not form.cleaned_data["is_kids"]
        if unticks_kids and not password_recently_confirmed(request):
            # Leaving Kids lifts every rule of the profile: only the account holder may.
            messages.info(request, _("Confirm your password to untick “Kids”, then save again."))
            if request.htmx:
                page = request.htmx.current_url_abs_path or request.get_full_path()
                url = confirm_password_url(page, purpose=Purpose.PROFILE_KIDS_OFF)
                return HttpResponseClientRedirect(url)
            url = confirm_password_url(request.get_full_path(), purpose=Purpose.PROFILE_KIDS_OFF)
            return redirect(url)
        services.profile_update(profile=profile, **form.cleaned_data)
        messages.success(request, _("Profile saved."))
        return redirect("profile_manage")
    return render(request, "accounts/profile_form.html", {"form": form, "profile": profile})


@password_confirmation_required(purpose=Purpose.PROFILE_DELETE)
def profile_delete(request: AuthedHttpRequest, public_id: UUID) -> HttpResponse:
    profile = own_profile_or_404(request, public_id)
    if request.method == "POST":
        try:
            services.profile_delete(profile=profile)
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            if request.session.get(SESSION_PROFILE_KEY) == str(public_id):
                del request.session[SESSION_PROFILE_KEY]
            messages.success(request, _("Profile “%(name)s” deleted.") % {"name": profile.name})
        return redirect("profile_manage")
    return render(request, "accounts/profile_delete.html", {"profile": profile})


class PasswordResetView(auth_views.PasswordResetView):
    """ "Reset password": links built from SITE_URL only, never from the request's Host."""

    form_class = ThrottledPasswordResetForm
    success_url = reverse_lazy("password_reset_done")

    def form_valid(self, form: ThrottledPasswordResetForm) -> HttpResponse:  # type: ignore[override]
        per_email, per_ip = password_reset_throttles()
        email = User.objects.normalize_email(form.cleaned_data["email"]).lower()
        ip = client_ip(self.request) or ""
        # Both count first, then the first one used up answers.
        counted = [
            (throttle, key, throttle.attempt(self.request, **key))
            for throttle, key in ((per_email, {"email": email}), (per_ip, {"ip": ip}))
        ]
        for throttle, key, allowed in counted:
            if not allowed:
                form.add_error(None, RESET_THROTTLED)
                page = self.render_to_response(self.get_context_data(form=form))
                return too_many(self.request, page, throttle=throttle, **key)
        site = urlsplit(settings.SITE_URL)
        form.save(
            domain_override=site.netloc,
            use_https=site.scheme == "https",
            token_generator=self.token_generator,
            from_email=self.from_email,
            email_template_name=self.email_template_name,
            subject_template_name=self.subject_template_name,
            request=self.request,
            html_email_template_name=self.html_email_template_name,
            extra_email_context={**(self.extra_email_context or {}), "site_name": "StreamGuard"},
        )
        return HttpResponseRedirect(self.get_success_url())


@login_not_required
def language(request: AuthedHttpRequest) -> HttpResponse:
    """ "Language": the footer switch (any visitor) and Account → Language (kept on the account)."""
    form = LanguageForm(
        request.POST if request.method == "POST" else None,
        initial={"language": translation.get_language()},
    )
    if request.method == "POST" and form.is_valid():
        chosen = form.cleaned_data["language"]
        if request.user.is_authenticated:
            services.account_language_set(user=request.user, language=chosen)
        translation.activate(chosen)
        response = HttpResponseRedirect(safe_next(request, reverse("home")))
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            chosen,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            samesite="Lax",
            secure=settings.SESSION_COOKIE_SECURE,
            httponly=True,
        )
        return response
    return render(
        request,
        "accounts/language.html",
        {"form": form, "next": safe_next(request, "")},
        status=400 if form.errors else 200,
    )
