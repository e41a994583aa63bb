from __future__ import annotations

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from datetime import timedelta

        from django.conf import settings

        from . import checks, receivers  # noqa: F401  (registers checks and receivers)
        from .events import kinds_register
        from .models import SecurityEvent
        from .queue import periodic_register
        from .tasks import queue_upkeep

        kinds_register(SecurityEvent.Kind)
        periodic_register(
            queue_upkeep, every=lambda: timedelta(seconds=settings.TASK_UPKEEP_SECONDS)
        )
