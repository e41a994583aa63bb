"""Read vocabulary for accounts: users, profiles and the security log."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from django.contrib.auth.base_user import BaseUserManager
from django.db import models
from django.utils import timezone

if TYPE_CHECKING:
    from .models import (  # noqa: F401  (QuerySet type parameters)
        EmailChange,
        MailTask,
        Profile,
        SecurityEvent,
        User,
    )


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def get_by_natural_key(self, username: str | None) -> User:
        # E-mail addresses are unique whatever their case, so sign-in ignores case too.
        return self.get(email__iexact=username)

    def by_email(self, email: str) -> models.QuerySet[User]:
        """The account using `email`, whatever its case (addresses are unique regardless)."""
        return self.filter(email__iexact=email)

    def _create(self, email: str, password: str | None, **extra: object) -> User:
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra: object) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra: object) -> User:
        extra["is_staff"] = True
        extra["is_superuser"] = True
        return self._create(email, password, **extra)


class ProfileQuerySet(models.QuerySet["Profile"]):
    def for_account(self, user: User) -> ProfileQuerySet:
        return self.filter(user=user)


class SecurityEventQuerySet(models.QuerySet["SecurityEvent"]):
    def for_account(self, user: User) -> SecurityEventQuerySet:
        return self.filter(user=user)

    def newest_first(self) -> SecurityEventQuerySet:
        return self.order_by("-created_at", "-id")


class MailTaskQuerySet(models.QuerySet["MailTask"]):
    def waiting(self) -> MailTaskQuerySet:
        """E-mails not yet taken by the mail server, and not given up on."""
        return self.filter(sent_at__isnull=True, failed_at__isnull=True)

    def failed(self) -> MailTaskQuerySet:
        return self.filter(failed_at__isnull=False)


class EmailChangeQuerySet(models.QuerySet["EmailChange"]):
    def undo_open(self, *, max_age: timedelta) -> EmailChangeQuerySet:
        """Confirmed changes the old address may still undo (EmailChange.undo_open)."""
        since = timezone.now() - max_age
        return self.filter(confirmed_at__gt=since, cancelled_at__isnull=True)
