from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParentalConfig(AppConfig):
    name = "parental"
    verbose_name = _("Parental controls")

    def ready(self) -> None:
        from accounts.events import kinds_register, wording_register

        from . import events, receivers  # noqa: F401  (connects the receivers)

        kinds_register(events.ParentalEvent)
        wording_register(events.ParentalCode, events.event_detail)
