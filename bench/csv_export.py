"""'Download all': the streamed CSV export against building the whole file in memory.

One profile with N viewings. Ours is the real view
(catalog.views.activity.activity_download): a StreamingHttpResponse over a
values_list(...).iterator(chunk_size=500), consumed chunk by chunk as a server would send
it. The naive way loads every Viewing (with its title) into a list and writes the whole
CSV into an HttpResponse. Peak memory is tracemalloc's peak while each response is built
and consumed; times come from a separate untraced run.
The promise: ours stays flat as N grows.

    .venv/bin/python bench/csv_export.py [--sizes 1000,100000]

Runs on a throwaway SQLite database (or --database-url postgres://.../<name with bench>).
Prints figures only; nothing here asserts a time or a size.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import sys
import time
import tracemalloc
from datetime import timedelta

import _setup

FILL_CHUNK = 20_000


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--sizes",
        default="1000,100000",
        help="viewings in the profile's history, comma-separated (default: %(default)s)",
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

from django.http import HttpResponse  # noqa: E402
from django.test import RequestFactory  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import Profile, User  # noqa: E402
from catalog import exports  # noqa: E402
from catalog.models import Rating, Title, Viewing  # noqa: E402
from catalog.views import activity  # noqa: E402


def catalog() -> list[Title]:
    return [
        Title.objects.create(
            slug=f"bench-title-{n}",
            name=f"Bench Title {n}: a name of a realistic length",
            kind=Title.Kind.SERIES if n % 3 else Title.Kind.FILM,
            seasons=2 if n % 3 else None,
            year=2020,
            synopsis="A title for the benchmark.",
            rating=Rating.PG_13,
            runtime_minutes=95,
        )
        for n in range(50)
    ]


def fill(profile: Profile, titles: list[Title], start: int, stop: int) -> None:
    """Give the profile viewings start..stop-1, one a minute back from now."""
    now = timezone.now()
    for chunk in range(start, stop, FILL_CHUNK):
        Viewing.objects.bulk_create(
            (
                Viewing(
                    user_id=profile.user_id,
                    profile=profile,
                    title=titles[n % len(titles)],
                    device_name="Samsung Smart TV" if n % 2 else "Chrome on Windows",
                    ip="81.2.69.142",
                    country="GB",
                    started_at=now - timedelta(minutes=n),
                    last_heartbeat_at=now - timedelta(minutes=n),
                    position_seconds=n % 5000,
                    stopped_at=now - timedelta(minutes=n),
                    stop_reason=Viewing.StopReason.STOPPED,
                )
                for n in range(chunk, min(chunk + FILL_CHUNK, stop))
            ),
            batch_size=2000,
        )


def streamed(profile: Profile) -> bytes:
    """Our view's response, consumed chunk by chunk as a server sends it: its sha256."""
    request = RequestFactory().get(f"/profiles/{profile.public_id}/activity/download/")
    request.user = profile.user
    request.profile = profile  # type: ignore[attr-defined]
    request.htmx = False  # type: ignore[attr-defined]
    digest = hashlib.sha256()
    response = activity.activity_download(request, public_id=profile.public_id)
    for chunk in response.streaming_content:
        digest.update(chunk)
    return digest.digest()


def naive(profile: Profile) -> bytes:
    """Every viewing in a list, the whole CSV in an HttpResponse: its sha256."""
    viewings = list(
        Viewing.objects.for_profile(profile).shown().newest_first().select_related("title")
    )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    writer = csv.writer(response)
    writer.writerow(exports.HEADER)
    for viewing in viewings:
        writer.writerow(
            exports.csv_row(
                started_at=viewing.started_at,
                title=viewing.title.name,
                kind=viewing.title.kind,
                device_name=viewing.device_name,
                position_seconds=viewing.position_seconds,
            )
        )
    return hashlib.sha256(response.content).digest()


def measure(export, profile: Profile) -> tuple[int, float, bytes]:
    """(peak bytes under tracemalloc, seconds of an untraced run, sha256 of the CSV)."""
    started = time.perf_counter()
    export(profile)
    seconds = time.perf_counter() - started
    tracemalloc.start()
    digest = export(profile)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak, seconds, digest


def kib(size: int) -> str:
    return f"{size / 1024:,.0f} KiB"


def main() -> int:
    print("Download all (viewing activity CSV): streamed (ours) vs built in memory (naive)")
    print(DESCRIPTION)
    user = User.objects.create_user(email="bench@example.com", password=None, name="Bench")
    profile = Profile.objects.create(user=user, name="Bench")
    titles = catalog()
    rows, filled, failures = [], 0, []
    for size in ARGS.sizes:
        started = time.perf_counter()
        fill(profile, titles, filled, size)
        filled = size
        print(f"\n{size:,} viewings (filled in {time.perf_counter() - started:.1f} s)")
        ours, ours_s, ours_digest = measure(streamed, profile)
        theirs, theirs_s, theirs_digest = measure(naive, profile)
        same = ours_digest == theirs_digest
        if not same:
            failures.append(f"{size:,}: the two CSV files differ")
        print(f"  streamed: peak {kib(ours):>12} in {ours_s:.2f} s")
        print(f"  naive   : peak {kib(theirs):>12} in {theirs_s:.2f} s")
        print(f"  same CSV bytes: {'yes' if same else 'NO'}")
        rows.append((size, ours, theirs))

    print()
    header = f"{'rows':>10} | {'streamed peak':>14} | {'naive peak':>14} | {'naive/streamed':>14}"
    print(header)
    print("-" * len(header))
    for size, ours, theirs in rows:
        print(f"{size:>10,} | {kib(ours):>14} | {kib(theirs):>14} | {theirs / ours:13.0f}x")
    if len(rows) > 1:
        (small, ours_small, naive_small), (big, ours_big, naive_big) = rows[0], rows[-1]
        growth = ours_big / ours_small
        print()
        print(
            f"Streamed: {kib(ours_small)} at {small:,} rows, {kib(ours_big)} at {big:,} "
            f"({growth:.2f}x for {big / small:.0f}x the rows): "
            f"{'flat, as promised' if growth < 2 else 'NOT flat'}."
        )
        print(
            f"Naive: {kib(naive_small)} -> {kib(naive_big)} "
            f"({naive_big / naive_small:.0f}x), growing with the history."
        )
    if failures:
        print("\nCORRECTNESS CHECK FAILED:")
        for failure in failures:
            print(f"  {failure}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
