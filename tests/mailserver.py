"""A real SMTP server for tests (aiosmtpd) on a free port, that a test may stop, slow and
start again: what the worker talks to is a mail server, not a stand-in."""

from __future__ import annotations

import asyncio
import email
import email.message
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from aiosmtpd.controller import Controller

from tests.servers import free_port, wait_for_port


class Recorder:
    """Keeps each message the server accepted; `delay` holds every sender at MAIL FROM, so a
    sender that gives up or dies meanwhile has delivered nothing (as with a real server)."""

    def __init__(self) -> None:
        self.messages: list[email.message.Message] = []
        self.delay = 0.0
        self.in_transaction = threading.Event()  # set once a sender reached MAIL FROM
        self.lock = threading.Lock()

    async def handle_MAIL(  # noqa: N802  (aiosmtpd's hook name)
        self, server: Any, session: Any, envelope: Any, address: str, options: list[str]
    ) -> str:
        self.in_transaction.set()
        if self.delay:
            await asyncio.sleep(self.delay)
        envelope.mail_from = address
        envelope.mail_options.extend(options)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        with self.lock:
            self.messages.append(email.message_from_bytes(envelope.content))
        return "250 Message accepted for delivery"


class MailServer:
    def __init__(self) -> None:
        self.port = free_port()
        self.recorder = Recorder()
        self.controller: Controller | None = None

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    @property
    def messages(self) -> list[email.message.Message]:
        with self.recorder.lock:
            return list(self.recorder.messages)

    def start(self) -> None:
        self.controller = Controller(self.recorder, hostname="127.0.0.1", port=self.port)
        self.controller.start()
        wait_for_port(self.port)

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None
        wait_for_port(self.port, up=False)

    def wait_for(self, count: int, timeout: float = 30.0) -> list[email.message.Message]:
        deadline = time.monotonic() + timeout
        while len(self.messages) < count:
            assert time.monotonic() < deadline, f"{len(self.messages)} of {count} e-mails came"
            time.sleep(0.05)
        return self.messages


@contextmanager
def mail_server(*, running: bool = True) -> Iterator[MailServer]:
    server = MailServer()
    if running:
        server.start()
    try:
        yield server
    finally:
        server.recorder.delay = 0
        server.stop()
