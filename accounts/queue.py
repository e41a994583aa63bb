"""The task queue's upkeep, what django-tasks-db leaves to the site: a task left "running" by
a worker that died is run again, each repeating job is always scheduled exactly once, and
/readyz reads the queue's state from here. The database is the only truth: any number of
workers may run this at once."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Min, Q
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks.base import Task
from django_tasks_db.models import DBTaskResult, get_date_max

from .models import MailTask

# Finished tasks are kept this long for the admin, then deleted by the upkeep.
FINISHED_TASKS_KEPT = timedelta(days=7)
FINISHED_MAIL_KEPT = timedelta(days=30)


@dataclass(frozen=True)
class Periodic:
    task: Task[Any, Any]
    every: Callable[[], timedelta]


# Repeating jobs by task path, registered by each app in its ready().
PERIODIC: dict[str, Periodic] = {}


def periodic_register(task: Task[Any, Any], *, every: Callable[[], timedelta]) -> None:
    """Run `task` every `every()`, on whichever worker is free, from the first upkeep on."""
    PERIODIC[task.module_path] = Periodic(task, every)


def periodic_next(task: Task[Any, Any]) -> None:
    """Schedule the next run of a repeating job, unless one is already waiting. Called as the
    job starts, so a worker killed half-way through does not end the chain."""
    periodic = PERIODIC[task.module_path]
    waiting = DBTaskResult.objects.filter(task_path=task.module_path, status=TaskResultStatus.READY)
    if not waiting.exists():
        task.using(run_after=timezone.now() + periodic.every()).enqueue()


def periodic_ensure() -> list[str]:
    """Start each repeating job that has no run waiting or running; their paths."""
    started = []
    for path, periodic in PERIODIC.items():
        pending = DBTaskResult.objects.filter(
            task_path=path, status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING]
        )
        if not pending.exists():
            periodic.task.enqueue()
            started.append(path)
    return started


def stale_recover(*, now: datetime | None = None) -> int:
    """Put back in the queue each task still "running" TASK_RUNNING_TIMEOUT after it
    started: its worker died (SIGKILL, a lost host). The tasks are idempotent."""
    now = now or timezone.now()
    cutoff = now - timedelta(seconds=settings.TASK_RUNNING_TIMEOUT)
    return DBTaskResult.objects.filter(
        status=TaskResultStatus.RUNNING, started_at__lt=cutoff
    ).update(status=TaskResultStatus.READY, run_after=now)


def finished_prune(*, now: datetime | None = None) -> tuple[int, int]:
    """Delete finished tasks and e-mails kept long enough; (tasks, e-mails) deleted."""
    now = now or timezone.now()
    tasks, _ = DBTaskResult.objects.filter(
        status__in=[TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED],
        finished_at__lt=now - FINISHED_TASKS_KEPT,
    ).delete()
    old = now - FINISHED_MAIL_KEPT
    mails, _ = MailTask.objects.filter(Q(sent_at__lt=old) | Q(failed_at__lt=old)).delete()
    return tasks, mails


def queue_report(*, now: datetime | None = None) -> list[str]:
    """Lines for /readyz: tasks due and how long the oldest has waited, e-mails waiting and
    given up on, and when each repeating job last finished."""
    now = now or timezone.now()
    due = DBTaskResult.objects.ready()
    never = get_date_max()
    oldest = due.aggregate(
        queued=Min("enqueued_at", filter=Q(run_after=never)),
        deferred=Min("run_after", filter=~Q(run_after=never)),
    )
    since = min((moment for moment in oldest.values() if moment is not None), default=None)
    waited = f", oldest waiting {int((now - since).total_seconds())} s" if since else ""
    lines = [f"queue: {due.count()} due{waited}"]
    mails = MailTask.objects.all()
    lines.append(
        f"mail: {mails.waiting().count()} waiting, {mails.failed().count()} given up"
        " (admin: mail tasks)"
    )
    for path in PERIODIC:
        last = (
            DBTaskResult.objects.filter(task_path=path, status=TaskResultStatus.SUCCESSFUL)
            .order_by("-finished_at")
            .values_list("finished_at", flat=True)
            .first()
        )
        name = path.rsplit(".", 1)[-1]
        lines.append(f"{name}: last ran {last.isoformat() if last else 'never'}")
    return lines
