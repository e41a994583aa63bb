from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy

from .events import event_description
from .forms import AdminSignInForm
from .models import SecurityEvent

# Staff sign in under the same guessing limit as everyone else.
admin.site.login_form = AdminSignInForm


@admin.register(SecurityEvent)
class SecurityEventAdmin(admin.ModelAdmin[SecurityEvent]):
    list_display = ["created_at", "user", "description", "device_name", "ip", "location", "actor"]
    list_filter = ["kind"]
    search_fields = ["user__email"]
    list_select_related = ["user"]
    date_hierarchy = "created_at"

    @admin.display(description=gettext_lazy("What"), ordering="kind")
    def description(self, obj: SecurityEvent) -> str:
        # Worded in the agent's language, whatever language the account used.
        return event_description(obj)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: SecurityEvent | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: SecurityEvent | None = None) -> bool:
        return False
