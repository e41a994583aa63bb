"""Every signed-in page of the demo against the lightest one, the Account hub.

The demo account (manage.py seed_demo) on a throwaway database, served by gunicorn with
production settings (config/gunicorn.conf.py, DEBUG off) on 127.0.0.1. One browser signs
in through the real pages, picks a profile and re-enters its password (parental controls
ask for it), then GETs each page in turn: sequential requests, the pages taking turns in
a new order every round so drift falls on all of them alike. Printed per page: median and
p99 in milliseconds and both as a ratio to the Account hub's.

With --viewings N (and --table M) the demo profile gets N more viewings and other accounts
fill the table to M rows; then the activity pages are also timed on their first page and
on the deepest one "Show more" / "Older" can reach, side by side.

    .venv/bin/python bench/pages.py [--rounds 200] [--seconds 120]
    .venv/bin/python bench/pages.py --database-url postgres://postgres@127.0.0.1:5432/pages_bench \
        --redis-url redis://127.0.0.1:6379/15
    .venv/bin/python bench/pages.py --viewings 100000 --table 1000000 --rounds 40

Prints figures only; nothing here asserts a time. Exits 1 if a page did not answer 200.
"""

from __future__ import annotations

import argparse
import io
import os
import random
import re
import statistics
import sys
import time

import _servers
import _setup
import requests


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=200, help="requests per page (bounded)")
    parser.add_argument("--seconds", type=int, default=120, help="stop the rounds after this")
    parser.add_argument("--workers", type=int, default=1, help="gunicorn workers")
    parser.add_argument("--viewings", type=int, default=0, help="more viewings on one profile")
    parser.add_argument("--table", type=int, default=0, help="viewings in the table in all")
    parser.add_argument("--database-url", help="postgres://... database to create and drop")
    parser.add_argument("--redis-url", help="redis://... for the Redis cache and sessions")
    args = parser.parse_args()
    if not 1 <= args.rounds <= 5000 or not 1 <= args.seconds <= 900:
        raise SystemExit("--rounds must be 1..5000 and --seconds 1..900: the run is bounded.")
    if not 0 <= args.viewings <= 2_000_000 or not 0 <= args.table <= 5_000_000:
        raise SystemExit("--viewings is at most 2,000,000 and --table at most 5,000,000.")
    return args


ARGS = parse_args()
DESCRIPTION = _setup.django_setup(ARGS.database_url, ARGS.redis_url)

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402

from accounts.models import Profile, User  # noqa: E402
from catalog.models import Title  # noqa: E402
from demo.management.commands.seed_demo import DEMO_EMAIL, DEMO_PASSWORD  # noqa: E402

_CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
CHROME = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36"
)
HUB = "Account hub"


def demo_pages() -> tuple[dict[str, str], Profile]:
    """The pages to time, by the name a person knows them by."""
    call_command("seed_demo", verbosity=0, stdout=io.StringIO())
    user = User.objects.by_email(DEMO_EMAIL).get()
    profile = Profile.objects.for_account(user).get(name="Alex")
    title = Title.objects.order_by("slug").first()
    assert title is not None  # noqa: S101  (the demo seeds its catalog)
    return {
        HUB: "/account/",
        "Browse": "/browse/",
        "A title": title.get_absolute_url(),
        "Search": "/search/?q=the",
        "Manage access and devices": "/account/devices/",
        "Recent device streaming activity": "/account/streaming-activity/",
        "Viewing activity": f"/profiles/{profile.public_id}/activity/",
        "Security activity": "/account/security/",
        "Parental controls": f"/profiles/{profile.public_id}/parental/",
        "Who's watching?": "/profiles/",
    }, profile


def sign_in(url: str, profile: Profile) -> requests.Session:
    """A browser signed in through the real pages, its profile picked, password re-entered."""
    http = requests.Session()
    http.headers["User-Agent"] = CHROME
    page = http.get(url + "/login/", timeout=60)
    token = http.cookies.get("csrftoken") or _CSRF.search(page.text).group(1)  # type: ignore[union-attr]
    answer = http.post(
        url + "/login/",
        {"username": DEMO_EMAIL, "password": DEMO_PASSWORD},
        headers={"X-CSRFToken": token},
        allow_redirects=False,
        timeout=60,
    )
    if answer.status_code != 302:
        raise SystemExit(f"Sign-in answered {answer.status_code}.")
    csrf = {"X-CSRFToken": http.cookies["csrftoken"]}
    http.post(
        f"{url}/profiles/{profile.public_id}/pick/", headers=csrf, allow_redirects=False, timeout=60
    )
    http.post(
        url + "/account/confirm-password/",
        {"password": DEMO_PASSWORD},
        headers={"X-CSRFToken": http.cookies["csrftoken"]},
        allow_redirects=False,
        timeout=60,
    )
    return http


