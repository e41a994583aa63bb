"""Private by default, htmx-aware; and the profile picked on "Who's watching?"."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth import middleware as auth_middleware
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import resolve_url
from django.utils import translation
from django.utils.functional import SimpleLazyObject
from django_htmx.http import HttpResponseClientRedirect

from .models import SESSION_PROFILE_KEY, Profile


class LoginRequiredMiddleware(auth_middleware.LoginRequiredMiddleware):
    """Django's LoginRequiredMiddleware; an htmx request is sent to sign-in as a whole page."""

    def handle_no_permission(  # type: ignore[override]
        self, request: HttpRequest, view_func: Callable[..., HttpResponse]
    ) -> HttpResponse:
        htmx = getattr(request, "htmx", None)
        if htmx:
            # Back to the page the fragment belonged to, not to the fragment's own URL.
            next_path = htmx.current_url_abs_path or request.get_full_path()
            login = redirect_to_login(next_path, resolve_url(self.get_login_url(view_func)))
            return HttpResponseClientRedirect(login["Location"])
        return super().handle_no_permission(request, view_func)


def current_profile(request: HttpRequest) -> Profile | None:
    profile_id = request.session.get(SESSION_PROFILE_KEY)
    if not profile_id or not request.user.is_authenticated:
        return None
    # The controls come along: the catalog policy reads them on every listing.
    profiles = Profile.objects.for_account(request.user).select_related("controls")
    return profiles.filter(public_id=profile_id).first()


class CurrentProfileMiddleware:
    """request.profile: the profile picked in this session, loaded only when used."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.profile = SimpleLazyObject(lambda: current_profile(request))  # type: ignore[attr-defined]
        return self.get_response(request)


class AccountLanguageMiddleware:
    """A signed-in account's own language wins over the browser's (LocaleMiddleware's pick)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        language = getattr(user, "language", "") if user.is_authenticated else ""
        if language:
            translation.activate(language)
            request.LANGUAGE_CODE = language
        response = self.get_response(request)
        if language:
            response.headers.setdefault("Content-Language", language)
        return response
