"""Redis is an accelerator, never the truth: with it down the site serves from the database,
and a sign-out made meanwhile stays final when Redis returns, even from a stale snapshot."""

from __future__ import annotations

import io
import logging

import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.test import RequestFactory

from accounts.throttle import signin_throttle
from devices.models import Device
from tests.client import Client
from tests.conftest import SAFARI_IPHONE, SAMSUNG_TV
from tests.servers import RedisServer

pytestmark = pytest.mark.django_db

SESSION_PREFIX = "django.contrib.sessions.cached_db"


@pytest.fixture
def redis_server(tmp_path, settings):
    """The scale-out run's caches and sessions, on a redis-server of this test's own."""
    server = RedisServer(tmp_path)
    server.start()
    options = {"SOCKET_CONNECT_TIMEOUT": 0.5, "SOCKET_TIMEOUT": 0.5, "RETRY_SECONDS": 0}
    redis_cache = {
        "BACKEND": "config.cache.ResilientRedisCache",
        "LOCATION": server.url,
        "OPTIONS": options,
    }
    settings.CACHES = {
        "default": redis_cache,
        "throttle": {**redis_cache, "OPTIONS": {**options, "FALLBACK": "throttle_fallback"}},
        "throttle_fallback": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "streamguard_throttle_fallback",
        },
    }
    settings.RATELIMIT_USE_CACHE = "throttle"
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    call_command("createcachetable", verbosity=0)
    yield server
    server.stop()


def _signed_in(client) -> bool:
    response = client.get("/account/")
    assert response.status_code in (200, 302), response.status_code
    return response.status_code == 200


def _outage_logs(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "streamguard.redis"]


def test_pages_and_sign_in_serve_from_the_database_while_redis_is_down(
    redis_server, user, sign_in, caplog
):
    laptop = sign_in(user)
    assert _signed_in(laptop)
    caplog.set_level(logging.WARNING, logger="streamguard.redis")

    redis_server.stop()
    for _ in range(5):
        assert laptop.get("/account/").status_code == 200
    assert laptop.get("/account/devices/").status_code == 200
    phone = sign_in(user, user_agent=SAFARI_IPHONE)  # asserts the 302 of a real sign-in
    assert _signed_in(phone)

    (went_down,) = _outage_logs(caplog)  # once for the outage, not once per request
    assert "unreachable" in went_down
    redis_server.start()
    assert _signed_in(phone)
    assert "is back" in _outage_logs(caplog)[-1]
    assert len(_outage_logs(caplog)) == 2


def test_sign_out_while_redis_is_down_stays_final_after_a_stale_snapshot_returns(
    redis_server, user, sign_in, settings, django_capture_on_commit_callbacks
):
    laptop = sign_in(user)
    phone = sign_in(user, user_agent=SAFARI_IPHONE)
    tv = sign_in(user, user_agent=SAMSUNG_TV)
    phone_key = phone.cookies[settings.SESSION_COOKIE_NAME].value
    tv_key = tv.cookies[settings.SESSION_COOKIE_NAME].value
    redis_server.snapshot()  # Redis will come back from this, older than the sign-outs
    phone_device = Device.objects.get(user=user, name="Safari on iPhone")

    redis_server.stop()
    with django_capture_on_commit_callbacks(execute=True):
        response = laptop.post(f"/account/devices/{phone_device.id}/sign-out/")
        assert response.status_code == 302
        assert tv.post("/logout/").status_code == 302  # the TV signs itself out
    assert not _signed_in(phone)

    redis_server.start()
    cache = caches["default"]
    assert cache.get(SESSION_PREFIX + phone_key) is not None  # the stale copies are back
    assert cache.get(SESSION_PREFIX + tv_key) is not None
    # The devices still hold their old cookies (a refusal only asks the browser to drop it).
    for key, user_agent in ((phone_key, SAFARI_IPHONE), (tv_key, SAMSUNG_TV)):
        replay = Client(headers={"user-agent": user_agent})
        replay.cookies[settings.SESSION_COOKIE_NAME] = key
        assert not _signed_in(replay)
        assert cache.get(SESSION_PREFIX + key) is None  # the refusal deleted the stale copy
    assert _signed_in(laptop)
    assert Device.objects.for_account(user).signed_in().count() == 1


def test_sign_in_throttle_counts_in_the_database_while_redis_is_down(redis_server, settings):
    request = RequestFactory().post("/login/")
    throttle = signin_throttle()
    redis_server.stop()

    for _ in range(settings.SIGNIN_THROTTLE_ATTEMPTS):
        assert not throttle.blocked(request, email="someone@example.com")
        throttle.failed(request, email="someone@example.com")

    assert throttle.blocked(request, email="someone@example.com")
    assert not throttle.blocked(request, email="someone-else@example.com")


def test_signout_all_command_works_while_redis_is_down(
    redis_server, user, sign_in, django_capture_on_commit_callbacks
):
    phone = sign_in(user, user_agent=SAFARI_IPHONE)
    redis_server.stop()

    with django_capture_on_commit_callbacks(execute=True):
        call_command("signout_all", user.email, stdout=io.StringIO())

    assert not _signed_in(phone)
    redis_server.start()
    assert not _signed_in(phone)
    assert not Device.objects.for_account(user).signed_in().exists()
