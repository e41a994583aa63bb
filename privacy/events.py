"""privacy's entries in the security log (registered with accounts.events in
PrivacyConfig.ready())."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class PrivacyEvent(models.TextChoices):
    DATA_EXPORTED = "data_exported", _("Data downloaded")
