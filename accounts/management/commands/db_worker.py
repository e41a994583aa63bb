"""django-tasks-db's worker, started the way the site needs it: tasks a dead worker left
"running" go back in the queue and the repeating jobs are scheduled before the first task,
so a worker restarted after a crash picks up where the last one stopped."""

from __future__ import annotations

from typing import Any

from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand

from accounts.tasks import queue_upkeep


class Command(DatabaseWorkerCommand):
    help = (
        "Run the task queue's worker (e-mail, the daily retention job): django-tasks-db's, "
        "after putting back tasks a dead worker left running and scheduling repeating jobs."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        queue_upkeep.call()
        super().handle(*args, **options)
