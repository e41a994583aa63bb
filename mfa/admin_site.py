"""The Django admin's site: staff sign in through the same two-step flow as everyone."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache


class StreamGuardAdminSite(admin.AdminSite):
    def has_permission(self, request: HttpRequest) -> bool:
        """Staff with two-step verification on need a session that passed it."""
        from .twostep import session_verified, two_step_enabled

        if not super().has_permission(request):
            return False
        user: Any = request.user
        return not two_step_enabled(user) or session_verified(request, user)

    @method_decorator(never_cache)
    @login_not_required
    def login(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> Any:
        """AdminSite.login, with a sign-in view that hands over to the second step."""
        # Imported here: this module loads with the admin, before the auth models are ready.
        from django.contrib.admin.forms import AdminAuthenticationForm
        from django.contrib.auth.views import LoginView

        from accounts.views import ThrottledSignInMixin

        from .views import TwoStepLoginMixin

        if request.method == "GET" and self.has_permission(request):
            return HttpResponseRedirect(reverse("admin:index", current_app=self.name))

        class AdminLoginView(ThrottledSignInMixin, TwoStepLoginMixin, LoginView):
            pass

        context = {
            **self.each_context(request),
            "title": _("Log in"),
            "subtitle": None,
            "app_path": request.get_full_path(),
            "username": request.user.get_username(),
        }
        if REDIRECT_FIELD_NAME not in request.GET and REDIRECT_FIELD_NAME not in request.POST:
            context[REDIRECT_FIELD_NAME] = reverse("admin:index", current_app=self.name)
        context.update(extra_context or {})
        request.current_app = self.name
        view = AdminLoginView.as_view(
            extra_context=context,
            authentication_form=self.login_form or AdminAuthenticationForm,
            template_name=self.login_template or "admin/login.html",
        )
        return view(request)


class StreamGuardAdminConfig(AdminConfig):
    """Django's admin, on the site above."""

    default_site = "mfa.admin_site.StreamGuardAdminSite"
