"""List an account's devices as a table."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from accounts.management.lookup import account_for_email
from devices.models import Device


class Command(BaseCommand):
    help = "Show every device of an account: id, kind, name, IP, location, last seen, status."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email")

    def handle(self, *args: Any, email: str, **options: Any) -> None:
        user = account_for_email(email)
        rows = [("ID", "KIND", "NAME", "IP", "LOCATION", "LAST SEEN", "STATUS")]
        for device in Device.objects.for_account(user).recent_first():
            status = (
                "signed in"
                if device.is_signed_in
                else f"signed out ({device.get_signed_out_reason_display() or 'expired'})"
            )
            rows.append(
                (
                    str(device.id),
                    device.get_kind_display(),
                    device.name,
                    device.ip or "-",
                    device.location,
                    timezone.localtime(device.last_seen_at).strftime("%Y-%m-%d %H:%M"),
                    status,
                )
            )
        widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
        for row in rows:
            self.stdout.write(
                "  ".join(
                    cell.ljust(width) for cell, width in zip(row, widths, strict=True)
                ).rstrip()
            )
