"""E-mails of the flows that protect an account."""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
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


def password_reset_send(*, user: User) -> None:
    """The password reset link, to the account's address as it is now (after an undone
    e-mail change: the restored one, never the address that took it)."""
    site = urlsplit(settings.SITE_URL)
    account_mail_send(
        user=user,
        subject=gettext_lazy("Reset your StreamGuard password"),
        template="registration/password_reset_email.html",
        context={
            "user": user,
            "email": user.email,
            "domain": site.netloc,
            "protocol": site.scheme,
            "site_name": "StreamGuard",
            "uid": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
