"""'Sign out of all devices': StreamGuard's service against the stock-Django scan of sessions.

One account with 20 signed-in devices (real sessions in the session store) while the
django_session table also holds N sessions of other accounts. Ours looks the account's
session keys up on its own Device rows; the stock way (there is no user -> session index
in Django) reads and decodes every session in the table. The promise: ours costs the
same whatever N is.

    .venv/bin/python bench/sign_out_all.py [--sizes 10000,100000,1000000]

Runs on a throwaway SQLite database (or --database-url postgres://.../<name with bench>).
Prints figures only; nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import secrets
import statistics
import sys
import time
from collections.abc import Callable
from datetime import timedelta
from typing import NamedTuple

import _setup

DISTINCT_OTHER_ACCOUNTS = 500
FILL_CHUNK = 50_000


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--sizes",
        default="10000,100000,1000000",
        help="other accounts' sessions in the table, comma-separated (default: %(default)s)",
    )
    parser.add_argument("--devices", type=int, default=20, help="the account's devices")
    parser.add_argument("--repeats", type=int, default=5, help="timed runs of ours per size")
    parser.add_argument(
        "--stock-repeats", type=int, default=3, help="timed runs of the stock way per size"
    )
    parser.add_argument(
        "--stock-once-from",
        type=int,
        default=1_000_000,
        help="from this size on, run the stock way once (it reads the whole table)",
    )
    parser.add_argument("--database-url", help="postgres://... database to create and drop")
    args = parser.parse_args()
    parser.add_argument(
        "--redis-url", help="redis://... for the Redis cache and cached_db sessions"
    )
    args.sizes = sorted(int(size.replace("_", "")) for size in args.sizes.split(","))
    return args


ARGS = parse_args()
DESCRIPTION = _setup.django_setup(ARGS.database_url, ARGS.redis_url)

from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore as DbSessionStore  # noqa: E402
from django.contrib.sessions.models import Session  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import User  # noqa: E402
from devices.models import Device  # noqa: E402
from devices.services import sign_out_all  # noqa: E402
from devices.sessions import SESSION_DEVICE_KEY, session_store_class  # noqa: E402

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def session_payload(user: User, device_number: int) -> dict:
    """What a StreamGuard session of a signed-in browser holds."""
    now = int(time.time())
    return {
        SESSION_KEY: str(user.pk),
        BACKEND_SESSION_KEY: MODEL_BACKEND,
        HASH_SESSION_KEY: user.get_session_auth_hash(),
        SESSION_DEVICE_KEY: {
            "id": f"00000000-0000-4000-8000-{device_number:012d}",
            "key": "",
            "at": now,
            "ip": f"198.51.100.{device_number % 250 + 1}",
            "since": now,
        },
    }


def other_accounts() -> list[User]:
    users = User.objects.bulk_create(
        User(email=f"other{i}@example.com", name=f"Other {i}", password="!unusable")
        for i in range(DISTINCT_OTHER_ACCOUNTS)
    )
    return list(User.objects.filter(pk__in=[u.pk for u in users]).order_by("pk"))


def fill(start: int, stop: int, encoded: list[str]) -> None:
    """Insert other accounts' sessions start..stop-1 with bulk_create in one transaction."""
    expire = timezone.now() + timedelta(days=30)
    sqlite = connection.vendor == "sqlite"
    if sqlite:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA synchronous = OFF")
            cursor.execute("PRAGMA journal_mode = MEMORY")
    with transaction.atomic():
        for chunk_start in range(start, stop, FILL_CHUNK):
            chunk_stop = min(chunk_start + FILL_CHUNK, stop)
            Session.objects.bulk_create(
                (
                    Session(
                        session_key=secrets.token_hex(16),
                        session_data=encoded[i % len(encoded)],
                        expire_date=expire,
                    )
                    for i in range(chunk_start, chunk_stop)
                ),
                batch_size=5000,
            )
    if sqlite:
        # Back to SQLite's defaults for what is measured.
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode = DELETE")
            cursor.execute("PRAGMA synchronous = FULL")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE django_session")


