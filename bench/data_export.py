"""'Download your data': the streamed ZIP against building the whole archive in memory.

One account, two profiles sharing N viewings. Ours is privacy.exports.data_export_zip, the
generator behind the view, consumed chunk by chunk as a server sends it. The naive way
reads every table into lists and writes the ZIP into a BytesIO. Peak memory is
tracemalloc's peak while each archive is built and consumed; times come from a separate
untraced run. The promise: ours stays flat as N grows.

    .venv/bin/python bench/data_export.py [--sizes 1000,100000]

Runs on a throwaway SQLite database (or --database-url postgres://.../<name with bench>).
Prints figures only; nothing here asserts a time or a size.
"""

from __future__ import annotations

import argparse
import io
import sys
import time
import tracemalloc
import zipfile
from datetime import timedelta

import _setup

FILL_CHUNK = 20_000


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--sizes",
        default="1000,10000,100000",
        help="viewings in the account's history, comma-separated (default: %(default)s)",
    )
    parser.add_argument("--database-url", help="postgres://... database to create and drop")
    args = parser.parse_args()
    args.sizes = sorted(int(size.replace("_", "")) for size in args.sizes.split(","))
    return args


ARGS = parse_args()
DESCRIPTION = _setup.django_setup(ARGS.database_url)

from django.utils import timezone  # noqa: E402

from accounts.models import Profile, User  # noqa: E402
from catalog.models import Rating, Title, Viewing  # noqa: E402
from privacy import exports  # noqa: E402


def catalog() -> list[Title]:
    return [
        Title.objects.create(
            slug=f"bench-title-{n}",
            name=f"Bench Title {n}: a name of a realistic length",
            kind=Title.Kind.FILM,
            year=2020,
            synopsis="A title for the benchmark.",
            rating=Rating.PG_13,
            runtime_minutes=95,
        )
        for n in range(50)
    ]


def fill(profiles: list[Profile], titles: list[Title], start: int, stop: int) -> None:
    now = timezone.now()
    for chunk in range(start, stop, FILL_CHUNK):
        Viewing.objects.bulk_create(
            (
                Viewing(
                    user_id=profiles[0].user_id,
                    profile=profiles[n % 2],
                    title=titles[n % len(titles)],
                    device_name="Samsung Smart TV" if n % 2 else "Chrome on Windows",
                    ip="81.2.69.142",
                    city="London",
                    country="GB",
                    started_at=now - timedelta(minutes=n),
                    last_heartbeat_at=now - timedelta(minutes=n),
                    position_seconds=n % 5000,
                )
                for n in range(chunk, min(chunk + FILL_CHUNK, stop))
            ),
            batch_size=2000,
        )


def streamed(user: User) -> tuple[int, bytes]:
    """Our archive, consumed chunk by chunk and dropped, as a server sends it: (size, b"")."""
    size = 0
    for chunk in exports.data_export_zip(user):
        size += len(chunk)
    return size, b""


def naive(user: User) -> tuple[int, bytes]:
    """Every table in lists, the whole ZIP in memory: (its size, b"")."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, mode="w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, rows in exports.TABLES:
            table = list(rows(user))
            archive.writestr(f"{name}.csv", "".join(exports._csv_lines(table)))
            archive.writestr(f"{name}.json", "".join(exports._json_lines(table)))
    return len(buffer.getvalue()), b""


def measure(export, user: User) -> tuple[int, float, int]:
    """(peak bytes under tracemalloc, seconds of an untraced run, archive size)."""
    started = time.perf_counter()
    export(user)
    seconds = time.perf_counter() - started
    tracemalloc.start()
    size, _ = export(user)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak, seconds, size


def kib(size: int) -> str:
    return f"{size / 1024:,.0f} KiB"


def main() -> int:
    print("Download your data (ZIP): streamed (ours) vs built in memory (naive)")
    print(DESCRIPTION)
    user = User.objects.create_user(email="bench@example.com", password=None, name="Bench")
    profiles = [
        Profile.objects.create(user=user, name="Bench"),
        Profile.objects.create(user=user, name="Kids", is_kids=True),
    ]
    titles = catalog()
    rows, filled, failures = [], 0, []
    for size in ARGS.sizes:
        started = time.perf_counter()
        fill(profiles, titles, filled, size)
        filled = size
        print(f"\n{size:,} viewings (filled in {time.perf_counter() - started:.1f} s)")
        ours, ours_s, ours_size = measure(streamed, user)
        theirs, theirs_s, _ = measure(naive, user)
        whole = b"".join(exports.data_export_zip(user))
        lines = zipfile.ZipFile(io.BytesIO(whole)).read("viewing_history.csv").count(b"\n")
        if lines != size + 1:
            failures.append(f"{size:,}: the streamed CSV has {lines - 1} viewings")
        print(f"  streamed: peak {kib(ours):>12} in {ours_s:.2f} s ({kib(ours_size)} ZIP)")
        print(f"  naive   : peak {kib(theirs):>12} in {theirs_s:.2f} s")
        print(f"  every viewing in the streamed ZIP: {'yes' if lines == size + 1 else 'NO'}")
        rows.append((size, ours, theirs))

    print()
    header = (
        f"{'viewings':>10} | {'streamed peak':>14} | {'naive peak':>14} | {'naive/streamed':>14}"
    )
    print(header)
    print("-" * len(header))
    for size, ours, theirs in rows:
        print(f"{size:>10,} | {kib(ours):>14} | {kib(theirs):>14} | {theirs / ours:13.0f}x")
    if len(rows) > 1:
        (small, ours_small, _n1), (big, ours_big, _n2) = rows[0], rows[-1]
        growth = ours_big / ours_small
        print()
        print(
            f"Streamed: {kib(ours_small)} at {small:,} viewings, {kib(ours_big)} at {big:,} "
            f"({growth:.2f}x for {big / small:.0f}x the rows): "
            f"{'flat, as promised' if growth < 2 else 'NOT flat'}."
        )
    if failures:
        print("\nCORRECTNESS CHECK FAILED:")
        for failure in failures:
            print(f"  {failure}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
