"""What the operators' commands share: finding the account an address names."""

from __future__ import annotations

from django.core.management.base import CommandError

from accounts.models import User


def account_for_email(email: str) -> User:
    """The account using `email`, whatever its case; a CommandError naming it if none does."""
    user = User.objects.by_email(email).first()
    if user is None:
        raise CommandError(f"No account uses {email}.")
    return user
