from __future__ import annotations

from django.apps import AppConfig


class SecurityConfig(AppConfig):
    name = "security"
    verbose_name = "Security"

    def ready(self) -> None:
        from accounts.events import kinds_register, wording_register

        from . import events

        kinds_register(events.SecurityFlowEvent)
        wording_register(events.SecurityCode, events.event_detail)
