from __future__ import annotations

from typing import Any
from uuid import UUID

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import PasswordChangeForm, SetPasswordForm
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import translation
from django.utils.decorators import method_decorator

from . import services
from .decorators import not_for_kids, password_confirmed_now
from .forms import (
    ConfirmPasswordForm,
    LanguageForm,
    PasswordChangeWithSignOutForm,
    ProfileForm,
    SignInForm,
    SignupForm,
)
from .http import AuthedHttpRequest, client_ip, own_profile_or_404, safe_next
from .models import MAX_PROFILES, SESSION_PROFILE_KEY, Profile, SecurityEvent, User


@login_not_required
def signup(request: AuthedHttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("profiles")
    form = SignupForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        user = services.account_create(**form.cleaned_data)
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        return redirect("profiles")
    return render(request, "accounts/signup.html", {"form": form})


class SignInView(auth_views.LoginView):
    form_class = SignInForm
    redirect_authenticated_user = True


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
            "profiles": Profile.objects.for_account(request.user).select_related("controls"),
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


@not_for_kids
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
            messages.success(request, f"Profile “{form.cleaned_data['name']}” added.")
            return redirect("profile_manage")
    return render(request, "accounts/profile_form.html", {"form": form, "adding": True})


@not_for_kids
def profile_edit(request: AuthedHttpRequest, public_id: UUID) -> HttpResponse:
    profile = own_profile_or_404(request, public_id)
    form = ProfileForm(request.POST if request.method == "POST" else None, instance=profile)
    if request.method == "POST" and form.is_valid():
        services.profile_update(profile=profile, **form.cleaned_data)
        messages.success(request, "Profile saved.")
        return redirect("profile_manage")
    return render(request, "accounts/profile_form.html", {"form": form, "profile": profile})


@not_for_kids
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
            messages.success(request, f"Profile “{profile.name}” deleted.")
        return redirect("profile_manage")
    return render(request, "accounts/profile_delete.html", {"profile": profile})


@not_for_kids
def confirm_password(request: AuthedHttpRequest) -> HttpResponse:
    """ "Confirm your password" before what weakens protection (the sudo-mode gate)."""
    form = ConfirmPasswordForm(
        request.POST if request.method == "POST" else None, user=request.user, request=request
    )
    next_url = safe_next(request, reverse("account"))
    if request.method == "POST" and form.is_valid():
        password_confirmed_now(request)
        services.security_event_log(
            user=request.user, kind=SecurityEvent.Kind.PASSWORD_CONFIRMED, ip=client_ip(request)
        )
        return HttpResponseRedirect(next_url)
    return render(request, "accounts/confirm_password.html", {"form": form, "next": next_url})


@not_for_kids
def account(request: AuthedHttpRequest) -> HttpResponse:
    return render(request, "accounts/account.html")


@method_decorator(not_for_kids, name="dispatch")  # type: ignore[arg-type]
class PasswordChangeView(auth_views.PasswordChangeView):
    request: AuthedHttpRequest
    form_class = PasswordChangeWithSignOutForm
    success_url = reverse_lazy("account")

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "request": self.request}

    def form_valid(self, form: PasswordChangeForm) -> HttpResponse:
        form.save()
        update_session_auth_hash(self.request, form.user)
        sign_out_others = form.cleaned_data["sign_out_others"]
        services.password_changed(
            user=form.user, request=self.request, sign_out_others=sign_out_others
        )
        messages.success(
            self.request,
            "Password changed. Your other devices were signed out."
            if sign_out_others
            else "Password changed. Your other devices stay signed in.",
        )
        return redirect(self.get_success_url())


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    success_url = reverse_lazy("password_reset_complete")

    def form_valid(self, form: SetPasswordForm[User]) -> HttpResponse:
        response = super().form_valid(form)
        services.password_changed(
            user=form.user, request=self.request, sign_out_others=True, how="reset"
        )
        return response


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
