from __future__ import annotations

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from . import checks, receivers  # noqa: F401  (registers checks and receivers)
        from .events import kinds_register
        from .models import SecurityEvent

        kinds_register(SecurityEvent.Kind)
