"""Two-step verification's and passkeys' entries in the security log (their kinds are named
here and registered with accounts.events in MfaConfig.ready())."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from accounts.models import SecurityEvent


class TwoStepEvent(models.TextChoices):
    TWO_STEP_ENABLED = "two_step_enabled", _("Two-step verification turned on")
    TWO_STEP_DISABLED = "two_step_disabled", _("Two-step verification turned off")
    TWO_STEP_FAILED = "two_step_failed", _("Wrong two-step verification code")
    RECOVERY_CODES_NEW = "recovery_codes_new", _("New recovery codes made")
    RECOVERY_CODE_USED = "recovery_code_used", _("Recovery code used")
    PASSKEY_ADDED = "passkey_added", _("Passkey added")
    PASSKEY_REMOVED = "passkey_removed", _("Passkey removed")


class TwoStepCode(models.TextChoices):
    REMOVED_BY_RESET = "removed_by_reset"


def event_detail(event: SecurityEvent) -> str:
    """A factor removed because a password reset was the address's first proof."""
    if event.code == TwoStepCode.REMOVED_BY_RESET:
        said = gettext("removed by a password reset: the e-mail address was never verified")
        return f"{event.detail}, {said}" if event.detail else said
    return event.detail
