"""Support closes an account through the same service as the account holder, never by
deleting the row (which would skip ending its sessions and the last e-mail)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from accounts.models import User
from security.admin import UserAdmin as AccountsUserAdmin
from security.admin import support_action_gate

from .services import account_delete

admin.site.unregister(User)


@admin.register(User)
class UserAdmin(AccountsUserAdmin):
    actions = [*AccountsUserAdmin.actions, "delete_accounts"]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.action(
        description=gettext_lazy("Delete selected accounts and their data"), permissions=["change"]
    )
    def delete_accounts(
        self, request: HttpRequest, queryset: QuerySet[User]
    ) -> HttpResponseBase | None:
        if gate := support_action_gate(request):
            return gate
        if request.POST.get("confirm") != "yes":
            context = {
                **self.admin_site.each_context(request),
                "title": _("Delete accounts and their data?"),
                "accounts": list(queryset),
                "opts": self.model._meta,
                "action_name": "delete_accounts",
            }
            return TemplateResponse(request, "privacy/admin_delete_accounts.html", context)
        count = 0
        for user in queryset:
            if user.pk == request.user.pk:
                self.message_user(
                    request, _("You cannot delete your own account here."), messages.ERROR
                )
                continue
            account_delete(user=user, actor=request.user.get_username())
            count += 1
        self.message_user(
            request,
            ngettext("%(count)s account deleted.", "%(count)s accounts deleted.", count)
            % {"count": count},
        )
        return None
