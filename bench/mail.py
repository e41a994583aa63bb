"""E-mail through the task queue: how fast workers send, and what queueing costs a sign-in.

1. E-mails per second through one and two `manage.py db_worker` processes (the real worker)
   to a real SMTP server (aiosmtpd, in this process): N e-mails are queued at once, in one
   transaction, once the workers are up; the clock stops when the last one is marked sent.
2. A sign-in through the real /login/ view, in interleaved rounds: a sign-in that sends
   nothing (the account's first device) against one that queues "New sign-in" (a new
   device): the added cost of queueing an e-mail (worded, one MailTask row, one task row).
   Passwords hash with a fast hasher here, so the hash does not hide the difference.

    .venv/bin/python bench/mail.py [--emails 300] [--signins 60]

Runs on a throwaway SQLite database (or --database-url postgres://.../<name with bench>).
Prints figures only; nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import logging
import os
import statistics
import subprocess
import sys
import time
from urllib.parse import urlencode

import _setup
from _servers import free_port


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--emails", type=int, default=300, help="e-mails per worker count")
    parser.add_argument("--signins", type=int, default=60, help="sign-ins of each kind")
    parser.add_argument("--database-url", help="postgres://... database to create and drop")
    parser.add_argument("--redis-url", help="redis://... for the Redis cache and sessions")
    return parser.parse_args()


ARGS = parse_args()
DESCRIPTION = _setup.django_setup(ARGS.database_url, ARGS.redis_url)

from aiosmtpd.controller import Controller  # noqa: E402
from django.db import transaction  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django_tasks import TaskResultStatus  # noqa: E402
from django_tasks_db.models import DBTaskResult  # noqa: E402

from accounts.emails import mail_enqueue  # noqa: E402
from accounts.models import MailTask  # noqa: E402
from accounts.services import account_create  # noqa: E402

FORM = "application/x-www-form-urlencoded"
PASSWORD = "correct-horse-battery-staple"
USER_AGENTS = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
)


class Counter:
    def __init__(self) -> None:
        self.received = 0

    async def handle_DATA(self, server: object, session: object, envelope: object) -> str:  # noqa: N802
        self.received += 1
        return "250 Message accepted for delivery"


def _until(condition, timeout: float = 600.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise SystemExit("timed out waiting for the workers")
        time.sleep(0.02)


def throughput(workers: int, smtp_port: int) -> float:
    """E-mails per second through `workers` db_worker processes."""
    MailTask.objects.all().delete()
    DBTaskResult.objects.all().delete()
    env = {**os.environ, "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}"}
    command = [sys.executable, "manage.py", "db_worker", "--interval", "0.1", "--no-reload"]
    processes = [
        subprocess.Popen(  # noqa: S603  (this project's own command line)
            [*command, "--no-startup-delay", "--verbosity", "0"],
            cwd=_setup.ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(workers)
    ]
    try:
        # Up: each worker's start-up has scheduled the repeating jobs and one ran them.
        _until(
            lambda: DBTaskResult.objects.filter(
                task_path="devices.tasks.prune_devices", status=TaskResultStatus.SUCCESSFUL
            ).exists()
        )
        time.sleep(2.0)  # the second worker's Django is loaded too
        with transaction.atomic():
            for n in range(ARGS.emails):
                mail_enqueue(
                    user=None, to=f"viewer{n}@example.com", subject="Bench", body="Hello\n" * 20
                )
        start = time.perf_counter()
        _until(lambda: not MailTask.objects.waiting().exists())
        elapsed = time.perf_counter() - start
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=30)
    return ARGS.emails / elapsed


def sign_in_times() -> tuple[list[float], list[float]]:
    """Milliseconds per sign-in: (sends nothing, queues "New sign-in"), interleaved."""
    quiet: list[float] = []
    mailing: list[float] = []
    for n in range(ARGS.signins):
        first = account_create(email=f"first{n}@example.com", password=PASSWORD, name="B")
        again = account_create(email=f"again{n}@example.com", password=PASSWORD, name="B")
        body = urlencode({"username": again.email, "password": PASSWORD})
        Client(headers={"user-agent": USER_AGENTS[0]}, HTTP_HOST="127.0.0.1").post(
            "/login/", body, content_type=FORM
        )
        for user, times, agent in (
            (first, quiet, USER_AGENTS[0]),
            (again, mailing, USER_AGENTS[1]),
        ):
            client = Client(headers={"user-agent": agent}, HTTP_HOST="127.0.0.1")
            body = urlencode({"username": user.email, "password": PASSWORD})
            start = time.perf_counter()
            response = client.post("/login/", body, content_type=FORM)
            times.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 302, response.status_code
    assert MailTask.objects.filter(to__startswith="again").count() == ARGS.signins
    assert not MailTask.objects.filter(to__startswith="first").exists()
    return quiet, mailing


def main() -> None:
    logging.getLogger("streamguard.security").disabled = True  # a line per sign-in otherwise
    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd: a line per command
    print(DESCRIPTION)
    counter = Counter()
    smtp = Controller(counter, hostname="127.0.0.1", port=free_port())
    smtp.start()
    try:
        rates = {workers: throughput(workers, smtp.port) for workers in (1, 2)}
    finally:
        smtp.stop()
    print()
    print(f"{'workers':>7} | {'e-mails':>7} | {'e-mails/s':>9} | vs 1 worker")
    print("-" * 42)
    for workers, rate in rates.items():
        print(f"{workers:>7} | {ARGS.emails:>7} | {rate:>9.1f} | {rate / rates[1]:>10.2f}x")
    print(f"(the SMTP server took {counter.received} e-mails)")

    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        quiet, mailing = sign_in_times()
    print()
    print(f"{'sign-in':<32} | {'median ms':>9} | {'p90 ms':>7}")
    print("-" * 55)
    for label, times in (
        ("sends nothing (first device)", quiet),
        ("queues 'New sign-in'", mailing),
    ):
        p90 = statistics.quantiles(times, n=10)[-1]
        print(f"{label:<32} | {statistics.median(times):>9.2f} | {p90:>7.2f}")
    added = statistics.median(mailing) - statistics.median(quiet)
    ratio = statistics.median(mailing) / statistics.median(quiet)
    print(
        f"\nQueueing the e-mail adds {added:.2f} ms to a sign-in (x{ratio:.2f}); it never waits on"
    )
    print("the mail server, which only the worker talks to.")


if __name__ == "__main__":
    main()
