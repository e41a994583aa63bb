"""A bounded load on real gunicorn processes: throughput, p50/p95/p99 and errors, 1 and 2 workers.

Households (an account each) use the site at once through locust (bench/locustfile.py):
members browse, open titles, the devices page and viewing activity and now and then sign
out and back in; a player per household sends a heartbeat every 30 s; a TV per household
checks in every 10 s. Each run starts gunicorn (config/gunicorn.conf.py) on 127.0.0.1,
runs locust headless for --seconds, and prints one line per worker count.

    .venv/bin/python bench/load.py [--seconds 30] [--households 8] [--workers 1,2]
    .venv/bin/python bench/load.py --capacity [--seconds 20] [--p99 100]

With --capacity it steps the offered load instead: the same households at 1, 1.5, 2, 2.5,
3, 4, ... times the pace (every think time divided by it), until p99 passes --p99 ms, and
prints the highest request rate held under it for each worker count. "resent" counts the
requests a client sent again because the server had just closed the idle keep-alive
connection (as browsers and apps do; bench/locustfile.py); every other error counts.
    .venv/bin/python bench/load.py --database-url postgres://postgres@127.0.0.1:5432/sg_bench \
        --redis-url redis://127.0.0.1:6379/15

Prints figures only; nothing here asserts a time. Exits 1 if any request failed.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import _servers
import _setup
import requests


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=30, help="length of each run (bounded)")
    parser.add_argument("--households", type=int, default=8)
    parser.add_argument("--members", type=int, default=2, help="browsing members per household")
    parser.add_argument("--workers", default="1,2", help="gunicorn worker counts to compare")
    parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn worker")
    parser.add_argument(
        "--no-apps",
        dest="apps",
        action="store_false",
        help="leave out each household's native TV app (device grant, /api/v1/)",
    )
    parser.add_argument(
        "--capacity",
        action="store_true",
        help="step the households (pace x1, x1.5, x2, ...) until p99 passes --p99 ms",
    )
    parser.add_argument("--p99", type=float, default=100.0, help="the p99 target in ms")
    parser.add_argument("--database-url", help="postgres://... database to create and drop")
    parser.add_argument("--redis-url", help="redis://... for the Redis cache and sessions")
    args = parser.parse_args()
    if not 1 <= args.seconds <= 300:
        raise SystemExit("--seconds must be between 1 and 300: the load is bounded.")
    return args


ARGS = parse_args()
DESCRIPTION = _setup.django_setup(ARGS.database_url, ARGS.redis_url)

from django.conf import settings  # noqa: E402

from accounts.services import account_create  # noqa: E402
from catalog.models import Title  # noqa: E402
from demo.seed import catalog_seed  # noqa: E402
from devices.services import app_register  # noqa: E402

APP = "load-tv"
DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code"

PASSWORD = "load-bench-passphrase-2026"
CHROME = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36"
)
TV = (
    "Mozilla/5.0 (SMART-TV; LINUX; Tizen 6.0) AppleWebKit/538.1 (KHTML, like Gecko) TV Safari/538.1"
)
_CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def signed_in(url: str, account: dict[str, str], user_agent: str) -> dict:
    """A session signed in through the real pages, its profile picked: cookies for locust."""
    http = requests.Session()
    http.headers["User-Agent"] = user_agent
    page = http.get(url + "/login/", timeout=60)
    token = http.cookies.get("csrftoken") or _CSRF.search(page.text).group(1)
    response = http.post(
        url + "/login/",
        {"username": account["email"], "password": PASSWORD},
        headers={"X-CSRFToken": token},
        allow_redirects=False,
        timeout=60,
    )
    if response.status_code != 302:
        raise SystemExit(f"Sign-in before the run answered {response.status_code}.")
    http.post(
        f"{url}/profiles/{account['profile']}/pick/",
        headers={"X-CSRFToken": http.cookies["csrftoken"]},
        allow_redirects=False,
        timeout=60,
    )
    return {"account": account, "user_agent": user_agent, "cookies": dict(http.cookies)}


def app_signed_in(url: str, account: dict[str, str], user_agent: str) -> dict:
    """A TV app signed in with the device grant, approved from a browser, its profile picked:
    its bearer token for locust."""
    owner = signed_in(url, account, CHROME)
    http = requests.Session()
    http.headers["User-Agent"] = user_agent
    for name, value in owner["cookies"].items():
        http.cookies.set(name, value)
    grant = requests.post(
        url + "/o/device-authorization/",
        data={"client_id": APP},
        headers={"User-Agent": user_agent},
        timeout=60,
    ).json()
    csrf = {"X-CSRFToken": http.cookies["csrftoken"]}
    # Approving a TV asks for the password again (the gate), as a person would type it.
    http.post(
        url + "/account/confirm-password/",
        {"password": PASSWORD},
        headers=csrf,
        allow_redirects=False,
        timeout=60,
    )
    csrf = {"X-CSRFToken": http.cookies["csrftoken"]}
    found = http.post(
        url + "/activate/", {"code": grant["user_code"]}, headers=csrf, allow_redirects=False
    )
    approved = http.post(
        url + found.headers.get("Location", "/activate/") + "sign-in/",
        headers=csrf,
        allow_redirects=False,
        timeout=60,
    )
    tokens = requests.post(
        url + "/o/token/",
        data={"grant_type": DEVICE_GRANT, "device_code": grant["device_code"], "client_id": APP},
        timeout=60,
    ).json()
    if found.status_code != 302 or approved.status_code != 302 or "access_token" not in tokens:
        raise SystemExit(f"The TV app could not sign in before the run: {tokens}")
    bearer = {"Authorization": f"Bearer {tokens['access_token']}"}
    requests.post(
        f"{url}/api/v1/profiles/{account['profile']}/select", json={}, headers=bearer, timeout=60
    )
    return {"account": account, "user_agent": user_agent, "token": tokens["access_token"]}


def sessions_for(url: str, accounts: list[dict[str, str]]) -> dict[str, list[dict]]:
    """Every device of every household signed in before the measured window."""
    plan = [
        (kind, account, f"{agent} #{kind}{n}")
        for account in accounts
        for kind, agent, count in (
            ("Member", CHROME, ARGS.members),
            ("Player", CHROME, 1),
            ("Television", TV, 1),
        )
        for n in range(count)
    ]
    with ThreadPoolExecutor(4) as pool:
        slots = list(pool.map(lambda p: (p[0], signed_in(url, p[1], p[2])), plan))
        if ARGS.apps:
            apps = [(account, f"{TV} #App{n}") for n, account in enumerate(accounts)]
            slots += pool.map(lambda p: ("App", app_signed_in(url, *p)), apps)
    sessions: dict[str, list[dict]] = {"Member": [], "Player": [], "Television": [], "App": []}
    for kind, slot in slots:
        sessions[kind].append(slot)
    return sessions


def households() -> list[dict[str, str]]:
    catalog_seed()
    app_register(client_id=APP, name="Load TV")
    accounts = []
    for n in range(ARGS.households):
        user = account_create(email=f"house{n}@load.example", password=PASSWORD, name=f"House {n}")
        accounts.append({"email": user.email, "profile": str(user.profiles.get().public_id)})
    return accounts


def server_env() -> dict[str, str]:
    env = {"DATABASE_URL": os.environ["DATABASE_URL"], "REDIS_URL": os.environ["REDIS_URL"]}
    if os.environ.get("CACHE_KEY_PREFIX"):
        env["CACHE_KEY_PREFIX"] = os.environ["CACHE_KEY_PREFIX"]
    env["DJANGO_SECRET_KEY"] = settings.SECRET_KEY
    return env


def warm_up(url: str, account: dict[str, str], titles: list[str]) -> None:
    """Every page of the mix a few times on a fresh server, outside the figures: a worker's
    first request to a page loads its templates and code."""
    http = requests.Session()
    http.headers["User-Agent"] = CHROME
    for name, value in signed_in(url, account, CHROME)["cookies"].items():
        http.cookies.set(name, value)
    pages = ["/browse/", "/account/devices/", f"/profiles/{account['profile']}/activity/"]
    for _ in range(2 * ARGS.threads):
        for path in [*pages, f"/title/{titles[0]}/"]:
            http.get(url + path, allow_redirects=False, timeout=60)


def run_locust(
    url: str, accounts: list[dict[str, str]], titles: list[str], out: Path, pace: float = 1
) -> dict:
    sessions = sessions_for(url, accounts)
    users = sum(len(slots) for slots in sessions.values())
    env = {
        **os.environ,
        "LOAD_SESSIONS": json.dumps(sessions),
        "LOAD_PASSWORD": PASSWORD,
        "LOAD_TITLES": json.dumps(titles),
        "LOAD_PACE": str(pace),
        "LOAD_SIGN_INS": "0" if ARGS.capacity else "1",
        "LOAD_RESENT_FILE": f"{out}_resent",
    }
    command = [
        sys.executable, "-m", "locust", "-f", str(Path(__file__).with_name("locustfile.py")),
        "--headless", "--host", url, "--users", str(users), "--spawn-rate", str(users),
        "--run-time", f"{ARGS.seconds}s", "--stop-timeout", "5", "--csv", str(out),
        "--only-summary", "--loglevel", "WARNING", "--exit-code-on-error", "0",
    ]  # fmt: skip
    # The command is this script's own: no outside input reaches it.
    subprocess.run(  # noqa: S603
        command,
        env=env,
        check=True,
        timeout=ARGS.seconds + 60,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    with open(f"{out}_stats.csv") as file:
        rows = list(csv.DictReader(file))
    total = next(row for row in rows if row["Name"] == "Aggregated")
    slowest = max(
        (row for row in rows if row["Name"] != "Aggregated"), key=lambda row: float(row["99%"])
    )
    total["slowest"] = f"{slowest['Type']} {slowest['Name']} (p99 {slowest['99%']} ms)"
    with open(f"{out}_failures.csv") as file:
        failures = [
            f"{row['Method']} {row['Name']}: {row['Error']} x{row['Occurrences']}"
            for row in csv.DictReader(file)
        ]
    with open(f"{out}_exceptions.csv") as file:
        exceptions = [f"{row['Count']} x {row['Message']}" for row in csv.DictReader(file)]
    resent = int(Path(f"{out}_resent").read_text())
    return {
        **total,
        "failures": failures + exceptions,
        "exceptions": len(exceptions),
        "resent": resent,
    }


def forget_throttles() -> None:
    """Between steps: the TV codes drawn for the apps so far count against 127.0.0.1, and
    each step signs its apps in afresh. Only this run's cache: its own throwaway table, or
    its own key prefix in Redis (a shared Redis is never flushed)."""
    from django.core.cache import cache

    if os.environ.get("CACHE_KEY_PREFIX"):
        cache.delete_pattern("*")  # type: ignore[attr-defined]
    else:
        cache.clear()


def capacity(accounts: list[dict[str, str]], titles: list[str]) -> int:
    """Step the households until p99 passes the target; print the highest rate held."""
    steps = (1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10, 12, 16, 24, 32)
    print(
        f"Capacity: the pace stepped x{steps}, each step {ARGS.seconds} s on a fresh server "
        "after a warm-up; members do not sign out and back in (a sign-in hashes the password "
        "on purpose: bench/mail.py times it)"
    )
    header = (
        f"{'workers':>7} | {'pace':>4} | {'requests':>8} | {'req/s':>7} | "
        f"{'p50 ms':>6} | {'p95 ms':>6} | {'p99 ms':>6} | errors | resent | the slowest request"
    )
    print(header)
    print("-" * len(header))
    held: dict[int, tuple[float, float]] = {}
    errors = 0
    with tempfile.TemporaryDirectory(prefix="streamguard-capacity-") as tmp:
        for workers in (int(w) for w in ARGS.workers.split(",")):
            for pace in steps:
                forget_throttles()
                with _servers.gunicorn(server_env(), workers=workers, threads=ARGS.threads) as url:
                    warm_up(url, accounts[0], titles)
                    result = run_locust(
                        url, accounts, titles, Path(tmp) / f"w{workers}x{pace}", pace
                    )
                failed = int(result["Failure Count"]) + result["exceptions"]
                errors += failed
                rate, p99 = float(result["Requests/s"]), float(result["99%"])
                print(
                    f"{workers:>7} | {pace:>4} | {result['Request Count']:>8} | {rate:7.1f} | "
                    f"{result['50%']:>6} | {result['95%']:>6} | {p99:6.0f} | {failed:>6} | "
                    f"{result['resent']:>6} | {result['slowest']}"
                )
                for line in result["failures"]:
                    print(f"          {line}")
                if p99 > ARGS.p99 or failed:
                    break
                if rate > held.get(workers, (0.0, 0))[0]:
                    held[workers] = (rate, pace)
    print()
    for workers in (int(w) for w in ARGS.workers.split(",")):
        rate, pace = held.get(workers, (0.0, 0))
        print(
            f"Capacity with {workers} worker(s): {rate:.1f} req/s held at p99 <= {ARGS.p99:.0f} ms"
            + (f" (pace x{pace})" if pace else " (not even at pace x1)")
        )
    print(f"At the end: {_setup.load_average()}")
    return 1 if errors else 0


def main() -> int:
    print("Load: households on gunicorn, locust headless on 127.0.0.1")
    print(DESCRIPTION)
    accounts = households()
    titles = list(Title.objects.order_by("slug").values_list("slug", flat=True)[:40])
    print(
        f"{ARGS.households} households x ({ARGS.members} members + 1 player + 1 TV"
        f"{' + 1 TV app' if ARGS.apps else ''}), "
        f"{ARGS.seconds} s per run, gthread x {ARGS.threads} threads per worker; every device "
        "signed in before its run (outside the figures)"
    )
    if ARGS.capacity:
        return capacity(accounts, titles)
    header = (
        f"{'workers':>7} | {'requests':>8} | {'req/s':>7} | {'p50 ms':>6} | {'p95 ms':>6} | "
        f"{'p99 ms':>6} | errors | resent"
    )
    print(header)
    print("-" * len(header))
    errors = 0
    with tempfile.TemporaryDirectory(prefix="streamguard-load-") as tmp:
        for workers in (int(w) for w in ARGS.workers.split(",")):
            with _servers.gunicorn(server_env(), workers=workers, threads=ARGS.threads) as url:
                result = run_locust(url, accounts, titles, Path(tmp) / f"w{workers}")
            failed = int(result["Failure Count"]) + result["exceptions"]
            errors += failed
            print(
                f"{workers:>7} | {result['Request Count']:>8} | "
                f"{float(result['Requests/s']):7.1f} | "
                f"{result['50%']:>6} | {result['95%']:>6} | {result['99%']:>6} | {failed:>6} | "
                f"{result['resent']:>6}"
            )
            for line in result["failures"]:
                print(f"          {line}")
    print(f"At the end: {_setup.load_average()}")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
