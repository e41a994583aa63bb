"""Sign an account out of every device, as "Sign out of all devices" does."""

from __future__ import annotations

import uuid
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts.management.lookup import account_for_email
from accounts.origin import Origin
from devices import services
from devices.models import Device


class Command(BaseCommand):
    help = "Sign every device of an account out at once (optionally keeping one)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email")
        parser.add_argument("--keep-device", metavar="ID", help="id of a device to keep signed in")

    def handle(self, *args: Any, email: str, keep_device: str | None, **options: Any) -> None:
        user = account_for_email(email)
        keep = None
        if keep_device:
            keep = Device.objects.for_account(user).filter(id=_uuid_or_error(keep_device)).first()
            if keep is None:
                raise CommandError(f"{email} has no device {keep_device}.")
        count = services.sign_out_everywhere(
            user=user, keep_device=keep, origin=Origin(), actor="operator"
        )
        kept = f", kept {keep.name}" if keep else ""
        self.stdout.write(self.style.SUCCESS(f"Signed out {count} device(s) of {email}{kept}."))


def _uuid_or_error(value: str) -> uuid.UUID:
    try:
        return uuid.UUID(value)
    except ValueError as error:
        raise CommandError(f"{value} is not a device id.") from error
