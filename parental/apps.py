from __future__ import annotations

from django.apps import AppConfig


class ParentalConfig(AppConfig):
    name = "parental"
    verbose_name = "Parental controls"

    def ready(self) -> None:
        from . import receivers  # noqa: F401  (connects the receivers)
