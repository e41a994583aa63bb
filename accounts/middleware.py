"""Private by default, htmx-aware; the profile picked on "Who's watching?"; no page is kept in
a cache; multipart bodies only where a view takes files."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth import middleware as auth_middleware
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import resolve_url
from django.utils import translation
from django.utils.cache import add_never_cache_headers
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django_htmx.http import HttpResponseClientRedirect

from .models import SESSION_PROFILE_KEY, Profile


class LoginRequiredMiddleware(auth_middleware.LoginRequiredMiddleware):
    """Django's LoginRequiredMiddleware; an htmx request is sent to sign-in as a whole page."""

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., HttpResponseBase],
        view_args: Any,
        view_kwargs: Any,
    ) -> HttpResponseBase | None:
        # A public view (health checks) never loads the session or the user for nothing.
        if not getattr(view_func, "login_required", True):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)

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


class NoStoreMiddleware:
    """Cache-Control: no-store on every response Django renders.

    Signed-in pages, forms and secrets (the TV code, /activate/, e-mail links) are nearly
    every page there is, so the rule is the whole site: a shared or back-button cache never
    shows one after sign-out. Static files never reach this (WhiteNoise answers first), and
    an image that chose its own Cache-Control (a poster) keeps it.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        own_image = response.get("Content-Type", "").startswith("image/") and response.has_header(
            "Cache-Control"
        )
        if not own_image:
            if response.has_header("Cache-Control"):
                del response["Cache-Control"]
            add_never_cache_headers(response)
        return response


class MultipartRefusedMiddleware:
    """415 for a multipart body sent to a view not in MULTIPART_ALLOWED_VIEWS.

    No StreamGuard view takes files, so nothing should ever parse an upload (which Django
    streams to temporary files, outside DATA_UPLOAD_MAX_MEMORY_SIZE).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: Callable[..., Any], *args: Any
    ) -> HttpResponse | None:
        if request.content_type != "multipart/form-data":
            return None
        match = request.resolver_match
        name = match.view_name if match is not None else ""
        if name in settings.MULTIPART_ALLOWED_VIEWS:
            return None
        return HttpResponse(
            _("This address takes no file uploads."), status=415, content_type="text/plain"
        )


class AccountLanguageMiddleware:
    """A signed-in account's own language wins over the browser's (LocaleMiddleware's pick)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path in settings.UNTRACKED_PATHS:
            # Health checks load no session and no user.
            return self.get_response(request)
        user = request.user
        language = getattr(user, "language", "") if user.is_authenticated else ""
        if language:
            translation.activate(language)
            request.LANGUAGE_CODE = language
        response = self.get_response(request)
        if language:
            response.headers.setdefault("Content-Language", language)
        return response
