"""Sign-out is final on every worker: a device polling two server processes from threads,
on the suite's database and a Redis of the test's own (cached_db sessions), is never served
signed in after the sign-out's response, for each way of signing a device out."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack

import pytest
import requests
from django.conf import settings

from devices.emails import not_me_token
from devices.models import Device
from tests.conftest import SAFARI_IPHONE, SAMSUNG_TV
from tests.factories import PASSWORD
from tests.http import Browser
from tests.servers import RedisServer, database_url, gunicorn, live_account

pytestmark = pytest.mark.django_db(transaction=True)

POLL_AFTER = 0.5  # seconds of polling after the sign-out answered
POLLERS = 3


@pytest.fixture(scope="module")
def servers(django_db_setup, django_db_blocker, tmp_path_factory):
    """Two gunicorn processes sharing the test database and a throwaway Redis."""
    redis_server = RedisServer(tmp_path_factory.mktemp("redis"))
    redis_server.start()
    env = {
        "DATABASE_URL": database_url(),
        "REDIS_URL": redis_server.url,
        "CACHE_KEY_PREFIX": "race",
        "DJANGO_SECRET_KEY": settings.SECRET_KEY,  # the test signs "This wasn't me" links
    }
    with ExitStack() as stack:
        with ThreadPoolExecutor(2) as pool:  # both start at once: half the waiting
            starting = [pool.submit(stack.enter_context, gunicorn(env)) for _ in range(2)]
            urls = [future.result() for future in starting]
        yield urls
    redis_server.stop()


def _poll(urls: list[str], path: str, cookie: str, user_agent: str, stop: threading.Event):
    """Replay the same session cookie at both servers in turn, as fast as they answer."""
    seen: list[tuple[float, int]] = []
    headers = {"Cookie": f"{settings.SESSION_COOKIE_NAME}={cookie}", "User-Agent": user_agent}
    n = 0
    while not stop.is_set():
        sent = time.monotonic()
        response = requests.get(
            urls[n % 2] + path, headers=headers, allow_redirects=False, timeout=30
        )
        seen.append((sent, response.status_code))
        n += 1
    return seen


def _race(urls, *, victim_agent: str, path: str, signed_in_status: int, sign_out) -> None:
    user = live_account()
    owner = Browser(urls[1]).sign_in(user.email)
    victim = Browser(urls[0], user_agent=victim_agent).sign_in(user.email)
    cookie = victim.http.cookies[settings.SESSION_COOKIE_NAME]
    device = Device.objects.get(user=user, session_key=cookie)
    stop = threading.Event()
    with ThreadPoolExecutor(POLLERS) as pool:
        polls = [pool.submit(_poll, urls, path, cookie, victim_agent, stop) for _ in range(POLLERS)]
        time.sleep(0.3)  # the pollers are serving, signed in, on both servers
        response = sign_out(owner, device)
        done = time.monotonic()
        assert response.status_code == 302, response.status_code
        assert "confirm-password" not in response.headers["Location"]
        time.sleep(POLL_AFTER)
        stop.set()
        seen = [entry for future in polls for entry in future.result()]
    assert all(status < 500 for _, status in seen), sorted({s for _, s in seen})
    before = [status for sent, status in seen if sent < done]
    after = [status for sent, status in seen if sent > done]
    assert signed_in_status in before  # it really was signed in while polling
    assert len(after) >= POLLERS  # and kept asking afterwards
    served_after = after.count(signed_in_status)
    assert served_after == 0, f"{served_after} of {len(after)} requests served after sign-out"
    device.refresh_from_db()
    assert device.signed_out_at is not None


def test_sign_out_is_final_on_both_servers(servers):
    _race(
        servers,
        victim_agent=SAFARI_IPHONE,
        path="/account/",
        signed_in_status=200,
        sign_out=lambda owner, device: owner.post(f"/account/devices/{device.id}/sign-out/"),
    )


def test_remove_is_final_on_both_servers(servers):
    _race(
        servers,
        victim_agent=SAFARI_IPHONE,
        path="/account/",
        signed_in_status=200,
        sign_out=_remove,
    )


def _remove(owner: Browser, device: Device):
    # Removing a device needs the password re-entered (sudo mode); signing out does not.
    assert owner.post("/account/confirm-password/", {"password": PASSWORD}).status_code == 302
    return owner.post(f"/account/devices/{device.id}/remove/")


def test_a_tv_signed_out_from_the_web_is_refused_on_both_servers(servers):
    _race(
        servers,
        victim_agent=SAMSUNG_TV,
        path="/tv/heartbeat/",
        signed_in_status=204,
        sign_out=lambda owner, device: owner.post(f"/account/devices/{device.id}/sign-out/"),
    )


def test_this_wasnt_me_is_final_on_both_servers(servers):
    _race(
        servers,
        victim_agent=SAFARI_IPHONE,
        path="/account/",
        signed_in_status=200,
        sign_out=lambda owner, device: Browser(owner.base_url).post(
            f"/account/devices/not-me/{not_me_token(device)}/"
        ),
    )
