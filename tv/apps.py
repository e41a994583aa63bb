from __future__ import annotations

from django.apps import AppConfig


class TvConfig(AppConfig):
    name = "tv"
    verbose_name = "TV and console client"
