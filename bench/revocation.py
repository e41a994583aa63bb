"""Sign-out is final on every worker: K sessions of one account poll two gunicorn processes
while each kind of sign-out runs, also across a Redis outage.

For each kind (one device, Remove, all other devices, password change, a TV, a TV app's
bearer tokens (device grant, polling /api/v1/me), one device
while Redis is down and Redis then restored from a snapshot older than the sign-out), K
freshly signed-in sessions replay their cookies at both servers in turn from threads; the
account holder signs out from the second server. Printed per kind: the requests sent
after the sign-out answered, how many of them were still served signed in (must be 0),
and per session the time from the sign-out's answer to its first refused request
(negative: refused before the answer reached the account holder).

    .venv/bin/python bench/revocation.py [--sessions 4] [--poll-after 1.0]
    .venv/bin/python bench/revocation.py --database-url postgres://postgres@127.0.0.1:5432/sg_bench

Starts its own redis-server (a free port, a snapshot file in a temporary folder) so it can
stop it; needs `redis-server` on PATH. Exits 1 if any request was served after a sign-out.
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack

import _servers
import _setup
import requests


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, default=4, help="sessions polling (K)")
    parser.add_argument("--poll-after", type=float, default=1.0, help="seconds, bounded")
    parser.add_argument("--database-url", help="postgres://... database to create and drop")
    args = parser.parse_args()
    if not (1 <= args.sessions <= 20 and 0 < args.poll_after <= 10):
        raise SystemExit("--sessions 1..20 and --poll-after up to 10 s: the load is bounded.")
    return args


ARGS = parse_args()


class Redis:
    """A redis-server of this run's own, to stop and restore from a snapshot."""

    def __init__(self, directory: str) -> None:
        binary = shutil.which("redis-server")
        if binary is None:
            raise SystemExit("redis-server is not on PATH.")
        self.binary, self.directory, self.port = binary, directory, _servers.free_port()
        self.process: subprocess.Popen | None = None
        self.url = f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(  # noqa: S603  (the redis-server found on PATH)
            [self.binary, "--bind", "127.0.0.1", "--port", str(self.port), "--save", "",
             "--appendonly", "no", "--dir", self.directory],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        import redis

        for _ in range(100):
            try:
                redis.Redis(port=self.port).ping()
                return
            except redis.ConnectionError:
                time.sleep(0.05)
        raise SystemExit("redis-server did not start.")

    def snapshot(self) -> None:
        import redis

        redis.Redis(port=self.port).save()

    def stop(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait(timeout=10)
            self.process = None


TMP = tempfile.mkdtemp(prefix="streamguard-revocation-")
REDIS = Redis(TMP)
REDIS.start()
DESCRIPTION = _setup.django_setup(ARGS.database_url, REDIS.url)

from django.conf import settings  # noqa: E402

from accounts.services import account_create  # noqa: E402
from devices.models import Device  # noqa: E402
from devices.services import app_register  # noqa: E402

APP = "bench-tv"
DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code"

PASSWORD = "revocation-bench-passphrase"
CHROME = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/131.0.0.0 Safari/537.36"
TV = "Mozilla/5.0 (SMART-TV; LINUX; Tizen 6.0) AppleWebKit/538.1 TV Safari/538.1"
_CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class Browser:
    def __init__(self, base: str, user_agent: str) -> None:
        self.base = base
        self.http = requests.Session()
        self.http.headers["User-Agent"] = user_agent

    def post(self, path: str, data: dict | None = None) -> requests.Response:
        token = self.http.cookies.get("csrftoken")
        if token is None:
            page = self.http.get(self.base + "/login/", timeout=15)
            token = self.http.cookies.get("csrftoken") or _CSRF.search(page.text).group(1)
        return self.http.post(
            self.base + path,
            data=data or {},
            headers={"X-CSRFToken": token},
            allow_redirects=False,
            timeout=15,
        )

    def sign_in(self, email: str) -> Browser:
        response = self.post("/login/", {"username": email, "password": PASSWORD})
        if response.status_code != 302:
            raise SystemExit(f"Sign-in answered {response.status_code}.")
        return self


def app_sign_in(base: str, owner: Browser) -> str:
    """A TV app's device grant, approved by the owner on /activate/: its access token."""
    grant = requests.post(
        base + "/o/device-authorization/", data={"client_id": APP}, timeout=15
    ).json()
    found = owner.post("/activate/", {"code": grant["user_code"]})
    if (
        found.status_code != 302
        or owner.post(found.headers["Location"] + "sign-in/").status_code != 302
    ):
        raise SystemExit("Approving the app's code failed.")
    tokens = requests.post(
        base + "/o/token/",
        data={"grant_type": DEVICE_GRANT, "device_code": grant["device_code"], "client_id": APP},
        timeout=15,
    ).json()
    if "access_token" not in tokens:
        raise SystemExit(f"The app got no token: {tokens}")
    return str(tokens["access_token"])


def poll(urls, path, headers, signed_in_status, stop, log):
    n = 0
    while not stop.is_set():
        sent = time.monotonic()
        status = requests.get(
            urls[n % 2] + path, headers=headers, allow_redirects=False, timeout=15
        ).status_code
        log.append((sent, time.monotonic(), status, status == signed_in_status))
        n += 1


def trial(urls, number: int, kind: str) -> tuple[int, int, list[float], int]:
    email = f"k{number}@revocation.example"
    account_create(email=email, password=PASSWORD, name="Bench")
    owner = Browser(urls[1], CHROME).sign_in(email)
    # Remove and password change are behind the password re-entry gate.
    if owner.post("/account/confirm-password/", {"password": PASSWORD}).status_code != 302:
        raise SystemExit("Confirming the password failed.")
    tv = kind == "a TV"
    agent = TV if tv else CHROME
    if kind == "a TV app's tokens":
        app_register(client_id=APP, name="Bench TV")
        tokens = [app_sign_in(urls[0], owner) for _ in range(ARGS.sessions)]
        cookies = [{"Authorization": f"Bearer {token}", "User-Agent": TV} for token in tokens]
        apps = Device.objects.filter(user__email=email, application__isnull=False)
        devices = list(apps.order_by("signed_in_at"))
        path, ok = "/api/v1/me", 200
    else:
        victims = [Browser(urls[0], f"{agent} #{n}").sign_in(email) for n in range(ARGS.sessions)]
        cookies = [
            {
                "Cookie": f"{settings.SESSION_COOKIE_NAME}="
                + v.http.cookies[settings.SESSION_COOKIE_NAME],
                "User-Agent": f"{agent} #{n}",
            }
            for n, v in enumerate(victims)
        ]
        sessions = [v.http.cookies[settings.SESSION_COOKIE_NAME] for v in victims]
        devices = [Device.objects.get(session_key=key) for key in sessions]
        path, ok = ("/tv/heartbeat/", 204) if tv else ("/account/", 200)
    stop = threading.Event()
    logs: list[list] = [[] for _ in cookies]
    with ThreadPoolExecutor(len(cookies)) as pool:
        futures = [
            pool.submit(poll, urls, path, cookie, ok, stop, log)
            for cookie, log in zip(cookies, logs, strict=True)
        ]
        time.sleep(0.3)
        outage = kind.startswith("one device, Redis down")
        if outage:
            REDIS.snapshot()  # older than the sign-out: what a restore would bring back
            REDIS.stop()
            time.sleep(0.3)
        responses = []
        if kind in ("one device", "a TV", "a TV app's tokens") or outage:
            responses = [owner.post(f"/account/devices/{devices[0].id}/sign-out/")]
            targets = [0]
        elif kind == "Remove":
            responses = [owner.post(f"/account/devices/{devices[0].id}/remove/")]
            targets = [0]
        elif kind == "all other devices":
            responses = [owner.post("/account/devices/sign-out-all/", {"scope": "others"})]
            targets = list(range(len(cookies)))
        else:  # password change, the others signed out
            new = PASSWORD + "-new"
            responses = [
                owner.post(
                    "/account/password/",
                    {
                        "old_password": PASSWORD,
                        "new_password1": new,
                        "new_password2": new,
                        "sign_out_others": "on",
                    },
                )
            ]
            targets = list(range(len(cookies)))
        done = time.monotonic()
        statuses = [r.status_code for r in responses]
        if any(status >= 400 for status in statuses):
            raise SystemExit(f"{kind}: the sign-out answered {statuses}.")
        gated = [
            r.headers.get("Location", "")
            for r in responses
            if "confirm-password" in r.headers.get("Location", "")
        ]
        if gated:
            raise SystemExit(f"{kind}: the sign-out was sent to the password gate ({gated[0]}).")
        if outage:
            time.sleep(ARGS.poll_after / 2)
            REDIS.start()  # from the snapshot: the signed-out session's copy is back
        time.sleep(ARGS.poll_after)
        stop.set()
        for future in futures:
            future.result()
    after = served = errors = 0
    first_refused: list[float] = []
    for index in targets:
        log = logs[index]
        errors += sum(1 for _, _, status, _ in log if status >= 500)
        later = [entry for entry in log if entry[0] > done]
        after += len(later)
        served += sum(1 for entry in later if entry[3])
        refused = [answered for sent, answered, _, signed_in in log if not signed_in]
        if refused:
            first_refused.append((min(refused) - done) * 1000)
    return after, served, first_refused, errors


KINDS = [
    "one device",
    "Remove",
    "all other devices",
    "password change",
    "a TV",
    "a TV app's tokens",
    "one device, Redis down, restored from an older snapshot",
]


def main() -> int:
    print("Revocation: K sessions polling 2 gunicorn processes while they are signed out")
    print(DESCRIPTION)
    print(f"K={ARGS.sessions} sessions per trial, polling {ARGS.poll_after} s after the answer")
    env = {
        "DATABASE_URL": _setup.os.environ["DATABASE_URL"],
        "REDIS_URL": REDIS.url,
        "CACHE_KEY_PREFIX": _setup.os.environ.get("CACHE_KEY_PREFIX", "bench"),
        "DJANGO_SECRET_KEY": settings.SECRET_KEY,
    }
    header = (
        f"{'sign-out kind':<56} | {'signed out':>10} | {'requests after':>14} | "
        f"{'served after':>12} | first refused, ms after the answer (per session)"
    )
    total_served = total_errors = 0
    with ExitStack() as stack:
        urls = [stack.enter_context(_servers.gunicorn(env, workers=1)) for _ in range(2)]
        print(header)
        print("-" * len(header))
        for number, kind in enumerate(KINDS):
            after, served, first, errors = trial(urls, number, kind)
            total_served += served
            total_errors += errors
            print(
                f"{kind:<56} | {len(first):>10} | {after:>14} | {served:>12} | "
                + ", ".join(f"{ms:+.0f}" for ms in first)
                + (f" (median {statistics.median(first):+.0f})" if first else "")
            )
    REDIS.stop()
    shutil.rmtree(TMP, ignore_errors=True)
    print(f"requests served after a sign-out: {total_served}; 5xx answers: {total_errors}")
    print(f"At the end: {_setup.load_average()}")
    return 1 if total_served or total_errors else 0


if __name__ == "__main__":
    sys.exit(main())
