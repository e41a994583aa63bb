"""The tasks accounts runs on the queue: sending one e-mail, and the queue's own upkeep.

Each may run more than once (a worker killed after the mail server took the e-mail, a task
put back by the upkeep): they load what they need by id and look before they act.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db.models import F, Q
from django.utils import timezone
from django_tasks import task

from .models import MailTask
from .queue import finished_prune, periodic_ensure, periodic_next, stale_recover

logger = logging.getLogger("streamguard.mail")


def _log(level: int, event: str, mail: MailTask, **fields: object) -> None:
    # Ids and counts only: the body holds links that are secrets.
    detail = {"mail_id": str(mail.pk), "user_id": mail.user_id, "attempt": mail.attempts}
    logger.log(level, event, extra={"event": event, "fields": {**detail, **fields}})


def retry_delay(attempt: int) -> timedelta:
    """MAIL_RETRY_FIRST_SECONDS after the first failure, doubling up to MAIL_RETRY_MAX_SECONDS."""
    seconds = settings.MAIL_RETRY_FIRST_SECONDS * 2 ** min(max(attempt - 1, 0), 20)
    return timedelta(seconds=min(seconds, settings.MAIL_RETRY_MAX_SECONDS))


@task()
def mail_deliver(mail_id: str) -> str:
    """Hand one e-mail to the mail server, once; on failure try again later, and give up
    MAIL_RETRY_HOURS after it was queued."""
    mail = MailTask.objects.filter(pk=mail_id).first()
    if mail is None or mail.sent_at is not None or mail.failed_at is not None:
        return "done"
    now = timezone.now()
    lease = timedelta(seconds=settings.TASK_RUNNING_TIMEOUT)
    # Taken by one worker at a time: a second run of this task waits for the first to end.
    claimed = (
        MailTask.objects.waiting()
        .filter(pk=mail.pk)
        .filter(Q(sending_since__isnull=True) | Q(sending_since__lt=now - lease))
        .update(sending_since=now, attempts=F("attempts") + 1)
    )
    if not claimed:
        busy_until = (mail.sending_since or now) + lease
        mail_deliver.using(run_after=max(busy_until, now)).enqueue(mail_id=mail_id)
        return "busy"
    mail.refresh_from_db()
    message = EmailMessage(
        mail.subject, mail.body, None, [mail.to], headers={"Message-ID": mail.message_id}
    )
    try:
        message.send()
    except Exception as error:  # refused, timed out, unreachable, or anything else: try again
        return _retry_or_give_up(mail, error)
    MailTask.objects.filter(pk=mail.pk).update(
        sent_at=timezone.now(), sending_since=None, next_attempt_at=None, body=""
    )
    # Sent e-mails are the admin's list; the log keeps what needs an operator (retries, failures).
    _log(logging.DEBUG, "mail_sent", mail)
    return "sent"


def _retry_or_give_up(mail: MailTask, error: Exception) -> str:
    now = timezone.now()
    reason = f"{type(error).__name__}: {error}"[:300]
    next_at = now + retry_delay(mail.attempts)
    if next_at > mail.created_at + timedelta(hours=settings.MAIL_RETRY_HOURS):
        MailTask.objects.filter(pk=mail.pk).update(
            failed_at=now, sending_since=None, next_attempt_at=None, last_error=reason
        )
        _log(logging.ERROR, "mail_failed", mail, error=reason)
        return "failed"
    MailTask.objects.filter(pk=mail.pk).update(
        sending_since=None, next_attempt_at=next_at, last_error=reason
    )
    mail_deliver.using(run_after=next_at).enqueue(mail_id=str(mail.pk))
    _log(logging.WARNING, "mail_retry", mail, error=reason, next_attempt=next_at.isoformat())
    return "retry"


@task()
def queue_upkeep() -> dict[str, int]:
    """Every TASK_UPKEEP_SECONDS: put back tasks a dead worker left running, start any
    repeating job that is not scheduled, delete what is kept long enough."""
    periodic_next(queue_upkeep)
    recovered = stale_recover()
    started = periodic_ensure()
    tasks, mails = finished_prune()
    return {"recovered": recovered, "started": len(started), "tasks": tasks, "mails": mails}
