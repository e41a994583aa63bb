"""The mail task on its own: retries with growing delays, giving up where an operator sees it,
one e-mail per Message-ID, a send left by a dead worker, the repeating jobs, and links whose
lifetime counts from the request however late the e-mail goes out. Tasks wait in the queue
here (`queue_waits`); each test runs them as the worker would."""

from __future__ import annotations

import logging
import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core import mail
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from accounts.emails import mail_enqueue
from accounts.models import MailTask
from accounts.queue import stale_recover
from accounts.tasks import mail_deliver, queue_upkeep, retry_delay
from devices.tasks import prune_devices
from tests.client import Client
from tests.conftest import admin_sign_in
from tests.factories import UserFactory
from tests.mailserver import mail_server
from tests.servers import free_port

pytestmark = pytest.mark.queue_waits

START = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
def mail_log() -> list[logging.LogRecord]:
    records: list[logging.LogRecord] = []
    handler = logging.Handler()
    handler.emit = records.append  # type: ignore[method-assign]
    logger = logging.getLogger("streamguard.mail")
    logger.addHandler(handler)
    yield records
    logger.removeHandler(handler)


@pytest.fixture
def smtp_down(settings) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()  # nothing listens


def _queued(user, subject: str = "Hello") -> MailTask:
    return mail_enqueue(user=user, to=user.email, subject=subject, body="Body\n")


def _waiting(mail_task: MailTask) -> list[DBTaskResult]:
    return list(
        DBTaskResult.objects.filter(
            status=TaskResultStatus.READY, args_kwargs__kwargs__mail_id=str(mail_task.pk)
        )
    )


def test_queueing_sends_nothing_until_the_worker_runs_the_task(user):
    mail_task = _queued(user)
    assert mail.outbox == []
    (row,) = _waiting(mail_task)
    assert row.task_path == "accounts.tasks.mail_deliver"
    # The queue holds the e-mail's id, never its words or links.
    assert row.args_kwargs == {"args": [], "kwargs": {"mail_id": str(mail_task.pk)}}

    assert mail_deliver.call(mail_id=str(mail_task.pk)) == "sent"
    (message,) = mail.outbox
    assert message.extra_headers["Message-ID"] == mail_task.message_id
    mail_task.refresh_from_db()
    assert mail_task.sent_at is not None
    assert mail_task.body == ""  # its links are not kept once it is out


def test_a_second_run_after_a_successful_send_mails_nothing(user):
    mail_task = _queued(user)
    mail_deliver.call(mail_id=str(mail_task.pk))
    assert mail_deliver.call(mail_id=str(mail_task.pk)) == "done"
    assert len(mail.outbox) == 1


def test_a_failed_send_is_tried_again_later_with_growing_delays(user, smtp_down, mail_log):
    with time_machine.travel(START, tick=False):
        mail_task = _queued(user)
        assert mail_deliver.call(mail_id=str(mail_task.pk)) == "retry"
    mail_task.refresh_from_db()
    assert mail_task.attempts == 1
    assert mail_task.next_attempt_at == START + timedelta(seconds=30)
    assert "ConnectionRefusedError" in mail_task.last_error
    assert mail_task.sending_since is None
    later = [row for row in _waiting(mail_task) if row.run_after == mail_task.next_attempt_at]
    assert len(later) == 1
    assert [record.getMessage() for record in mail_log] == ["mail_retry"]
    assert [retry_delay(n).total_seconds() for n in (1, 2, 3, 7, 8, 30)] == [
        30,
        60,
        120,
        1920,
        3600,
        3600,
    ]


def test_after_48_hours_of_failures_it_is_given_up_and_shown_to_the_operator(
    user, smtp_down, mail_log
):
    with time_machine.travel(START, tick=False):
        mail_task = _queued(user, subject="Verify your StreamGuard e-mail address")
    tries = 0
    moment = START
    while True:
        with time_machine.travel(moment, tick=False):
            outcome = mail_deliver.call(mail_id=str(mail_task.pk))
        tries += 1
        if outcome == "failed":
            break
        mail_task.refresh_from_db()
        assert mail_task.next_attempt_at is not None
        moment = mail_task.next_attempt_at
    mail_task.refresh_from_db()
    assert mail_task.failed_at is not None
    assert mail_task.failed_at - mail_task.created_at >= timedelta(hours=47)
    assert tries == mail_task.attempts > 40
    assert mail_log[-1].getMessage() == "mail_failed"
    assert mail_log[-1].levelno == logging.ERROR
    assert mail_deliver.call(mail_id=str(mail_task.pk)) == "done"  # never tried again

    assert "mail: 0 waiting, 1 given up" in Client().get("/readyz").content.decode()
    agent = admin_sign_in(Client(), UserFactory(is_staff=True, is_superuser=True))
    page = agent.get("/admin/accounts/mailtask/?status=failed").content.decode()
    assert "Verify your StreamGuard e-mail address" in page
    assert "ConnectionRefusedError" in page


