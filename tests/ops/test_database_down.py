"""PostgreSQL going away under a running gunicorn: a branded 503 with Retry-After (never a
traceback), then back to normal by itself once the database returns (persistent
connections with health checks). The database is cut off through a TCP relay of the
test's own, so the shared PostgreSQL server is never stopped."""

from __future__ import annotations

import contextlib
import socket
import threading
import time

import pytest
import requests
from django.conf import settings

from tests.servers import free_port, gunicorn

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
        reason="PostgreSQL going down and coming back: runs on the PostgreSQL + Redis leg",
    ),
]


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


def _ready(url: str) -> int:
    return requests.get(url + "/readyz", timeout=10).status_code


def test_database_down_answers_503_and_the_site_recovers_by_itself():
    db = settings.DATABASES["default"]
    relay = Relay((db["HOST"] or "127.0.0.1", int(db["PORT"] or 5432)))
    relay.start()
    url = f"postgres://{db['USER']}@127.0.0.1:{relay.port}/{db['NAME']}"
    try:
        with gunicorn({"DATABASE_URL": url, "REDIS_URL": ""}, threads=2) as base:
            assert _ready(base) == 200  # persistent connections are open now

            relay.cut()
            down = requests.post(base + "/login/", data={"username": "a@example.com"}, timeout=10)
            assert down.status_code in (403, 503)  # no CSRF cookie yet: 403 needs no database
            page = requests.get(
                base + "/account/",
                cookies={"sessionid": "x" * 32},
                timeout=10,
                allow_redirects=False,
            )
            assert page.status_code == 503
            assert page.headers["Retry-After"] == "5"
            assert "Back in a moment" in page.text
            assert "Traceback" not in page.text
            assert _ready(base) == 503

            relay.start()
            deadline = time.monotonic() + 15
            while _ready(base) != 200:
                assert time.monotonic() < deadline, "the site did not recover by itself"
                time.sleep(0.2)
            assert requests.get(base + "/healthz", timeout=10).status_code == 200
    finally:
        relay.cut()