def sign_in_devices(user: User, count: int) -> list[str]:
    """Give the account `count` signed-in devices, each with its own real session."""
    Device.objects.filter(user=user).delete()
    user.refresh_from_db()
    store_class = session_store_class()
    keys = []
    for number in range(count):
        store = store_class()
        store.update(session_payload(user, number))
        store.create()
        device = Device.objects.create(
            user=user,
            kind=Device.Kind.TV if number % 3 else Device.Kind.COMPUTER,
            name=f"Bench device {number}",
            session_key=store.session_key,
            ip=f"192.0.2.{number + 1}",
        )
        store[SESSION_DEVICE_KEY] = {
            **store[SESSION_DEVICE_KEY],
            "id": str(device.id),
            "key": store.session_key,
        }
        store.save()
        keys.append(store.session_key)
    return keys


def stock_sign_out_all(user: User) -> int:
    """The stock-Django way: no index from user to session, so decode every session."""
    user_id = str(user.pk)
    doomed = [
        session
        for session in Session.objects.iterator(chunk_size=2000)
        if session.get_decoded().get(SESSION_KEY) == user_id
    ]
    # Deleted after the scan: SQLite gives no isolation between a read cursor and writes.
    for session in doomed:
        session.delete()
    return len(doomed)


def check(user: User, keys: list[str], others: int, *, ours: bool) -> list[str]:
    """What is wrong after a sign-out (empty when the account's sessions died and no other)."""
    problems = []
    left = Session.objects.filter(session_key__in=keys).count()
    if left:
        problems.append(f"{left} of the account's {len(keys)} sessions survived")
    total = Session.objects.count()
    if total != others:
        problems.append(f"{total} sessions in the table, expected the {others} others")
    if ours:
        live = Device.objects.filter(user=user, signed_out_at__isnull=True).count()
        if live:
            problems.append(f"{live} devices still marked signed in")
    return problems


class Result(NamedTuple):
    ms: list[float]
    queries: list[int]
    sql: list[str]
    problems: list[str]

    @property
    def median(self) -> float:
        return statistics.median(self.ms)

    def summary(self) -> str:
        check = "ok" if not self.problems else "FAILED: " + "; ".join(sorted(set(self.problems)))
        transaction_statements = sum(sql in TRANSACTION_SQL for sql in self.sql)
        of_them = (
            f" ({transaction_statements} of them BEGIN/COMMIT)" if transaction_statements else ""
        )
        return (
            f"{self.median:9.2f} ms median of {len(self.ms)} (min {min(self.ms):.2f}, "
            f"max {max(self.ms):.2f}); queries {'/'.join(map(str, sorted(set(self.queries))))}"
            f"{of_them}"
            f"; check: {check}"
        )


TRANSACTION_SQL = {"BEGIN", "COMMIT"}


def measure(func: Callable[..., object], user: User, *, size: int, runs: int, ours: bool) -> Result:
    """Time func(user=...) runs times, each on 20 freshly signed-in devices, and check it."""
    result = Result([], [], [], [])
    for _ in range(runs):
        keys = sign_in_devices(user, ARGS.devices)
        if Session.objects.count() != size + ARGS.devices:
            result.problems.append("the table did not hold the sessions expected before the run")
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            func(user=user)
            elapsed = time.perf_counter() - started
        result.ms.append(elapsed * 1000)
        result.queries.append(len(captured.captured_queries))
        result.sql[:] = [query["sql"] for query in captured.captured_queries]
        result.problems.extend(check(user, keys, size, ours=ours))
    return result


