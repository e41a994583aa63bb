from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from .models import Genre, Title, Viewing


@admin.register(Genre)
class GenreAdmin(admin.ModelAdmin[Genre]):
    list_display = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Title)
class TitleAdmin(admin.ModelAdmin[Title]):
    list_display = ["name", "kind", "year", "rating", "min_age"]
    list_filter = ["kind", "rating", "genres"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["genres"]


@admin.register(Viewing)
class ViewingAdmin(admin.ModelAdmin[Viewing]):
    """Read-only: support reads the history, never rewrites it."""

    list_display = ["started_at", "title", "profile", "device_name", "ip", "country", "stopped_at"]
    list_filter = ["stop_reason"]
    search_fields = ["user__email", "title__name"]
    list_select_related = ["title", "profile"]
    date_hierarchy = "started_at"
    raw_id_fields = ["user", "profile", "title", "device"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Viewing | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Viewing | None = None) -> bool:
        return False
