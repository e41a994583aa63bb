"""The account's language and clock: e-mails, commands and background work speak to an
account in its own language, whatever language (if any) the code that sends them runs in."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import formats, timezone, translation

if TYPE_CHECKING:
    from .models import User


def account_language(user: User | None) -> str:
    """The language chosen on the account, or the site's default."""
    return (getattr(user, "language", "") or "") or settings.LANGUAGE_CODE


@contextmanager
def in_account_language(user: User | None, language: str = "") -> Iterator[None]:
    """Render what is inside in the account's language (or the given one, for an account
    that no longer exists), then restore the caller's."""
    with translation.override(language or account_language(user)):
        yield


def account_local(user: User, moment: datetime) -> datetime:
    """The moment on the account's clock."""
    return timezone.localtime(moment, ZoneInfo(user.time_zone))


def account_datetime(user: User, moment: datetime) -> str:
    """ "1 Dec 2026, 07:45" ("1 dic 2026, 07:45" in Spanish) on the account's clock."""
    return formats.date_format(account_local(user, moment), "DATETIME_FORMAT")


def account_time(user: User, moment: datetime) -> str:
    """A moment on the account's clock, labelled with its zone: "21:05 (Europe/Paris)"."""
    local = formats.time_format(account_local(user, moment), "TIME_FORMAT")
    return f"{local} ({user.time_zone})"
