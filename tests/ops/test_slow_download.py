"""A slow client downloading a big streamed export, for longer than gunicorn's worker timeout,
gets the whole file, and the same worker keeps answering other requests meanwhile: the
project's gunicorn settings (threaded workers) with a timeout of 2 s."""

from __future__ import annotations

import socket
import threading
import time
from datetime import timedelta

import pytest
import requests
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.utils import timezone

from catalog.models import Viewing
from tests.catalog.factories import TitleFactory
from tests.conftest import SAFARI_IPHONE
from tests.factories import PASSWORD, UserFactory
from tests.http import Browser
from tests.servers import database_url, gunicorn_server

pytestmark = pytest.mark.django_db(transaction=True)

TIMEOUT = 2  # gunicorn --timeout, seconds
READ_FOR = 5.0  # the client takes this long over the whole file
ROWS = 50_000  # about 11 MB: more than the kernel buffers between server and client
DEVICE = "Living-room " * 8  # a long name, as some User-Agents give
RECEIVE_BUFFER = 8192  # a slow phone's window: the server cannot push the file ahead


def _slow_get(port: int, path: str, cookies: str, seconds: float, size_guess: int) -> bytes:
    """GET over HTTP/1.0 (no chunking: the body runs to the close), read at a slow pace."""
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, RECEIVE_BUFFER)
    sock.settimeout(30)
    sock.connect(("127.0.0.1", port))
    request = f"GET {path} HTTP/1.0\r\nHost: 127.0.0.1\r\nCookie: {cookies}\r\n\r\n"
    sock.sendall(request.encode())
    pace = size_guess / seconds  # bytes per second
    received = bytearray()
    started = time.monotonic()
    with sock:
        while chunk := sock.recv(4096):
            received += chunk
            # Behind schedule never, ahead of it sleep: the whole read takes about `seconds`.
            ahead = len(received) / pace - (time.monotonic() - started)
            if ahead > 0:
                time.sleep(ahead)
    return bytes(received)


def test_a_slow_download_longer_than_the_worker_timeout_gets_the_whole_file():
    user = UserFactory()
    user.password = PBKDF2PasswordHasher().encode(PASSWORD, "slowsalt", iterations=1000)
    user.save(update_fields=["password"])
    profile = user.profiles.get()
    title = TitleFactory(name="A title with a name long enough to fill a line " * 2)
    now = timezone.now()
    Viewing.objects.bulk_create(
        (
            Viewing(
                user=user,
                profile=profile,
                title=title,
                device_name=DEVICE,
                ip="81.2.69.142",
                started_at=now - timedelta(minutes=n),
                last_heartbeat_at=now - timedelta(minutes=n),
                stopped_at=now - timedelta(minutes=n),
                position_seconds=600,
                stop_reason=Viewing.StopReason.STOPPED,
            )
            for n in range(ROWS)
        ),
        batch_size=2000,
    )

    env = {"DATABASE_URL": database_url(), "CACHE_KEY_PREFIX": "slow"}
    with gunicorn_server(env, workers=1, threads=4, args=["--timeout", str(TIMEOUT)]) as server:
        downloader = Browser(server.url).sign_in(user.email)
        assert downloader.post(f"/profiles/{profile.public_id}/pick/").status_code == 302
        confirmed = downloader.post("/account/confirm-password/", {"password": PASSWORD})
        assert confirmed.status_code == 302
        other = Browser(server.url, user_agent=SAFARI_IPHONE).sign_in(user.email)
        (worker,) = server.worker_pids()

        cookies = "; ".join(f"{c.name}={c.value}" for c in downloader.http.cookies)
        path = f"/profiles/{profile.public_id}/activity/download/"
        line = len(f"2026-01-01,12:00,{title.name},Film,{DEVICE},10\r\n")
        result: dict[str, bytes] = {}
        reader = threading.Thread(
            target=lambda: result.update(
                body=_slow_get(server.port, path, cookies, READ_FOR, ROWS * line)
            ),
            daemon=True,
        )
        started = time.monotonic()
        reader.start()
        answers = []
        while reader.is_alive() and time.monotonic() - started < 60:
            answers.append(other.get("/account/").status_code)
            answers.append(requests.get(server.url + "/healthz", timeout=10).status_code)
            time.sleep(0.1)
        reader.join(timeout=30)
        took = time.monotonic() - started

        assert took > 2 * TIMEOUT  # it really outlasted the worker timeout
        head, _, body = result["body"].partition(b"\r\n\r\n")
        assert head.startswith(b"HTTP/1.0 200") or head.startswith(b"HTTP/1.1 200"), head
        lines = body.decode().splitlines()
        assert len(lines) == ROWS + 1  # the header and every row: the whole file
        assert lines[0].startswith("Date,")
        assert body.endswith(b"\r\n")
        assert len(answers) >= 10
        assert set(answers) == {200}  # answered meanwhile, by the one worker
        assert server.worker_pids() == {worker}  # never killed for the timeout
