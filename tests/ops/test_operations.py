"""Operating the site: health checks, the page while the database is down, cacheable posters,
the gunicorn settings."""

from __future__ import annotations

import runpy
from pathlib import Path

import pytest
from django.db import InterfaceError, OperationalError

from catalog.models import Title
from tests.catalog.factories import TitleFactory
from tests.client import Client

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def test_healthz_answers_without_the_database_even_for_a_signed_in_browser(
    user, sign_in, django_assert_max_num_queries
):
    browser = sign_in(user)
    for client in (Client(), browser):
        with django_assert_max_num_queries(0):
            response = client.get("/healthz")
        assert response.status_code == 200
        assert response.content == b"ok\n"


def test_readyz_reports_the_database_the_cache_and_the_task_queue(client):
    response = client.get("/readyz")

    assert response.status_code == 200
    assert response.content.decode() == (
        "database: ok\ncache: ok\n"
        "queue: 0 due\n"
        "mail: 0 waiting, 0 given up (admin: mail tasks)\n"
        "queue_upkeep: last ran never\n"
        "prune_devices: last ran never\n"
    )


def test_health_checks_are_never_tracked_as_device_activity(user, sign_in):
    browser = sign_in(user)
    device = user.devices.get()
    before = device.last_seen_at

    browser.get("/readyz", REMOTE_ADDR="203.0.113.9")

    device.refresh_from_db()
    assert (device.last_seen_at, device.ip) == (before, "127.0.0.1")


@pytest.mark.parametrize("error", [OperationalError, InterfaceError])
def test_database_down_answers_a_branded_503_with_retry_after(
    user, sign_in, monkeypatch, error, settings
):
    browser = sign_in(user)

    def unreachable(*args, **kwargs):
        raise error("connection to server at 127.0.0.1, port 5432 failed: Connection refused")

    # Every query fails, as when the database server is gone (the session load included).
    monkeypatch.setattr("django.db.backends.utils.CursorWrapper.execute", unreachable)
    browser.raise_request_exception = False
    response = browser.get("/account/devices/")

    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    page = response.content.decode()
    assert "Back in a moment" in page
    assert "StreamGuard" in page
    assert "Traceback" not in page
    assert "5432" not in page
    # The database comes back before the test's own clean-up (the cache table) needs it.
    monkeypatch.undo()


def test_other_errors_are_still_a_500(client, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr("django.db.backends.utils.CursorWrapper.execute", broken)
    client.raise_request_exception = False

    assert client.get("/readyz").status_code == 500
    monkeypatch.undo()


def test_posters_are_cached_by_the_browser_and_revalidated_with_an_etag(profile, watch_as):
    TitleFactory(slug="grim-gritty", name="Grim")
    browser = watch_as(profile)

    first = browser.get("/title/grim-gritty/poster.svg")
    assert first.status_code == 200
    assert "private" in first["Cache-Control"]
    assert "max-age=86400" in first["Cache-Control"]
    again = browser.get("/title/grim-gritty/poster.svg", headers={"If-None-Match": first["ETag"]})

    assert again.status_code == 304
    assert again.content == b""
    Title.objects.filter(slug="grim-gritty").update(name="Grim, renamed")
    changed = browser.get("/title/grim-gritty/poster.svg", headers={"If-None-Match": first["ETag"]})
    assert changed.status_code == 200


def test_a_poster_etag_does_not_get_past_the_profile_s_access(profile, kids_profile, watch_as):
    TitleFactory(slug="blood", name="Blood", rating="NC-17")
    adult = watch_as(profile)
    etag = adult.get("/title/blood/poster.svg")["ETag"]
    kids = watch_as(kids_profile)

    assert kids.get("/title/blood/poster.svg", headers={"If-None-Match": etag}).status_code == 404


def test_gunicorn_settings_use_threads_and_keep_query_strings_out_of_the_log(monkeypatch):
    monkeypatch.delenv("GUNICORN_WORKERS", raising=False)
    conf = runpy.run_path(str(ROOT / "config" / "gunicorn.conf.py"))

    assert conf["worker_class"] == "gthread"
    assert conf["workers"] >= 2
    assert conf["threads"] > 1
    assert conf["graceful_timeout"] > 0
    assert "%(U)s" in conf["access_log_format"]
    assert "%(r)s" not in conf["access_log_format"]
    assert "%(q)s" not in conf["access_log_format"]
