from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.decorators import recent_authentication_redirect
from accounts.gate import Purpose
from accounts.models import Profile, User

from . import services


def support_action_gate(request: HttpRequest) -> HttpResponse | None:
    """What signs people out from the admin asks for the agent's password first (then comes
    back to the page it was asked from); None once it was given in the last few minutes."""
    return recent_authentication_redirect(
        request, purpose=Purpose.SUPPORT_ACTION, next_url=request.get_full_path()
    )


class ProfileInline(admin.TabularInline[Profile, User]):
    model = Profile
    extra = 0
    fields = ["name", "colour", "is_kids", "created_at"]
    readonly_fields = ["created_at"]


class UserCreationForm(AdminUserCreationForm[User]):
    class Meta:
        model = User
        fields = ["email", "name"]


class UserChangeFormEmail(UserChangeForm[User]):
    class Meta:
        model = User
        fields = "__all__"


@admin.register(User)
class UserAdmin(DjangoUserAdmin[User]):
    form = UserChangeFormEmail
    add_form = UserCreationForm
    inlines = [ProfileInline]
    ordering = ["email"]
    list_display = ["email", "name", "date_joined", "is_staff", "is_active"]
    list_filter = ["is_staff", "is_active"]
    search_fields = ["email", "name"]
    readonly_fields = ["date_joined", "last_login", "session_generation"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (gettext_lazy("Personal info"), {"fields": ["name"]}),
        (gettext_lazy("Sessions"), {"fields": ["session_generation", "last_login", "date_joined"]}),
        (
            gettext_lazy("Permissions"),
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "name", "password1", "password2"]}),
    ]

    actions = ["disable_and_sign_out"]

    @admin.action(description=gettext_lazy("Disable and sign out"), permissions=["change"])
    def disable_and_sign_out(
        self, request: HttpRequest, queryset: QuerySet[User]
    ) -> HttpResponseBase | None:
        """Disabled accounts lose every session; re-enabling one revives none of them."""
        if gate := support_action_gate(request):
            return gate
        for user in queryset.filter(is_active=True):
            services.account_disable(user=user, actor=request.user.get_username())
        self.message_user(request, _("The selected accounts were disabled and signed out."))
        return None

    def changeform_view(
        self,
        request: HttpRequest,
        object_id: str | None = None,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        # Saving an account may disable it (and sign it out) or change who may sign in.
        if request.method == "POST" and (gate := support_action_gate(request)):
            return gate
        return super().changeform_view(request, object_id, form_url, extra_context)

    def save_model(self, request: HttpRequest, obj: User, form: Any, change: bool) -> None:
        # Unticking "active" on the form disables the account the same way as the action.
        disabling = change and "is_active" in form.changed_data and not obj.is_active
        super().save_model(request, obj, form, change)
        if disabling:
            services.account_disable(user=obj, actor=request.user.get_username())

    def user_change_password(
        self, request: HttpRequest, id: str, form_url: str = ""
    ) -> HttpResponse:
        """Support setting a password signs the account's devices out, like a reset."""
        if gate := support_action_gate(request):
            return gate
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and response.status_code == 302:
            user = self.get_object(request, unquote(id))
            if user is not None:
                services.password_set_by_support(user=user, actor=request.user.get_username())
        return response
