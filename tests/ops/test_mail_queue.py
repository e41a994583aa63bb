"""E-mail never makes a page wait and is never lost: the site (gunicorn) only queues it, and
the real `manage.py db_worker` hands it to a real SMTP server (aiosmtpd) that the tests stop,
slow down and start again, and kill the worker in the middle of a send. Each e-mail arrives
exactly once. On SQLite and on PostgreSQL, whichever the suite runs on."""

from __future__ import annotations

import re
import time
from collections import Counter

import pytest
from django.db import transaction

from accounts.models import MailTask
from mfa import services as mfa_services
from tests.client import Client
from tests.conftest import SAFARI_IPHONE, SAMSUNG_TV
from tests.factories import PASSWORD
from tests.http import Browser
from tests.mailserver import MailServer, mail_server
from tests.servers import database_url, db_worker, gunicorn, live_account, until

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.queue_waits]

DEADLINE = 30.0
# Tries come every second, a "running" task is a dead worker's after 3 s: a test's minutes.
QUICK_QUEUE = {
    "MAIL_RETRY_FIRST_SECONDS": "1",
    "MAIL_RETRY_MAX_SECONDS": "1",
    "TASK_RUNNING_TIMEOUT": "3",
    "TASK_UPKEEP_SECONDS": "1",
}


def _each_once(server: MailServer, expected: int) -> Counter[str]:
    """Every queued e-mail arrived, and none twice, also a moment after the last one."""
    until(lambda: not MailTask.objects.waiting().exists(), "every e-mail sent")
    server.wait_for(expected)
    time.sleep(1.5)  # a repeat would come within a retry's second
    ids = Counter(str(message["Message-ID"]) for message in server.messages)
    assert len(ids) == expected, ids
    assert set(ids.values()) == {1}, ids
    assert set(ids) == set(MailTask.objects.values_list("message_id", flat=True))
    return ids


def test_with_the_mail_server_down_every_page_answers_and_each_email_arrives_once_it_is_back():
    user = live_account()
    with (
        mail_server(running=False) as smtp,
        gunicorn({"EMAIL_URL": smtp.url, "DATABASE_URL": database_url()}) as url,
    ):
        new = Browser(url).post(
            "/signup/", {"name": "Robin", "email": "robin@example.com", "password": PASSWORD}
        )
        assert new.status_code == 200, new.text[:300]  # "Check your e-mail"
        Browser(url).sign_in(user.email)  # the account's first device: nothing to warn about
        Browser(url, user_agent=SAFARI_IPHONE).sign_in(user.email)  # a new device
        reset = Browser(url).post("/password-reset/", {"email": user.email})
        assert reset.status_code == 302, reset.text[:300]
        assert Browser(url).get("/readyz").status_code == 200
        queued = MailTask.objects.waiting().count()
        assert queued == 3  # verification, "New sign-in", the reset link

        env = {"EMAIL_URL": smtp.url, **QUICK_QUEUE}
        with db_worker(env):
            # The worker finds the server down and keeps the e-mails for later.
            until(
                lambda: MailTask.objects.filter(attempts__gte=2).count() == queued,
                "a second try of each e-mail",
            )
            assert smtp.messages == []
            mail = MailTask.objects.first()
            assert mail is not None
            assert "Connection refused" in mail.last_error
            ready = Browser(url).get("/readyz").text
            assert "mail: 3 waiting, 0 given up" in ready

            smtp.start()
            ids = _each_once(smtp, queued)

    subjects = sorted(str(message["Subject"]) for message in smtp.messages)
    assert subjects == [
        "New sign-in on Safari on iPhone",
        "Reset your StreamGuard password",
        "Verify your StreamGuard e-mail address",
    ]
    assert len(ids) == 3


def test_a_slow_mail_server_delays_no_sign_in_and_a_killed_worker_loses_no_email():
    user = live_account()
    with (
        mail_server() as smtp,
        gunicorn({"EMAIL_URL": smtp.url, "DATABASE_URL": database_url()}) as url,
    ):
        smtp.recorder.delay = 20.0  # seconds the server takes over each e-mail
        Browser(url).sign_in(user.email)
        env = {"EMAIL_URL": smtp.url, **QUICK_QUEUE}
        with db_worker(env) as worker:
            phone = Browser(url, user_agent=SAFARI_IPHONE)
            assert (
                phone.post(
                    "/login/", {"username": user.email, "password": PASSWORD}, timeout=10
                ).status_code
                == 302
            )
            # The worker is now held by the server over the phone's "New sign-in"...
            until(smtp.recorder.in_transaction.is_set, "the worker reaching the mail server")
            # ...and another new device signs in without waiting for it (a 10 s limit, half
            # of what one e-mail takes the server).
            tv = Browser(url, user_agent=SAMSUNG_TV)
            response = tv.post(
                "/login/", {"username": user.email, "password": PASSWORD}, timeout=10
            )
            assert response.status_code == 302
            sending = MailTask.objects.exclude(sending_since=None)
            assert sending.count() == 1
            assert smtp.messages == []

            worker.kill()  # SIGKILL, in the middle of the send
            smtp.recorder.delay = 0
            worker.start()
            _each_once(smtp, 2)

    subjects = sorted(str(message["Subject"]) for message in smtp.messages)
    assert subjects == ["New sign-in on Safari on iPhone", "New sign-in on Samsung Smart TV"]
    assert max(MailTask.objects.values_list("attempts", flat=True)) == 2


def test_a_change_that_rolled_back_queues_no_email():
    user = live_account()

    def change_that_fails() -> None:
        with transaction.atomic():
            mfa_services.two_step_disable(user=user, ip=None)
            raise RuntimeError("the change fails after its e-mail was asked for")

    with pytest.raises(RuntimeError):
        change_that_fails()
    assert not MailTask.objects.exists()

    mfa_services.two_step_disable(user=user, ip=None)  # the same change, committed
    assert MailTask.objects.waiting().count() == 1


def test_the_readyz_body_shows_waiting_mail_and_the_oldest_task_age():
    user = live_account()
    mfa_services.two_step_disable(user=user, ip=None)
    time.sleep(1.1)
    response = Client().get("/readyz")
    assert response.status_code == 200
    body = response.content.decode()
    assert re.search(r"^queue: 1 due, oldest waiting [12] s$", body, re.MULTILINE), body
    assert "mail: 1 waiting, 0 given up (admin: mail tasks)" in body
    assert "prune_devices: last ran never" in body
