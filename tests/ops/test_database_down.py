"""The database going away under a running gunicorn: a branded 503 with Retry-After (never a
traceback), then back to normal by itself within seconds once the database returns, the
signed-in browser still signed in. Runs on whichever database the suite runs on.

PostgreSQL is cut off through a TCP relay of the test's own, so the shared server is never
stopped; the site's persistent connections die with it and the health checks replace them.
SQLite goes away as an unmounted volume does: the server runs on its own copy of the test
database in a folder that the test moves away and back. Every request opens the file anew
(no persistent connections on SQLite), so while the folder is gone each one fails to open
it ("unable to open database file"), and the first request after it is back opens it again.
"""

from __future__ import annotations

import contextlib
import socket
import sqlite3
import threading
import time
from pathlib import Path

import pytest
import requests
from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection

from tests.factories import PASSWORD, UserFactory
from tests.http import Browser
from tests.servers import free_port, gunicorn

pytestmark = pytest.mark.django_db(transaction=True)


class Relay:
    """127.0.0.1:port -> the database server; cut() drops the listener and every connection."""

    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        self.port = free_port()
        self.sockets: list[socket.socket] = []
        self.listener: socket.socket | None = None

    def start(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen()
        self.listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(self.target)
            self.sockets += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, sink):
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)

    def cut(self) -> None:
        if self.listener is not None:
            # shutdown() wakes the thread blocked in accept(); close() alone would not.
            with contextlib.suppress(OSError):
                self.listener.shutdown(socket.SHUT_RDWR)
            self.listener.close()
            self.listener = None
        for sock in self.sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()
        self.sockets.clear()


class RelayOutage:
    """PostgreSQL: the server reaches the database through a relay that is cut and restarted."""

    def __init__(self) -> None:
        db = settings.DATABASES["default"]
        self.relay = Relay((db["HOST"] or "127.0.0.1", int(db["PORT"] or 5432)))
        self.relay.start()
        url = f"postgres://{db['USER']}@127.0.0.1:{self.relay.port}/{db['NAME']}"
        self.env = {"DATABASE_URL": url, "CACHE_KEY_PREFIX": "dbdown"}

    def cut(self) -> None:
        self.relay.cut()

    def restore(self) -> None:
        if self.relay.listener is None:
            self.relay.start()

    def close(self) -> None:
        self.relay.cut()


class VolumeOutage:
    """SQLite: the server's own copy of the database, in a folder that goes away and back."""

    def __init__(self, tmp_path: Path) -> None:
        self.folder = tmp_path / "volume"
        self.away = tmp_path / "volume-unmounted"
        self.folder.mkdir()
        copy = self.folder / "db.sqlite3"
        # The backup API copies what the WAL holds too, consistently.
        with (
            contextlib.closing(sqlite3.connect(connection.settings_dict["NAME"])) as source,
            contextlib.closing(sqlite3.connect(copy)) as target,
        ):
            source.backup(target)
        self.env = {"DATABASE_URL": f"sqlite:///{copy}", "CACHE_KEY_PREFIX": "dbdown"}

    def cut(self) -> None:
        self.folder.rename(self.away)

    def restore(self) -> None:
        if self.away.exists():
            self.away.rename(self.folder)

    def close(self) -> None:
        self.restore()


def _ready(url: str) -> int:
    return requests.get(url + "/readyz", timeout=10).status_code


def _assert_back_in_a_moment(response: requests.Response) -> None:
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "5"
    assert "Back in a moment" in response.text
    assert "StreamGuard" in response.text
    for leak in ("Traceback", "5432", "sqlite", "unable to open"):
        assert leak not in response.text


def test_database_down_answers_503_and_the_site_recovers_by_itself(tmp_path):
    user = UserFactory()
    # The server hashes with the real settings; PBKDF2 (cheap rounds) is among them.
    user.password = PBKDF2PasswordHasher().encode(PASSWORD, "downsalt", iterations=1000)
    user.save(update_fields=["password"])
    outage = RelayOutage() if connection.vendor == "postgresql" else VolumeOutage(tmp_path)
    try:
        with gunicorn(outage.env, threads=2) as base:
            browser = Browser(base).sign_in(user.email)
            assert browser.get("/account/").status_code == 200
            assert _ready(base) == 200

            outage.cut()
            try:
                _assert_back_in_a_moment(browser.get("/account/"))
                _assert_back_in_a_moment(browser.get("/account/devices/"))
                stranger = requests.get(
                    base + "/account/",
                    cookies={settings.SESSION_COOKIE_NAME: "x" * 32},
                    timeout=10,
                    allow_redirects=False,
                )
                _assert_back_in_a_moment(stranger)
                sign_in = requests.post(
                    base + "/login/", data={"username": "a@a.example"}, timeout=10
                )
                assert sign_in.status_code in (403, 503)  # no CSRF cookie: 403 needs no database
                assert _ready(base) == 503
                assert requests.get(base + "/healthz", timeout=10).status_code == 200
            finally:
                outage.restore()

            deadline = time.monotonic() + 15
            while _ready(base) != 200:
                assert time.monotonic() < deadline, "the site did not recover by itself"
                time.sleep(0.2)
            # Nothing was lost: the same browser is still signed in.
            assert browser.get("/account/").status_code == 200
    finally:
        outage.close()
