"""A bounded load on real gunicorn processes: throughput, p50/p95/p99 and errors, 1 and 2 workers.

Households (an account each) use the site at once through locust (bench/locustfile.py):
members browse, open titles, the devices page and viewing activity and now and then sign
out and back in; a player per household sends a heartbeat every 30 s; a TV per household
checks in every 10 s. Each run starts gunicorn (config/gunicorn.conf.py) on 127.0.0.1,
runs locust headless for --seconds, and prints one line per worker count.

    .venv/bin/python bench/load.py [--seconds 30] [--households 8] [--workers 1,2]
    .venv/bin/python bench/load.py --database-url postgres://postgres@127.0.0.1:5432/sg_bench \
        --redis-url redis://127.0.0.1:6379/15

Prints figures only; nothing here asserts a time. Exits 1 if any request failed.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import _servers
import _setup


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=30, help="length of each run (bounded)")
    parser.add_argument("--households", type=int, default=8)
    parser.add_argument("--members", type=int, default=2, help="browsing members per household")
    parser.add_argument("--workers", default="1,2", help="gunicorn worker counts to compare")
    parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn worker")
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

PASSWORD = "load-bench-passphrase-2026"


def households() -> list[dict[str, str]]:
    catalog_seed()
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


def run_locust(url: str, accounts: list[dict[str, str]], titles: list[str], out: Path) -> dict:
    users = ARGS.households * (ARGS.members + 2)
    env = {
        **os.environ,
        "LOAD_ACCOUNTS": json.dumps(accounts),
        "LOAD_PASSWORD": PASSWORD,
        "LOAD_TITLES": json.dumps(titles),
        "LOAD_MEMBERS": str(ARGS.members),
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
        total = next(row for row in csv.DictReader(file) if row["Name"] == "Aggregated")
    with open(f"{out}_failures.csv") as file:
        failures = [
            f"{row['Method']} {row['Name']}: {row['Error']} x{row['Occurrences']}"
            for row in csv.DictReader(file)
        ]
    return {**total, "failures": failures, "users": users}


def main() -> int:
    print("Load: households on gunicorn, locust headless on 127.0.0.1")
    print(DESCRIPTION)
    accounts = households()
    titles = list(Title.objects.order_by("slug").values_list("slug", flat=True)[:40])
    print(
        f"{ARGS.households} households x ({ARGS.members} members + 1 player + 1 TV), "
        f"{ARGS.seconds} s per run, gthread x {ARGS.threads} threads per worker"
    )
    header = (
        f"{'workers':>7} | {'requests':>8} | {'req/s':>7} | {'p50 ms':>6} | {'p95 ms':>6} | "
        f"{'p99 ms':>6} | errors"
    )
    print(header)
    print("-" * len(header))
    errors = 0
    with tempfile.TemporaryDirectory(prefix="streamguard-load-") as tmp:
        for workers in (int(w) for w in ARGS.workers.split(",")):
            with _servers.gunicorn(server_env(), workers=workers, threads=ARGS.threads) as url:
                result = run_locust(url, accounts, titles, Path(tmp) / f"w{workers}")
            failed = int(result["Failure Count"])
            errors += failed
            print(
                f"{workers:>7} | {result['Request Count']:>8} | "
                f"{float(result['Requests/s']):7.1f} | "
                f"{result['50%']:>6} | {result['95%']:>6} | {result['99%']:>6} | {failed}"
            )
            for line in result["failures"]:
                print(f"          {line}")
    print(f"At the end: {_setup.load_average()}")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
