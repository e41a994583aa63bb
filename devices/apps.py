from __future__ import annotations

from django.apps import AppConfig


class DevicesConfig(AppConfig):
    name = "devices"
    verbose_name = "Devices"

    def ready(self) -> None:
        from accounts.events import kinds_register, wording_register

        from . import checks, events, receivers  # noqa: F401  (registers checks and receivers)

        kinds_register(events.DeviceEvent)
        wording_register(events.DeviceCode, events.event_detail)