def timed(http: requests.Session, url: str) -> float:
    started = time.perf_counter()
    answer = http.get(url, allow_redirects=False, timeout=60)
    elapsed = (time.perf_counter() - started) * 1000
    if answer.status_code != 200:
        raise SystemExit(f"GET {url} answered {answer.status_code}, not 200: nothing to time.")
    return elapsed


def p99(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]


def measure(http: requests.Session, base: str, pages: dict[str, str]) -> dict[str, list[float]]:
    """Sequential GETs, every page once a round in a shuffled order, bounded in count and time."""
    for path in pages.values():  # warm-up: templates loaded, connections open
        for _ in range(3):
            timed(http, base + path)
    samples: dict[str, list[float]] = {name: [] for name in pages}
    rng = random.Random(26)  # noqa: S311  (an order, not a secret)
    names = list(pages)
    deadline = time.monotonic() + ARGS.seconds
    for _ in range(ARGS.rounds):
        if time.monotonic() > deadline:
            break
        rng.shuffle(names)
        for name in names:
            samples[name].append(timed(http, base + pages[name]))
    return samples


def table(samples: dict[str, list[float]], *, against: str) -> int:
    """Print the ratio table; return how many pages are above 2.0x the reference."""
    hub_median = statistics.median(samples[against])
    hub_p99 = p99(samples[against])
    header = (
        f"{'page':<34} | {'n':>4} | {'median ms':>9} | {'p99 ms':>7} | "
        f"{'median x hub':>12} | {'p99 x hub':>9}"
    )
    print(header)
    print("-" * len(header))
    over = 0
    for name, values in samples.items():
        median = statistics.median(values)
        ratio = median / hub_median
        over += ratio > 2.0
        print(
            f"{name:<34} | {len(values):>4} | {median:9.2f} | {p99(values):7.2f} | "
            f"{ratio:11.2f}x | {p99(values) / hub_p99:8.2f}x"
        )
    return over


def depth_table(samples: dict[str, list[float]], deep: dict[str, tuple[str, str]]) -> None:
    """First page against the deepest, per activity page: flat when the ratio stays near 1."""
    header = (
        f"{'page':<34} | {'first median':>12} | {'deepest median':>14} | {'first p99':>9} | "
        f"{'deepest p99':>11} | {'deepest/first':>13}"
    )
    print(header)
    print("-" * len(header))
    for name in deep:
        first, deepest = samples[f"{name} (first page)"], samples[f"{name} (deepest page)"]
        low, high = statistics.median(first), statistics.median(deepest)
        print(
            f"{name:<34} | {low:9.2f} ms | {high:11.2f} ms | {p99(first):6.2f} ms | "
            f"{p99(deepest):8.2f} ms | {high / low:12.2f}x"
        )


def server_env() -> dict[str, str]:
    env = {"DATABASE_URL": os.environ["DATABASE_URL"], "REDIS_URL": os.environ["REDIS_URL"]}
    if os.environ.get("CACHE_KEY_PREFIX"):
        env["CACHE_KEY_PREFIX"] = os.environ["CACHE_KEY_PREFIX"]
    env["DJANGO_SECRET_KEY"] = settings.SECRET_KEY
    return env


def main() -> int:
    print("Signed-in pages against the Account hub: gunicorn, production settings, 127.0.0.1")
    print(DESCRIPTION)
    pages, profile = demo_pages()
    deep: dict[str, tuple[str, str]] = {}
    if ARGS.viewings or ARGS.table:
        import _viewings

        deep = _viewings.fill(profile, viewings=ARGS.viewings, table=ARGS.table)
    print(
        f"{ARGS.workers} gunicorn worker(s), sequential requests, up to {ARGS.rounds} rounds "
        f"or {ARGS.seconds} s; each round GETs every page once, in a shuffled order"
    )
    with _servers.gunicorn(server_env(), workers=ARGS.workers) as url:
        http = sign_in(url, profile)
        samples = measure(http, url, pages)
        depths = (
            measure(
                http,
                url,
                {
                    f"{name} ({where})": path
                    for name, paths in deep.items()
                    for where, path in zip(("first page", "deepest page"), paths, strict=True)
                },
            )
            if deep
            else {}
        )
    print()
    over = table(samples, against=HUB)
    print()
    print(f"Pages above 2.0x the hub's median: {over}")
    if depths:
        print()
        depth_table(depths, deep)
    print(f"At the end: {_setup.load_average()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
