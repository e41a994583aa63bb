"""gunicorn processes of the project for the benchmarks: 127.0.0.1 only, stopped at exit."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager

from _setup import ROOT


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_healthy(url: str, process: subprocess.Popen, timeout: float = 30.0) -> None:
    import urllib.request

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"gunicorn exited with {process.returncode} before serving.")
        try:
            with urllib.request.urlopen(url + "/readyz", timeout=2) as response:  # noqa: S310
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"gunicorn at {url} did not become ready in {timeout} s.")


@contextmanager
def gunicorn(env: dict[str, str], *, workers: int, threads: int = 4) -> Iterator[str]:
    """gunicorn with config/gunicorn.conf.py on a free 127.0.0.1 port; yields its base URL."""
    port = free_port()
    process = subprocess.Popen(  # noqa: S603  (this project's own command line)
        [
            sys.executable, "-m", "gunicorn", "config.wsgi",
            "--config", str(ROOT / "config" / "gunicorn.conf.py"),
            "--bind", f"127.0.0.1:{port}", "--workers", str(workers), "--threads", str(threads),
            "--access-logfile", "/dev/null",
        ],
        cwd=ROOT,
        env={**os.environ, **env, "DJANGO_DEBUG": "False", "ALLOWED_HOSTS": "127.0.0.1"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(url, process)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)
