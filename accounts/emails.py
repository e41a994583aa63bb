"""E-mails about the account itself: two-step verification, passkeys, e-mail, deletion."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse

if TYPE_CHECKING:
    from .models import User


def site_url(path: str) -> str:
    return str(settings.SITE_URL).rstrip("/") + path


def security_notice_send(*, user: User, subject: str, what: str, to: str | None = None) -> None:
    """A short security notice: what changed, and where to look if it was not them."""
    body = render_to_string(
        "accounts/email/security_notice.txt",
        {"user": user, "what": what, "security_url": site_url(reverse("devices:security"))},
    )
    send_mail(subject, body, None, [to or user.email])
