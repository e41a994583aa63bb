"""Device tracking on and off: a signed-in page under load, in one run.

A client signs in through the real /login/ page (so the session carries its device), picks
a profile and then GETs a signed-in page many times, in interleaved rounds: with the normal
MIDDLEWARE (tracking on) and with MIDDLEWARE minus DeviceActivityMiddleware (tracking off),
plus rounds with DEVICE_ACTIVITY_INTERVAL_SECONDS=0 (tracking writes on every request) to
show what the interval saves. The promise: tracking costs a signed-in page nothing
measurable (requests/second on/off >= 0.95) and no extra query within the interval.

    .venv/bin/python bench/tracking.py [--rounds 5] [--requests 500]

Runs on a throwaway SQLite database (or --database-url postgres://.../<name with bench>),
with --redis-url on the scale-out run's Redis cache and cached_db sessions.
Prints figures only; nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import gc
import itertools
import logging
import re
import statistics
import sys
import time
from http.cookies import SimpleCookie
from typing import NamedTuple
from urllib.parse import urlencode

import _setup

TRACKING = "devices.middleware.DeviceActivityMiddleware"
USER_AGENT = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36"
)
EMAIL = "bench@example.com"
PASSWORD = "correct-horse-battery-staple"
FORM = "application/x-www-form-urlencoded"


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5, help="rounds of each mode")
    parser.add_argument("--requests", type=int, default=500, help="requests per round")
    parser.add_argument(
        "--block", type=int, default=50, help="requests in a row before the next mode's turn"
    )
    parser.add_argument("--path", default="/account/", help="the signed-in page to GET")
    parser.add_argument("--database-url", help="postgres://... database to create and drop")
    parser.add_argument("--redis-url", help="redis://... for the Redis cache and sessions")
    return parser.parse_args()


ARGS = parse_args()
DESCRIPTION = _setup.django_setup(ARGS.database_url, ARGS.redis_url)

from django.conf import settings  # noqa: E402
from django.contrib.sessions.models import Session  # noqa: E402
from django.db import connection  # noqa: E402
from django.http import HttpRequest, HttpResponse  # noqa: E402
from django.test import Client, RequestFactory, override_settings  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from accounts.services import account_create  # noqa: E402
from devices.middleware import DeviceActivityMiddleware  # noqa: E402
from devices.models import Device  # noqa: E402
from devices.sessions import SESSION_DEVICE_KEY, session_store_class  # noqa: E402

ON, OFF, CONTROL, WRITE = "tracking on", "tracking off", "off (control)", "on, interval 0"


def signed_in_clients() -> dict[str, Client]:
    """One browser signed in through /login/, as a client per middleware stack.

    A second tracking-off client is the control: how far it lands from the first is how
    far apart two identical setups measure on this machine, i.e. the noise.
    """
    user = account_create(email=EMAIL, password=PASSWORD, name="Bench")
    on = Client(headers={"user-agent": USER_AGENT})
    # Urlencoded, as browsers post: the site refuses multipart where it takes no files.
    response = on.post(
        "/login/", urlencode({"username": EMAIL, "password": PASSWORD}), content_type=FORM
    )
    if response.status_code != 302:
        raise SystemExit(f"Sign-in failed: {response.status_code}")
    profile = user.profiles.get()
    response = on.post(f"/profiles/{profile.public_id}/pick/", "", content_type=FORM)
    if response.status_code != 302:
        raise SystemExit(f"Picking the profile failed: {response.status_code}")
    session = Session.objects.get(session_key=on.cookies[settings.SESSION_COOKIE_NAME].value)
    info = session.get_decoded().get(SESSION_DEVICE_KEY)
    device = Device.objects.get(user=user)
    if not info or info["id"] != str(device.id):
        raise SystemExit("The session does not carry its device: tracking is not wired.")
    get(on)  # loads this client's middleware chain with the normal MIDDLEWARE
    # Handlers build their middleware chain on the first request, from the settings then.
    with override_settings(MIDDLEWARE=[m for m in settings.MIDDLEWARE if m != TRACKING]):
        off, control = (Client(headers={"user-agent": USER_AGENT}) for _ in range(2))
        for client in (off, control):
            client.cookies = SimpleCookie(on.cookies.output(header="", sep="\n"))
            get(client)
    return {ON: on, OFF: off, CONTROL: control, WRITE: on}


def get(client: Client, path: str | None = None) -> None:
    response = client.get(path or ARGS.path)
    if response.status_code != 200:
        raise SystemExit(f"GET {path or ARGS.path} answered {response.status_code}, not 200.")


def interval(mode: str) -> override_settings:
    seconds = 0 if mode == WRITE else settings.DEVICE_ACTIVITY_INTERVAL_SECONDS
    return override_settings(DEVICE_ACTIVITY_INTERVAL_SECONDS=seconds)


def one_request_queries(client: Client, mode: str, path: str | None = None) -> list[str]:
    with interval(mode), CaptureQueriesContext(connection) as captured:
        client.get(path or ARGS.path)
    # Literals (timestamps, keys) vary from request to request; the statements must not.
    return [re.sub(r"'[^']*'", "?", query["sql"]) for query in captured.captured_queries]


class Round(NamedTuple):
    rps: float  # requests per wall-clock second
    cpu_ms: float  # this process's CPU time per request: less moved by other processes


def timed_round(clients: dict[str, Client], number: int) -> dict[str, Round]:
    """Each mode's speed over one round, the modes taking turns in blocks."""
    wall = dict.fromkeys(clients, 0.0)
    cpu = dict.fromkeys(clients, 0.0)
    # Every order of the modes in turn: each mode goes first, and follows each other mode,
    # equally often, so drift and the write path's after-effects hit all alike.
    orders = list(itertools.permutations(clients))
    blocks_per_round = -(-ARGS.requests // ARGS.block)
    gc.collect()
    for block_number in range(blocks_per_round):
        block = min(ARGS.block, ARGS.requests - block_number * ARGS.block)
        for mode in orders[(number * blocks_per_round + block_number) % len(orders)]:
            client = clients[mode]
            with interval(mode):
                wall_started, cpu_started = time.perf_counter(), time.process_time()
                for _ in range(block):
                    get(client)
                wall[mode] += time.perf_counter() - wall_started
                cpu[mode] += time.process_time() - cpu_started
    return {
        mode: Round(ARGS.requests / wall[mode], cpu[mode] / ARGS.requests * 1000)
        for mode in clients
    }


def middleware_alone(client: Client, calls: int = 20_000) -> tuple[float, int]:
    """Microseconds DeviceActivityMiddleware adds to a request within the interval, and queries.

    Timed on its own, on a request whose session and user are already loaded (the page
    loads them anyway), against a pass-through: free of the page's own noise.
    """
    user = Device.objects.select_related("user").get().user
    response = HttpResponse()
    middleware = DeviceActivityMiddleware(lambda request: response)
    request = RequestFactory().get(ARGS.path, headers={"user-agent": USER_AGENT})
    request.session = session_store_class()(client.cookies[settings.SESSION_COOKIE_NAME].value)
    request.user = user
    middleware(request)  # loads the session, as SessionMiddleware's first reader would
    with CaptureQueriesContext(connection) as captured:
        middleware(request)

    def per_call(func) -> float:
        started = time.perf_counter()
        for _ in range(calls):
            func(request)
        return (time.perf_counter() - started) / calls * 1e6

    def passthrough(request: HttpRequest) -> HttpResponse:
        return response

    gc.collect()
    tracked = min(per_call(middleware) for _ in range(5))
    bare = min(per_call(passthrough) for _ in range(5))
    return tracked - bare, len(captured.captured_queries)


def main() -> int:
    print("Device tracking on and off: a signed-in page under load")
    print(DESCRIPTION)
    settings.ALLOWED_HOSTS = ["testserver"]
    clients = signed_in_clients()
    device = Device.objects.get()
    print(
        f"GET {ARGS.path} as a signed-in browser with a profile picked; "
        f"{ARGS.rounds} rounds x {ARGS.requests} requests per mode, the modes taking turns "
        f"in blocks of {ARGS.block}; "
        f"DEVICE_ACTIVITY_INTERVAL_SECONDS={settings.DEVICE_ACTIVITY_INTERVAL_SECONDS}, "
        f"DEBUG={settings.DEBUG}"
    )

    for mode, client in clients.items():  # warm-up: templates, URL resolver, connections
        with interval(mode):
            for _ in range(50):
                get(client)

    modes = list(clients)
    rounds: dict[str, list[Round]] = {mode: [] for mode in modes}
    for number in range(ARGS.rounds):
        for mode, result in timed_round(clients, number).items():
            rounds[mode].append(result)
        print(
            f"  round {number + 1}: " + ", ".join(f"{m} {rounds[m][-1].rps:6.1f}/s" for m in modes)
        )
    rps = {mode: [r.rps for r in rounds[mode]] for mode in modes}
    cpu = {mode: statistics.median(r.cpu_ms for r in rounds[mode]) for mode in modes}

    queries = {mode: one_request_queries(clients[mode], mode) for mode in modes}
    queries[OFF + ", interval 0"] = one_request_queries(clients[OFF], WRITE)
    last_seen_before = Device.objects.get(pk=device.pk).last_seen_at
    one_request_queries(clients[OFF], WRITE)
    off_writes = Device.objects.get(pk=device.pk).last_seen_at != last_seen_before

    print()
    header = (
        f"{'mode':<16} | {'median req/s':>12} | {'min req/s':>9} | {'max req/s':>9} | "
        f"{'CPU ms/req':>10} | queries/request"
    )
    print(header)
    print("-" * len(header))
    for mode in modes:
        print(
            f"{mode:<16} | {statistics.median(rps[mode]):12.1f} | {min(rps[mode]):9.1f} | "
            f"{max(rps[mode]):9.1f} | {cpu[mode]:10.3f} | {len(queries[mode])}"
        )
    # The modes of a round ran in the same minutes: compare them round by round.
    per_round = [on / off for on, off in zip(rps[ON], rps[OFF], strict=True)]
    noise = [control / off for control, off in zip(rps[CONTROL], rps[OFF], strict=True)]
    ratio = statistics.median(per_round)
    print()
    print(
        f"on/off requests/s, median of the rounds: {ratio:.3f} -> promise >= 0.95 "
        f"{'met' if ratio >= 0.95 else 'NOT met'}"
    )
    print(f"    rounds: {', '.join(f'{r:.3f}' for r in per_round)}")
    print(
        f"control/off (the same setup twice, i.e. the noise): {statistics.median(noise):.3f}"
        f"; rounds: {', '.join(f'{r:.3f}' for r in noise)}"
    )
    print(
        f"on/off by CPU time per request: {cpu[OFF] / cpu[ON]:.3f}"
        f" (control/off {cpu[OFF] / cpu[CONTROL]:.3f})"
    )
    alone_us, alone_queries = middleware_alone(clients[ON])
    off_ms = 1000 / statistics.median(rps[OFF])
    print(
        f"DeviceActivityMiddleware alone, within the interval: {alone_us:.1f} us and "
        f"{alone_queries} queries per request = {alone_us / 10 / off_ms:.2f}% of one "
        f"tracking-off request ({off_ms:.2f} ms)"
    )
    same = queries[ON] == queries[OFF]
    print(
        f"queries per request within the interval: on {len(queries[ON])}, off {len(queries[OFF])}"
        f" -> {'equal, same SQL' if same else 'DIFFERENT'}"
    )
    for sql in queries[ON]:
        print(f"    {sql[:110]}")
    extra = [sql for sql in queries[WRITE] if sql not in queries[ON]]
    print(
        f"write path (DEVICE_ACTIVITY_INTERVAL_SECONDS=0): {len(queries[WRITE])} queries per "
        f"request, {len(queries[WRITE]) - len(queries[ON])} more than within the interval:"
    )
    for sql in extra:
        print(f"    {sql[:110]}")
    print(
        f"tracking off with interval 0: {len(queries[OFF + ', interval 0'])} queries, device "
        f"last_seen_at {'CHANGED (middleware still loaded?)' if off_writes else 'untouched'}"
    )
    print(
        f"write path vs within the interval: "
        f"{statistics.median(rps[WRITE]) / statistics.median(rps[ON]):.3f} of the requests/second"
    )

    # A request that never touches the session or the user (an unknown URL's plain 404).
    logging.getLogger("django.request").setLevel(logging.ERROR)
    not_found = "/bench-no-such-page/"
    on_404 = one_request_queries(clients[ON], ON, not_found)
    off_404 = one_request_queries(clients[OFF], OFF, not_found)
    print(
        f"a 404 for a signed-in client (page reads neither session nor user): "
        f"on {len(on_404)} queries, off {len(off_404)}"
    )
    for sql in on_404:
        if sql not in off_404:
            print(f"    on only: {sql[:100]}")
    print(f"At the end: {_setup.load_average()}")
    return 0 if same and not off_writes else 1


if __name__ == "__main__":
    sys.exit(main())
