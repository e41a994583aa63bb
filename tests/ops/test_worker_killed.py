"""A gunicorn worker killed in the middle of a state-changing request loses only that request:
the other requests keep being answered, the master starts a replacement, and the database
shows nothing of the lost request half-saved. The request is held part-way through its
transaction by a lock of the test's own: a row lock on PostgreSQL (the request has already
deleted sessions and marked devices when it waits), the write lock on SQLite (the request
waits inside its busy timeout)."""

from __future__ import annotations

import http.client
import os
import signal
import threading
import time

import pytest
import requests
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection, transaction

from accounts.models import SecurityEvent, User
from devices.events import DeviceEvent
from devices.models import Device
from tests.conftest import SAFARI_IPHONE
from tests.http import Browser
from tests.servers import Gunicorn, database_url, gunicorn_server, live_account, until

pytestmark = pytest.mark.django_db(transaction=True)

DEADLINE = 30.0  # seconds any single wait of this test may take


class Poller(threading.Thread):
    """Another device asking for a page again and again, each time on a new connection."""

    def __init__(self, browser: Browser) -> None:
        super().__init__(daemon=True)
        self.browser = browser
        browser.http.headers["Connection"] = "close"
        self.gate = threading.Lock()  # held by the test while it kills: no request in flight
        self.stop = threading.Event()
        self.seen: list[tuple[float, int | str]] = []

    def run(self) -> None:
        while not self.stop.is_set():
            with self.gate:
                sent = time.monotonic()
                try:
                    self.seen.append((sent, self.browser.get("/account/").status_code))
                except requests.RequestException as error:
                    self.seen.append((sent, type(error).__name__))
            time.sleep(0.02)

    def answered_since(self, moment: float) -> list[int | str]:
        return [status for sent, status in list(self.seen) if sent >= moment]


def _victim_request(server: Gunicorn, owner: Browser) -> tuple[http.client.HTTPConnection, int]:
    """ "Sign out of all other devices", sent by hand so that its connection can be traced."""
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=DEADLINE)
    conn.connect()
    assert conn.sock is not None
    client_port = conn.sock.getsockname()[1]
    cookies = "; ".join(f"{c.name}={c.value}" for c in owner.http.cookies)
    conn.request(
        "POST",
        "/account/devices/sign-out-all/",
        body="scope=others",
        headers={
            "Cookie": cookies,
            "Content-Type": "application/x-www-form-urlencoded",
            "X-CSRFToken": owner.csrf(),
            "Referer": owner.base_url + "/account/devices/sign-out-all/",
            "User-Agent": owner.http.headers["User-Agent"],
        },
    )
    return conn, client_port


def _waiting_backend() -> int | None:
    """PostgreSQL: the backend that waits for the test's row lock."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")  # fresh figures inside the block
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
            "AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()"
        )
        row = cursor.fetchone()
    return int(row[0]) if row else None


def _backend_gone(pid: int) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE pid = %s", [pid])
        return int(cursor.fetchone()[0]) == 0


def test_a_worker_killed_mid_request_loses_only_that_request():
    user = live_account()
    postgresql = connection.vendor == "postgresql"
    # The suite's own stores: on the PostgreSQL leg, its Redis too (cached_db sessions).
    env = {"DATABASE_URL": database_url(), "CACHE_KEY_PREFIX": "killed"}
    with gunicorn_server(env, workers=2, threads=4) as server:
        owner = Browser(server.url).sign_in(user.email)
        phone = Browser(server.url, user_agent=SAFARI_IPHONE).sign_in(user.email)
        phone_key = phone.http.cookies[settings.SESSION_COOKIE_NAME]
        assert owner.signed_in()
        assert phone.signed_in()
        generation = User.objects.get(pk=user.pk).session_generation
        workers = until(lambda: len(server.worker_pids()) == 2 and server.worker_pids(), "2")

        poller = Poller(phone)
        poller.start()
        try:
            with transaction.atomic():
                # SQLite: BEGIN IMMEDIATE takes the write lock. PostgreSQL: the account's row,
                # which "Sign out of all devices" updates after the sessions and devices.
                User.objects.select_for_update().get(pk=user.pk)
                conn, client_port = _victim_request(server, owner)
                victim = until(lambda: server.worker_serving(client_port), "accepting it")
                assert victim in workers
                if postgresql:
                    until(_waiting_backend, "the request waiting for the row lock")
                    backend = _waiting_backend()
                else:
                    time.sleep(1.0)  # well inside its 20 s busy timeout
                blocked_since = time.monotonic()
                time.sleep(0.5)
                # While the request is stuck, the site answers (the same worker's other
                # threads included).
                assert poller.answered_since(blocked_since - 1.0).count(200) >= 3

                with poller.gate:
                    os.kill(victim, signal.SIGKILL)
                    until(lambda: victim not in server.worker_pids(), "the worker's death")
                killed_at = time.monotonic()
                with pytest.raises((http.client.HTTPException, ConnectionError)):
                    conn.getresponse()  # no answer: the connection dies with its worker
                conn.close()

                replaced = until(
                    lambda: len(server.worker_pids() - {victim}) == 2 and server.worker_pids(),
                    "a replacement worker",
                )
                assert replaced - workers, "the master started no new worker"
            # The lock is released here: a PostgreSQL backend left waiting finds its client
            # gone and rolls back.
            if postgresql and backend is not None:
                until(lambda: _backend_gone(backend), "the orphaned transaction's end")
            time.sleep(0.5)
            assert requests.get(server.url + "/readyz", timeout=10).status_code == 200
        finally:
            poller.stop.set()
            poller.join(timeout=DEADLINE)

        after = poller.answered_since(killed_at)
        assert after.count(200) >= 5, after
        every = [status for _, status in poller.seen]
        assert set(every) == {200}, sorted(set(map(str, every)))  # no 5xx, no reset, ever

        # Nothing of the lost request was saved: the phone is signed in as before.
        assert phone.signed_in()
        assert owner.signed_in()
        assert Session.objects.filter(session_key=phone_key).exists()
        assert not Device.objects.filter(user=user, signed_out_at__isnull=False).exists()
        assert User.objects.get(pk=user.pk).session_generation == generation
        assert not SecurityEvent.objects.filter(user=user, kind=DeviceEvent.ALL_SIGNED_OUT).exists()

        # And the same request, sent again, does all of it.
        response = owner.post("/account/devices/sign-out-all/", {"scope": "others"})
        assert response.status_code == 302
        assert not phone.signed_in()
        assert owner.signed_in()
