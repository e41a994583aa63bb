from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from .models import ParentalPin, ProfileControls, ViewingWindow


class ViewingWindowInline(admin.TabularInline[ViewingWindow, ProfileControls]):
    model = ViewingWindow
    extra = 0


@admin.register(ProfileControls)
class ProfileControlsAdmin(admin.ModelAdmin[ProfileControls]):
    list_display = ["profile", "maturity", "locked", "daily_limit_minutes"]
    list_filter = ["maturity", "locked"]
    search_fields = ["profile__user__email", "profile__name"]
    list_select_related = ["profile__user"]
    autocomplete_fields = ["blocked_titles"]
    inlines = [ViewingWindowInline]


@admin.register(ParentalPin)
class ParentalPinAdmin(admin.ModelAdmin[ParentalPin]):
    """Support sees whether a PIN is set and locked; never the PIN or its hash."""

    list_display = ["user", "failed_attempts", "locked_at", "updated_at"]
    search_fields = ["user__email"]
    list_select_related = ["user"]
    fields = ["user", "failed_attempts", "locked_at", "updated_at"]
    readonly_fields = ["user", "updated_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
