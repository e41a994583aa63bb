"""security's entries in the security log: its kinds and codes, worded in the reader's
language when the log is read (registered with accounts.events in SecurityConfig.ready())."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from accounts.models import SecurityEvent


class SecurityFlowEvent(models.TextChoices):
    ACCOUNT_SECURED = "account_secured", gettext_lazy("Account secured")
    EMAIL_CHANGE_UNDONE = "email_change_undone", gettext_lazy("E-mail change undone")


class SecurityCode(models.TextChoices):
    # params: {"signed_out": how many other devices were signed out}
    SECURED = "secured"
    # detail: the address given back; every device signed out, changes locked
    EMAIL_RESTORED = "email_restored"


def event_detail(event: SecurityEvent) -> str:
    """ "3 other devices signed out, new password set"; "back to old@example.com"."""
    if event.code == SecurityCode.SECURED:
        count = int(event.params.get("signed_out", 0))
        return ngettext(
            "%(count)d other device signed out, new password set",
            "%(count)d other devices signed out, new password set",
            count,
        ) % {"count": count}
    if event.code == SecurityCode.EMAIL_RESTORED:
        return _("back to %(email)s, every device signed out") % {"email": event.detail}
    return event.detail