def test_the_message_id_is_the_same_on_every_try(user, settings):
    with mail_server() as smtp:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", smtp.port
        mail_task = _queued(user)
        smtp.stop()
        assert mail_deliver.call(mail_id=str(mail_task.pk)) == "retry"
        smtp.start()
        assert mail_deliver.call(mail_id=str(mail_task.pk)) == "sent"
        assert mail_deliver.call(mail_id=str(mail_task.pk)) == "done"
        (message,) = smtp.messages
    assert message["Message-ID"] == mail_task.message_id


def test_a_send_another_worker_holds_waits_for_it_and_a_dead_workers_send_is_taken_over(
    user, settings
):
    mail_task = _queued(user)
    with time_machine.travel(START, tick=False):
        MailTask.objects.filter(pk=mail_task.pk).update(sending_since=START)
        assert mail_deliver.call(mail_id=str(mail_task.pk)) == "busy"
    assert mail.outbox == []
    lease_end = START + timedelta(seconds=settings.TASK_RUNNING_TIMEOUT)
    assert any(row.run_after == lease_end for row in _waiting(mail_task))

    with time_machine.travel(lease_end + timedelta(seconds=1), tick=False):
        assert mail_deliver.call(mail_id=str(mail_task.pk)) == "sent"
    assert len(mail.outbox) == 1


def test_a_task_left_running_by_a_dead_worker_goes_back_in_the_queue_after_the_timeout(
    user, settings
):
    mail_task = _queued(user)
    (row,) = _waiting(mail_task)
    row.claim("a-worker-that-died")
    started = row.started_at

    assert stale_recover(now=started + timedelta(seconds=settings.TASK_RUNNING_TIMEOUT - 1)) == 0
    now = started + timedelta(seconds=settings.TASK_RUNNING_TIMEOUT + 1)
    assert stale_recover(now=now) == 1
    row.refresh_from_db()
    assert row.status == TaskResultStatus.READY
    assert row.run_after == now


def test_the_upkeep_schedules_each_repeating_job_once(db):
    for _ in range(3):
        queue_upkeep.call()
    waiting = DBTaskResult.objects.filter(status=TaskResultStatus.READY)
    paths = sorted(waiting.values_list("task_path", flat=True))
    assert paths == ["accounts.tasks.queue_upkeep", "devices.tasks.prune_devices"]

    prune = waiting.get(task_path="devices.tasks.prune_devices")
    prune.claim("worker")
    with time_machine.travel(START, tick=False):
        assert prune_devices.call() == {"expired": 0, "deleted": 0, "app_codes": 0}
    prune.set_successful({"expired": 0, "deleted": 0, "app_codes": 0})
    following = DBTaskResult.objects.get(
        task_path="devices.tasks.prune_devices", status=TaskResultStatus.READY
    )
    assert following.run_after == START + timedelta(days=1)  # daily
    assert "prune_devices: last ran 20" in Client().get("/readyz").content.decode()


def test_a_reset_link_mailed_50_minutes_late_still_works_for_the_rest_of_its_hour(
    client, user, settings, mail_log, caplog
):
    settings.PASSWORD_RESET_TIMEOUT = 3600
    with time_machine.travel(START, tick=False):
        assert client.post("/password-reset/", {"email": user.email}).status_code == 302
    (mail_task,) = MailTask.objects.all()
    with time_machine.travel(START + timedelta(minutes=50), tick=False):
        mail_deliver.call(mail_id=str(mail_task.pk))
    (message,) = mail.outbox
    link = re.search(r"https?://[^/\s]+(/password-reset/[^/\s]+/[^/\s]+/)", message.body)
    assert link
    # The token is nowhere in a log line, the operator's or any other.
    token = link[1].rstrip("/").rsplit("/", 1)[-1]
    logged = [record.getMessage() for record in [*mail_log, *caplog.records]]
    logged += [str(getattr(record, "fields", "")) for record in mail_log]
    assert all(token not in line for line in logged)

    with time_machine.travel(START + timedelta(minutes=59), tick=False):
        valid = Client().get(link[1], follow=True).content.decode()
    with time_machine.travel(START + timedelta(minutes=61), tick=False):
        expired = Client().get(link[1], follow=True).content.decode()
    assert "Save password" in valid
    assert "Save password" not in expired
    assert "expired" in expired
