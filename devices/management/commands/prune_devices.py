"""Mark expired sessions' devices signed out and delete long signed-out devices, in batches,
with the apps' spent device codes and expired tokens. The task queue's worker does the
same daily (devices.tasks.prune_devices); this is by hand."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from devices import services
from devices.tasks import SIGNED_OUT_KEPT_DAYS


class Command(BaseCommand):
    help = (
        "Mark devices whose session expired, delete signed-out devices older than --days, "
        "and the apps' spent codes and expired tokens."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--days",
            type=int,
            default=SIGNED_OUT_KEPT_DAYS,
            help="keep signed-out devices this long (the daily run on the queue keeps 90)",
        )
        parser.add_argument("--batch-size", type=int, default=1000)

    def handle(self, *args: Any, days: int, batch_size: int, **options: Any) -> None:
        if days < 0 or batch_size < 1:
            self.stderr.write("--days must be 0 or more and --batch-size at least 1.")
            raise SystemExit(2)
        expired = services.devices_mark_expired(batch_size=batch_size)
        deleted = services.devices_prune(
            older_than=timezone.now() - timedelta(days=days), batch_size=batch_size
        )
        app_codes = services.app_tokens_prune()
        self.stdout.write(
            self.style.SUCCESS(
                f"Marked {expired} expired device(s); deleted {deleted} old device(s) and "
                f"{app_codes} spent app code(s); expired app tokens cleared."
            )
        )
