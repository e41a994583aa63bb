"""The retention job on the task queue: what `manage.py prune_devices` does, once a day."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from django_tasks import task

from accounts.queue import periodic_next

from . import services

# Signed-out devices (with their addresses and locations) are kept this long.
SIGNED_OUT_KEPT_DAYS = 90
EVERY = timedelta(days=1)


@task()
def prune_devices() -> dict[str, int]:
    """Mark devices whose session expired; delete devices signed out over 90 days ago, and
    the apps' spent device codes and expired tokens."""
    periodic_next(prune_devices)
    expired = services.devices_mark_expired()
    deleted = services.devices_prune(
        older_than=timezone.now() - timedelta(days=SIGNED_OUT_KEPT_DAYS)
    )
    app_codes = services.app_tokens_prune()
    return {"expired": expired, "deleted": deleted, "app_codes": app_codes}
