"""At most one device write per device per activity interval, also when a page loads with
parallel requests: counted by triggers of the test's own on the real tables of a live server,
on whichever database the suite runs on."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import replace
from datetime import timedelta
from threading import Barrier

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from devices.models import Device
from devices.sessions import DeviceStamp, session_store_class
from tests.factories import UserFactory
from tests.http import Browser

pytestmark = pytest.mark.django_db(transaction=True)

PARALLEL = 6  # a page and its images, fetched at once
ROUNDS = 5

_SQLITE = {
    "create": [
        "CREATE TABLE sg_test_writes (tbl TEXT, row_id TEXT)",
        "CREATE TRIGGER sg_test_device AFTER UPDATE ON devices_device BEGIN "
        "INSERT INTO sg_test_writes VALUES ('devices_device', CAST(NEW.id AS TEXT)); END",
        "CREATE TRIGGER sg_test_session_update AFTER UPDATE ON django_session BEGIN "
        "INSERT INTO sg_test_writes VALUES ('django_session', NEW.session_key); END",
        "CREATE TRIGGER sg_test_session_insert AFTER INSERT ON django_session BEGIN "
        "INSERT INTO sg_test_writes VALUES ('django_session', NEW.session_key); END",
    ],
    "drop": [
        "DROP TRIGGER IF EXISTS sg_test_device",
        "DROP TRIGGER IF EXISTS sg_test_session_update",
        "DROP TRIGGER IF EXISTS sg_test_session_insert",
        "DROP TABLE IF EXISTS sg_test_writes",
    ],
}
_POSTGRESQL = {
    "create": [
        "CREATE TABLE sg_test_writes (tbl TEXT, row_id TEXT)",
        "CREATE FUNCTION sg_test_count() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        "INSERT INTO sg_test_writes VALUES (TG_TABLE_NAME, to_jsonb(NEW) ->> TG_ARGV[0]); "
        "RETURN NEW; END $$",
        "CREATE TRIGGER sg_test_device AFTER UPDATE ON devices_device "
        "FOR EACH ROW EXECUTE FUNCTION sg_test_count('id')",
        "CREATE TRIGGER sg_test_session AFTER INSERT OR UPDATE ON django_session "
        "FOR EACH ROW EXECUTE FUNCTION sg_test_count('session_key')",
    ],
    "drop": [
        "DROP TRIGGER IF EXISTS sg_test_device ON devices_device",
        "DROP TRIGGER IF EXISTS sg_test_session ON django_session",
        "DROP FUNCTION IF EXISTS sg_test_count()",
        "DROP TABLE IF EXISTS sg_test_writes",
    ],
}


class Writes:
    def __init__(self, device: Device, session_key: str) -> None:
        self.device_id = device.id.hex
        self.session_key = session_key

    def _rows(self) -> list[tuple[str, str]]:
        with connection.cursor() as cursor:
            cursor.execute("SELECT tbl, row_id FROM sg_test_writes")
            return list(cursor.fetchall())

    def device(self) -> int:
        return sum(
            tbl == "devices_device" and row_id.replace("-", "") == self.device_id
            for tbl, row_id in self._rows()
        )

    def session(self) -> int:
        return sum(
            tbl == "django_session" and row_id == self.session_key for tbl, row_id in self._rows()
        )

    def reset(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM sg_test_writes")


@contextmanager
def counted_writes(device: Device, session_key: str) -> Iterator[Writes]:
    """Every row written to devices_device and django_session, as the database sees it."""
    sql = _SQLITE if connection.vendor == "sqlite" else _POSTGRESQL
    with connection.cursor() as cursor:
        for statement in sql["drop"]:
            cursor.execute(statement)
        for statement in sql["create"]:
            cursor.execute(statement)
    try:
        yield Writes(device, session_key)
    finally:
        with connection.cursor() as cursor:
            for statement in sql["drop"]:
                cursor.execute(statement)


def _at_once(calls):
    barrier = Barrier(len(calls))

    def run(call):
        barrier.wait(timeout=10)
        return call()

    with ThreadPoolExecutor(len(calls)) as pool:
        return list(pool.map(run, calls))


def _interval_over(device: Device, session_key: str) -> None:
    """Both clocks of the device one interval back: its row's and its session's stamp."""
    back = settings.DEVICE_ACTIVITY_INTERVAL_SECONDS + 60
    Device.objects.filter(pk=device.pk).update(
        last_seen_at=timezone.now() - timedelta(seconds=back)
    )
    store = session_store_class()(session_key)
    stamp = DeviceStamp.read(store)
    assert stamp is not None
    replace(stamp, at=stamp.at - back).write(store)
    store.save()


def test_parallel_requests_after_the_interval_write_the_device_row_once(live_server):
    user = UserFactory()
    browser = Browser(live_server.url).sign_in(user.email)
    assert browser.get("/account/").status_code == 200
    device = user.devices.get()
    session_key = browser.http.cookies[settings.SESSION_COOKIE_NAME]

    with counted_writes(device, session_key) as writes:
        for _ in range(ROUNDS):  # a race lost once in a while would still show
            _interval_over(device, session_key)
            seen_before = Device.objects.get(pk=device.pk).last_seen_at
            writes.reset()
            pages = _at_once([lambda: browser.get("/account/")] * PARALLEL)
            assert [page.status_code for page in pages] == [200] * PARALLEL
            # One UPDATE of the device row and one session write that carries the new stamp
            # (and slides the idle expiry), however many requests found the interval over.
            assert (writes.device(), writes.session()) == (1, 1)
            assert Device.objects.get(pk=device.pk).last_seen_at > seen_before

            writes.reset()
            again = _at_once([lambda: browser.get("/account/")] * PARALLEL)
            assert [page.status_code for page in again] == [200] * PARALLEL
            assert (writes.device(), writes.session()) == (0, 0)  # within the interval


def test_one_request_after_the_interval_writes_the_device_row_once(live_server):
    user = UserFactory()
    browser = Browser(live_server.url).sign_in(user.email)
    assert browser.get("/account/").status_code == 200
    device = user.devices.get()
    session_key = browser.http.cookies[settings.SESSION_COOKIE_NAME]
    _interval_over(device, session_key)

    with counted_writes(device, session_key) as writes:
        for _ in range(5):
            assert browser.get("/account/").status_code == 200

        assert (writes.device(), writes.session()) == (1, 1)
