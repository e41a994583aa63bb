"""E-mails about the account itself: two-step verification, passkeys, e-mail, deletion; and
the one way every e-mail of the site leaves: worded now, queued for the mail task."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from email.utils import make_msgid
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .language import in_account_language
from .models import EMAIL_LINK_MAX_AGE, EMAIL_UNDO_MAX_AGE, EmailChange, MailTask
from .tasks import mail_deliver

if TYPE_CHECKING:
    from .models import User

# Words worded late: a lazy string, or a function called in the account's language.
Words = str | Promise | Callable[[], str]


def site_url(path: str) -> str:
    return str(settings.SITE_URL).rstrip("/") + path


def _worded(words: Words) -> str:
    return words() if callable(words) else str(words)


def account_mail_send(
    *,
    user: User | None,
    subject: Words,
    template: str,
    context: Mapping[str, Any],
    to: str | None = None,
    language: str = "",
) -> None:
    """Queue one e-mail worded in the account's language (or `language`, for an account that
    is gone), whoever sends it: a request in another language, a command, background work."""
    with in_account_language(user, language):
        subject_text = _worded(subject)
        body = render_to_string(template, dict(context))
    mail_enqueue(
        user=user,
        to=to or (user.email if user is not None else ""),
        subject=subject_text,
        body=body,
    )


def mail_enqueue(*, user: User | None, to: str, subject: str, body: str) -> MailTask:
    """Queue an e-mail already worded: the worker sends it, the request never waits on the
    mail server. Its links were made now, so their lifetime counts from now, however late
    the e-mail goes out. Called after the change it tells of has committed."""
    domain = urlsplit(str(settings.SITE_URL)).hostname or "streamguard.localhost"
    with transaction.atomic():
        mail = MailTask.objects.create(
            user=user,
            to=to,
            # One line: a subject with a line break is refused by the mail headers.
            subject=" ".join(subject.split())[:300],
            body=body,
            message_id=make_msgid(domain=domain),
        )
        mail_deliver.enqueue(mail_id=str(mail.pk))
    return mail


def security_notice_send(*, user: User, subject: Words, what: Words, to: str | None = None) -> None:
    """A short security notice: what changed, and where to look if it was not them."""
    with in_account_language(user):
        what_text = _worded(what)
    account_mail_send(
        user=user,
        subject=subject,
        template="accounts/email/security_notice.txt",
        context={
            "user": user,
            "what": what_text,
            "security_url": site_url(reverse("devices:security")),
        },
        to=to,
    )


VERIFY_SALT = "accounts.verify-email"
CHANGE_SALT = "accounts.email-change"


def verify_token(user: User) -> str:
    # The address is inside: a link for an old address verifies nothing after a change.
    return signing.dumps({"u": user.pk, "e": user.email.lower()}, salt=VERIFY_SALT)


def verify_token_read(token: str) -> tuple[int, str] | None:
    """(user id, address) inside a verification link, or None if expired or tampered with."""
    try:
        data = signing.loads(token, salt=VERIFY_SALT, max_age=EMAIL_LINK_MAX_AGE)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("u"), int):
        return None
    return data["u"], str(data.get("e", ""))


def change_token(change: EmailChange, purpose: str) -> str:
    return signing.dumps({"c": str(change.public_id), "p": purpose}, salt=CHANGE_SALT)


def change_token_read(token: str, purpose: str) -> str | None:
    """The e-mail change id inside a "confirm" or "not_me" link, or None.

    "not_me" lives 7 days: once the change is confirmed it undoes it (EMAIL_UNDO_MAX_AGE)."""
    max_age = int(EMAIL_UNDO_MAX_AGE.total_seconds()) if purpose == "not_me" else EMAIL_LINK_MAX_AGE
    try:
        data = signing.loads(token, salt=CHANGE_SALT, max_age=max_age)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("p") != purpose:
        return None
    return str(data.get("c", ""))


def _send(template: str, subject: Words, to: str, *, user: User, **context: object) -> None:
    account_mail_send(
        user=user,
        subject=subject,
        template=f"accounts/email/{template}.txt",
        context={"user": user, **context},
        to=to,
    )


def verification_send(*, user: User) -> None:
    """ "Verify your e-mail address", with a link valid for 24 hours."""
    url = site_url(reverse("email_verify", args=[verify_token(user)]))
    _send("verify", _("Verify your StreamGuard e-mail address"), user.email, user=user, url=url)


def signup_existing_send(*, user: User) -> None:
    """Someone tried to sign up with this address: tell its owner, not the visitor."""
    _send(
        "signup_existing",
        _("Someone tried to create a StreamGuard account with your address"),
        user.email,
        user=user,
        login_url=site_url(reverse("login")),
        reset_url=site_url(reverse("password_reset")),
    )


def change_confirm_send(*, change: EmailChange) -> None:
    """To the new address: confirm it, within 24 hours."""
    url = site_url(reverse("email_change_confirm", args=[change_token(change, "confirm")]))
    _send(
        "change_confirm",
        _("Confirm your new StreamGuard e-mail address"),
        change.new_email,
        user=change.user,
        change=change,
        url=url,
    )


def change_taken_send(*, change: EmailChange, owner: User) -> None:
    """The new address already has an account: tell that owner, confirm nothing."""
    _send(
        "change_taken",
        _("Someone tried to move a StreamGuard account to your address"),
        change.new_email,
        user=owner,
    )


def change_notice_send(*, change: EmailChange) -> None:
    """To the old address: a change was asked for, with a one-tap "This wasn't me"."""
    url = site_url(reverse("email_change_not_me", args=[change_token(change, "not_me")]))
    _send(
        "change_notice",
        _("Your StreamGuard e-mail address is being changed"),
        change.old_email,
        user=change.user,
        change=change,
        not_me_url=url,
    )


def changed_send(*, change: EmailChange) -> None:
    """To the old address once the new one confirmed, with its 7-day "This wasn't me"."""
    _send(
        "changed",
        _("Your StreamGuard e-mail address was changed"),
        change.old_email,
        user=change.user,
        change=change,
        security_url=site_url(reverse("devices:security")),
        not_me_url=site_url(reverse("email_change_not_me", args=[change_token(change, "not_me")])),
    )


def change_from_token(token: str, purpose: str) -> EmailChange | None:
    """The e-mail change a "confirm" or "not_me" link names, or None."""
    change_id = change_token_read(token, purpose)
    if not change_id:
        return None
    try:
        return EmailChange.objects.select_related("user").filter(public_id=change_id).first()
    except ValueError:  # not a UUID inside a well-signed token: nothing to find
        return None
