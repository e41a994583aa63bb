"""The Django admin's site: staff sign in through the same two-step flow as everyone, and the
admin opens only for staff with two-step verification on, in a session that passed it."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.admin.apps import AdminConfig
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache


class StreamGuardAdminSite(admin.AdminSite):
    def has_permission(self, request: HttpRequest) -> bool:
        """Staff with two-step verification on, in a session that passed its second step."""
        from .twostep import session_verified, two_step_enabled

        if not super().has_permission(request):
            return False
        user: Any = request.user
        return two_step_enabled(user) and session_verified(request, user)

    def _second_factor_owed(self, request: HttpRequest) -> HttpResponse | None:
        """Staff signed in without a second factor: set one up, or give it, first."""
        from accounts.gate import Purpose, confirm_password_url
        from accounts.http import safe_next

        from .twostep import two_step_enabled

        user: Any = request.user
        if not (user.is_authenticated and user.is_active and user.is_staff):
            return None
        if not two_step_enabled(user):
            messages.warning(
                request,
                _("The admin needs two-step verification. Turn it on, then open the admin again."),
            )
            return redirect("two_step_setup")
        index = reverse("admin:index", current_app=self.name)
        next_url = safe_next(request, index)
        return HttpResponseRedirect(confirm_password_url(next_url, purpose=Purpose.ADMIN))

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
        if (owed := self._second_factor_owed(request)) is not None:
            return owed

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
