from __future__ import annotations

from django.apps import AppConfig


class DevicesConfig(AppConfig):
    name = "devices"
    verbose_name = "Devices"

    def ready(self) -> None:
        from accounts.events import kinds_register, wording_register
        from accounts.queue import periodic_register

        from . import checks, events, receivers  # noqa: F401  (registers checks and receivers)
        from .tasks import EVERY, prune_devices

        kinds_register(events.DeviceEvent)
        wording_register(events.DeviceCode, events.event_detail)
        # The retention job runs daily on the task queue's worker (and by hand as a command).
        periodic_register(prune_devices, every=lambda: EVERY)