def main() -> int:
    print("Sign out of all devices: ours (devices.services.sign_out_all) vs stock Django")
    print(DESCRIPTION)
    if not issubclass(session_store_class(), DbSessionStore):
        print("This benchmark needs a database-backed SESSION_ENGINE (db or cached_db).")
        return 2
    print(
        f"{ARGS.devices} devices on the account; ours timed {ARGS.repeats}x per size (median), "
        f"stock {ARGS.stock_repeats}x, once from {ARGS.stock_once_from:,} sessions on."
    )
    user = User.objects.create_user(email="bench@example.com", password=None, name="Bench")
    store = session_store_class()()
    encoded = [store.encode(session_payload(other, other.pk)) for other in other_accounts()]

    rows: list[tuple[int, Result, Result]] = []
    filled = 0
    for size in ARGS.sizes:
        started = time.perf_counter()
        fill(filled, size, encoded)
        filled = size
        took = time.perf_counter() - started
        print(f"\n{size:,} other accounts' sessions in the table (filled in {took:.1f} s)")
        ours = measure(sign_out_all, user, size=size, runs=ARGS.repeats, ours=True)
        print(f"  ours : {ours.summary()}")
        if size == ARGS.sizes[0]:
            for sql in ours.sql:
                print(f"           {sql[:104]}")
        runs = 1 if size >= ARGS.stock_once_from else ARGS.stock_repeats
        stock = measure(stock_sign_out_all, user, size=size, runs=runs, ours=False)
        print(f"  stock: {stock.summary()}; {size + ARGS.devices:,} sessions read and decoded")
        rows.append((size, ours, stock))

    report(rows)
    print(f"At the end: {_setup.load_average()}")
    failures = [
        f"{size:,} {name}: {problem}"
        for size, ours, stock in rows
        for name, result in (("ours", ours), ("stock", stock))
        for problem in sorted(set(result.problems))
    ]
    if failures:
        print("\nCORRECTNESS CHECK FAILED:")
        for failure in failures:
            print(f"  {failure}")
        return 1
    return 0


def report(rows: list[tuple[int, Result, Result]]) -> None:
    print()
    header = (
        f"{'size':>10} | {'ours ms':>8} | {'ours queries':>12} | {'stock ms':>10} | "
        f"{'stock queries':>13} | {'stock/ours':>10} | check"
    )
    print(header)
    print("-" * len(header))
    for size, ours, stock in rows:
        once = "*" if len(stock.ms) == 1 else " "
        ok = "ok" if not ours.problems and not stock.problems else "FAILED"
        print(
            f"{size:>10,} | {ours.median:8.2f} | {max(ours.queries):>12} | "
            f"{stock.median:9.1f}{once} | {max(stock.queries):>13} | "
            f"{stock.median / ours.median:9.0f}x | {ok}"
        )
    if any(len(stock.ms) == 1 for _, _, stock in rows):
        print("* stock run once at this size (it reads and decodes the whole table)")
    if any(sql in TRANSACTION_SQL for _, ours, _ in rows for sql in ours.sql):
        print("Query counts are what CaptureQueriesContext captured, BEGIN and COMMIT included.")
    if len(rows) < 2:
        return
    (first_size, first, first_stock), (last_size, last, last_stock) = rows[0], rows[-1]
    ours_queries = sorted({q for _, ours, _ in rows for q in ours.queries})
    growth = last.median / first.median
    flat = len(ours_queries) == 1 and growth < 2
    print()
    print(
        f"Ours: {first.median:.2f} ms at {first_size:,} other sessions, {last.median:.2f} ms at "
        f"{last_size:,} ({growth:.2f}x for {last_size / first_size:.0f}x the sessions); "
        f"queries {'/'.join(map(str, ours_queries))} at every size: "
        f"{'flat, as promised' if flat else 'NOT flat: look into it'}."
    )
    stock_growth = last_stock.median / first_stock.median
    digits = 0 if stock_growth >= 10 else 1
    print(
        f"Stock: {first_stock.median:.1f} ms -> {last_stock.median:.1f} ms "
        f"({stock_growth:.{digits}f}x for {last_size / first_size:.0f}x the "
        f"sessions); {last_stock.median / last.median:.0f}x ours at {last_size:,}."
    )


if __name__ == "__main__":
    sys.exit(main())
