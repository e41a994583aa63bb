"""E-mails of the flows that protect an account."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils.translation import gettext_lazy

from accounts.emails import account_mail_send, site_url
from mfa import twostep

if TYPE_CHECKING:
    from accounts.models import SecurityEvent, User


def secured_send(*, user: User, event: SecurityEvent) -> None:
    """ "Your account was secured": what "Secure my account" did, and what is left to do."""
    account_mail_send(
        user=user,
        subject=gettext_lazy("Your account was secured"),
        template="security/email/secured.txt",
        context={
            "user": user,
            "signed_out": event.params.get("devices", []),
            "signed_out_count": event.params.get("signed_out", 0),
            "two_step_on": twostep.two_step_enabled(user),
            "two_step_url": site_url(reverse("two_step_setup")),
            "security_url": site_url(reverse("devices:security")),
        },
    )
