from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy

from .events import event_description, kind_choices
from .forms import AdminSignInForm
from .models import MailTask, SecurityEvent

# Staff sign in under the same guessing limit as everyone else.
admin.site.login_form = AdminSignInForm


class KindFilter(admin.SimpleListFilter):
    """The kinds every app registered, named in the agent's language."""

    title = gettext_lazy("what")
    parameter_name = "kind"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return kind_choices()

    def queryset(self, request: HttpRequest, queryset: QuerySet[SecurityEvent]) -> Any:
        return queryset.filter(kind=self.value()) if self.value() else queryset


@admin.register(SecurityEvent)
class SecurityEventAdmin(admin.ModelAdmin[SecurityEvent]):
    list_display = ["created_at", "user", "description", "device_name", "ip", "location", "actor"]
    list_filter = [KindFilter]
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


class MailStatusFilter(admin.SimpleListFilter):
    title = gettext_lazy("status")
    parameter_name = "status"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return list(MailTask.Status.choices)

    def queryset(self, request: HttpRequest, queryset: QuerySet[MailTask]) -> Any:
        mails: Any = queryset
        if self.value() == MailTask.Status.WAITING:
            return mails.waiting()
        if self.value() == MailTask.Status.FAILED:
            return mails.failed()
        if self.value() == MailTask.Status.SENT:
            return queryset.filter(sent_at__isnull=False)
        return queryset


@admin.register(MailTask)
class MailTaskAdmin(admin.ModelAdmin[MailTask]):
    """Every e-mail the site queued: what is waiting, sent, or given up on, and why. The body
    is never shown: it holds reset and verification links."""

    list_display = [
        "created_at",
        "to",
        "subject",
        "status_label",
        "attempts",
        "next_attempt_at",
        "sent_at",
        "failed_at",
        "last_error",
    ]
    list_filter = [MailStatusFilter]
    search_fields = ["to", "message_id"]
    date_hierarchy = "created_at"
    fields = [
        "created_at",
        "user",
        "to",
        "subject",
        "message_id",
        "attempts",
        "sending_since",
        "next_attempt_at",
        "last_error",
        "sent_at",
        "failed_at",
    ]

    @admin.display(description=gettext_lazy("status"))
    def status_label(self, obj: MailTask) -> str:
        return str(MailTask.Status(obj.status).label)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: MailTask | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: MailTask | None = None) -> bool:
        return False
