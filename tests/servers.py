"""Real servers started by tests: a throwaway redis-server, gunicorn processes; all bounded."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import pytest

if TYPE_CHECKING:
    from accounts.models import User

T = TypeVar("T")

ROOT = Path(__file__).resolve().parent.parent


def database_url() -> str:
    """The suite's own database as a DATABASE_URL, for servers started in another process."""
    from django.conf import settings

    db = settings.DATABASES["default"]
    if db["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{db['NAME']}"
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for_port(port: int, *, up: bool = True, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                if up:
                    return
        except OSError:
            if not up:
                return
        time.sleep(0.05)
    raise TimeoutError(f"port {port} did not come {'up' if up else 'down'} in {timeout} s")


class RedisServer:
    """A redis-server of the test's own on a free port, that the test may stop and start."""

    def __init__(self, directory: Path) -> None:
        binary = shutil.which("redis-server")
        if binary is None:
            pytest.fail("redis-server is not installed (apt-get install redis-server).")
        self.binary = binary
        self.directory = directory
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        # A snapshot file in the test's own folder: "restored from a stale snapshot" is real.
        self.process = subprocess.Popen(  # noqa: S603  (the redis-server found on PATH)
            [
                self.binary,
                "--bind", "127.0.0.1", "--port", str(self.port), "--save", "",
                "--appendonly", "no", "--dir", str(self.directory), "--dbfilename", "dump.rdb",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        wait_for_port(self.port)

    def snapshot(self) -> None:
        import redis

        redis.Redis(port=self.port).save()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)
        self.process = None
        wait_for_port(self.port, up=False)


def _wait_healthy(url: str, process: subprocess.Popen[bytes], timeout: float = 60.0) -> None:
    """Until a worker answers /healthz: the port opens before the workers have loaded Django."""
    import requests

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode} before serving")
        try:
            if requests.get(url + "/healthz", timeout=5).status_code == 200:
                return
        except requests.RequestException:
            time.sleep(0.1)
    raise TimeoutError(f"gunicorn at {url} did not answer /healthz in {timeout} s")


class Gunicorn:
    """A running gunicorn master: its base URL and its workers, as the kernel sees them."""

    def __init__(self, url: str, process: subprocess.Popen[bytes]) -> None:
        self.url = url
        self.port = int(url.rsplit(":", 1)[1])
        self.process = process

    def worker_pids(self) -> set[int]:
        """The master's live children (a killed worker is gone once the master reaped it)."""
        pids = set()
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            # pid (comm) state ppid ...: comm may hold spaces, so split after its ")".
            state, ppid = stat.rsplit(")", 1)[1].split()[:2]
            if int(ppid) == self.process.pid and state != "Z":
                pids.add(int(entry.name))
        return pids

    def worker_serving(self, client_port: int) -> int | None:
        """The worker holding the accepted end of the client's connection from client_port."""
        inodes = set()
        for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
            fields = line.split()
            local, remote, inode = fields[1], fields[2], fields[9]
            if int(local.split(":")[1], 16) == self.port and (
                int(remote.split(":")[1], 16) == client_port
            ):
                inodes.add(f"socket:[{inode}]")
        for pid in self.worker_pids():
            try:
                fds = list(Path(f"/proc/{pid}/fd").iterdir())
            except OSError:
                continue
            for fd in fds:
                try:
                    if os.readlink(fd) in inodes:
                        return pid
                except OSError:
                    continue
        return None


@contextmanager
def gunicorn_server(
    env: dict[str, str],
    *,
    workers: int = 1,
    threads: int = 4,
    args: Sequence[str] = (),
    output: Path | None = None,
) -> Iterator[Gunicorn]:
    """A gunicorn of the project on a free port, with config/gunicorn.conf.py (args after it);
    its stdout and stderr (every log it writes) go to `output` when one is named."""
    port = free_port()
    sink = output.open("ab") if output is not None else subprocess.DEVNULL
    full_env = {**os.environ, **env, "DJANGO_DEBUG": "False", "ALLOWED_HOSTS": "127.0.0.1"}
    full_env.setdefault("DJANGO_SECRET_KEY", "test-servers-secret-key-0123456789-abcdefghijklmnop")
    process = subprocess.Popen(  # noqa: S603  (this project's own command line)
        [
            sys.executable, "-m", "gunicorn", "config.wsgi",
            "--config", str(ROOT / "config" / "gunicorn.conf.py"),
            "--bind", f"127.0.0.1:{port}", "--workers", str(workers), "--threads", str(threads),
            "--access-logfile", "/dev/null", *args,
        ],
        cwd=ROOT,
        env=full_env,
        stdout=sink,
        stderr=sink,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(url, process)
        yield Gunicorn(url, process)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)
        if output is not None:
            sink.close()  # type: ignore[union-attr]


@contextmanager
def gunicorn(env: dict[str, str], *, workers: int = 1, threads: int = 4) -> Iterator[str]:
    """A gunicorn of the project on a free port, with config/gunicorn.conf.py; its base URL."""
    with gunicorn_server(env, workers=workers, threads=threads) as server:
        yield server.url


class Worker:
    """A `manage.py db_worker` process of the project (the real worker), that a test may kill."""

    def __init__(self, env: dict[str, str]) -> None:
        self.env = {
            **os.environ,
            "DJANGO_DEBUG": "False",
            "DJANGO_SECRET_KEY": "test-servers-secret-key-0123456789-abcdefghijklmnop",
            "DATABASE_URL": database_url(),
            **env,
        }
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(  # noqa: S603  (this project's own command line)
            [
                sys.executable, "manage.py", "db_worker", "--interval", "0.1",
                "--no-startup-delay", "--no-reload", "--verbosity", "0",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)
        self.process = None


@contextmanager
def db_worker(env: dict[str, str]) -> Iterator[Worker]:
    worker = Worker(env)
    worker.start()
    try:
        yield worker
    finally:
        worker.kill()


def live_account(**fields: object) -> User:
    """An account a live server signs in with PASSWORD: stored with PBKDF2 at cheap rounds,
    which the servers' real settings accept (the test hasher is not theirs)."""
    from django.contrib.auth.hashers import PBKDF2PasswordHasher

    from tests.factories import PASSWORD, UserFactory

    user = UserFactory(**fields)
    user.password = PBKDF2PasswordHasher().encode(PASSWORD, "livesalt", iterations=1000)
    user.save(update_fields=["password"])
    return user


def until(condition: Callable[[], T], what: str, timeout: float = 30.0) -> T:
    """condition()'s first true answer, asked every 50 ms; fails after timeout seconds."""
    deadline = time.monotonic() + timeout
    while not (result := condition()):
        assert time.monotonic() < deadline, f"{what} did not happen in {timeout} s"
        time.sleep(0.05)
    return result
