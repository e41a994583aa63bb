from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from accounts.decorators import recent_authentication_redirect
from accounts.gate import Purpose

from . import services
from .managers import DeviceQuerySet
from .models import Device


class SignedInFilter(admin.SimpleListFilter):
    title = _("signed in")
    parameter_name = "signed_in"

    def lookups(
        self, request: HttpRequest, model_admin: admin.ModelAdmin[Any]
    ) -> list[tuple[str, str]]:
        return [("yes", gettext("Signed in")), ("no", gettext("Signed out"))]

    def queryset(self, request: HttpRequest, queryset: DeviceQuerySet) -> DeviceQuerySet:  # type: ignore[override]
        if self.value() == "yes":
            return queryset.signed_in()
        if self.value() == "no":
            return queryset.signed_out()
        return queryset


@admin.register(Device)
class DeviceAdmin(admin.ModelAdmin[Device]):
    list_display = [
        "name",
        "user",
        "kind",
        "ip",
        "country",
        "last_seen_at",
        "signed_out_at",
        "signed_out_reason",
    ]
    list_filter = ["kind", SignedInFilter]
    search_fields = ["user__email"]
    list_select_related = ["user"]
    actions = ["sign_out_selected"]
    readonly_fields = [field.name for field in Device._meta.fields if field.name != "session_key"]
    exclude = ["session_key"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Device | None = None) -> bool:
        # Deleting the row would not end its session: support signs devices out instead.
        return False

    @admin.action(description=_("Sign out selected devices"), permissions=["change"])
    def sign_out_selected(
        self, request: HttpRequest, queryset: DeviceQuerySet
    ) -> HttpResponseBase | None:
        # Signing people out asks for the agent's password first, as every such admin action.
        gate = recent_authentication_redirect(
            request, purpose=Purpose.SUPPORT_ACTION, next_url=request.get_full_path()
        )
        if gate is not None:
            return gate
        devices = list(queryset.signed_in().select_related("user"))
        for device in devices:
            services.sign_out_device(
                device=device,
                reason=Device.SignOutReason.SUPPORT,
                actor=request.user.get_username(),
            )
        # English keeps its "device(s)"; languages with real plurals get them.
        said = ngettext(
            "Signed out %(count)d device(s).", "Signed out %(count)d device(s).", len(devices)
        ) % {"count": len(devices)}
        self.message_user(request, said, messages.SUCCESS)
        return None
