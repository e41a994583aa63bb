from __future__ import annotations

from django.apps import AppConfig


class MfaConfig(AppConfig):
    name = "mfa"
    verbose_name = "Two-step verification"

    def ready(self) -> None:
        from accounts.decorators import SECOND_STEP_REQUIRED
        from accounts.events import kinds_register, wording_register

        from . import checks  # noqa: F401  (registers the passkey host check)
        from .events import TwoStepCode, TwoStepEvent, event_detail
        from .twostep import two_step_enabled

        # With two-step verification on, the password gate asks for a code or passkey too.
        SECOND_STEP_REQUIRED.append(two_step_enabled)
        kinds_register(TwoStepEvent)
        wording_register(TwoStepCode, event_detail)
