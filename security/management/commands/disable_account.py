"""Disable an account and sign it out everywhere, as the admin's "Disable and sign out" does."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from accounts.management.lookup import account_for_email
from security.services import account_disable


class Command(BaseCommand):
    help = "Disable an account; every session of it ends and none revives on re-enabling."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email")

    def handle(self, *args: Any, email: str, **options: Any) -> None:
        user = account_for_email(email)
        account_disable(user=user, actor="operator")
        self.stdout.write(self.style.SUCCESS(f"Disabled {email} and signed it out everywhere."))
