"""Signing out takes effect on the very next request, on every server-side session engine."""

from __future__ import annotations

import pytest
from django.contrib.auth import BACKEND_SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore as DbSessionStore
from django.core.cache import cache

from devices import services
from devices.models import Device
from tests.client import Client
from tests.conftest import CHROME_WINDOWS, SAFARI_IPHONE, SAMSUNG_TV
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _signed_in(client: Client) -> bool:
    return client.get("/account/").status_code == 200


def test_signed_out_device_is_signed_out_on_its_next_request(session_engine, user, sign_in):
    laptop = sign_in(user, user_agent=CHROME_WINDOWS)
    phone = sign_in(user, user_agent=SAFARI_IPHONE)
    phone_device = Device.objects.get(user=user, name="Safari on iPhone")

    response = laptop.post(f"/account/devices/{phone_device.id}/sign-out/")

    assert response.status_code == 302
    assert not _signed_in(phone)
    assert _signed_in(laptop)
    phone_device.refresh_from_db()
    assert phone_device.signed_out_reason == Device.SignOutReason.REMOTE


def test_revoked_htmx_request_gets_a_client_redirect_to_sign_in(session_engine, user, sign_in):
    laptop = sign_in(user, user_agent=CHROME_WINDOWS)
    phone = sign_in(user, user_agent=SAFARI_IPHONE)
    phone_device = Device.objects.get(user=user, name="Safari on iPhone")
    laptop.post(f"/account/devices/{phone_device.id}/sign-out/")

    response = phone.get(
        "/account/devices/",
        headers={"HX-Request": "true", "HX-Current-URL": "http://testserver/account/devices/"},
    )

    assert response.status_code == 200
    assert response["HX-Redirect"].startswith("/login/?next=/account/devices/")
    assert b"<form" not in response.content


def test_sign_out_all_devices_signs_out_every_device_including_this_one(
    session_engine, user, sign_in
):
    laptop = sign_in(user, user_agent=CHROME_WINDOWS)
    phone = sign_in(user, user_agent=SAFARI_IPHONE)
    tv = sign_in(user, user_agent=SAMSUNG_TV)

    response = laptop.post("/account/devices/sign-out-all/", {"scope": "all"})

    assert response.status_code == 302
    assert response["Location"] == "/login/"
    assert not any(_signed_in(client) for client in (laptop, phone, tv))
    assert not Device.objects.for_account(user).signed_in().exists()


def test_sign_out_all_other_devices_keeps_this_one(session_engine, user, sign_in):
    laptop = sign_in(user, user_agent=CHROME_WINDOWS)
    phone = sign_in(user, user_agent=SAFARI_IPHONE)
    tv = sign_in(user, user_agent=SAMSUNG_TV)

    laptop.post("/account/devices/sign-out-all/", {"scope": "others"})

    assert _signed_in(laptop)
    assert not _signed_in(phone)
    assert not _signed_in(tv)
    assert list(Device.objects.for_account(user).signed_in().values_list("name", flat=True)) == [
        "Chrome on Windows"
    ]


def test_sign_out_all_keeps_other_accounts_signed_in(session_engine, user, other_user, sign_in):
    mine = sign_in(user)
    theirs = sign_in(other_user, user_agent=SAFARI_IPHONE)

    mine.post("/account/devices/sign-out-all/", {"scope": "all"})

    assert _signed_in(theirs)


def test_sign_out_all_kills_a_session_nothing_tracked(session_engine, user, sign_in):
    """The per-account generation in the auth hash ends sessions with no Device row."""
    tracked = sign_in(user)
    untracked = sign_in(user, user_agent=SAFARI_IPHONE)
    Device.objects.filter(user=user, name="Safari on iPhone").delete()

    tracked.post("/account/devices/sign-out-all/", {"scope": "others"})

    assert _signed_in(tracked)
    assert not _signed_in(untracked)


def test_sign_out_all_kills_a_session_whose_store_delete_was_missed(user, sign_in, settings):
    """A cached copy that outlived its delete is still refused: the auth hash no longer matches."""
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    laptop = sign_in(user)
    phone = sign_in(user, user_agent=SAFARI_IPHONE)
    phone_key = phone.cookies[settings.SESSION_COOKIE_NAME].value
    # Point the phone's device at another key, so the store delete misses the real session.
    Device.objects.filter(user=user, name="Safari on iPhone").update(session_key="x" * 32)

    laptop.post("/account/devices/sign-out-all/", {"scope": "others"})

    assert cache.get("django.contrib.sessions.cached_db" + phone_key) is not None
    assert not _signed_in(phone)


def test_single_sign_out_deletes_the_cached_session_copy(
    user, sign_in, settings, django_capture_on_commit_callbacks
):
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    laptop = sign_in(user)
    phone = sign_in(user, user_agent=SAFARI_IPHONE)
    phone_key = phone.cookies[settings.SESSION_COOKIE_NAME].value
    assert cache.get("django.contrib.sessions.cached_db" + phone_key) is not None
    device = Device.objects.get(user=user, name="Safari on iPhone")

    with django_capture_on_commit_callbacks() as callbacks:
        laptop.post(f"/account/devices/{device.id}/sign-out/")
        # The row goes in the sign-out's transaction; the cached copy only after it commits.
        assert not DbSessionStore().exists(phone_key)
        assert cache.get("django.contrib.sessions.cached_db" + phone_key) is not None
    for callback in callbacks:
        callback()

    assert cache.get("django.contrib.sessions.cached_db" + phone_key) is None
    assert not DbSessionStore().exists(phone_key)
    assert not _signed_in(phone)


def test_secret_key_rotation_keeps_sessions_signed_in(user, sign_in, settings):
    """The generation is mixed into the auth hash without breaking SECRET_KEY_FALLBACKS."""
    client = sign_in(user)
    old_key = settings.SECRET_KEY
    settings.SECRET_KEY = "a-brand-new-secret-key-for-the-rotation-test-0123456789"
    settings.SECRET_KEY_FALLBACKS = [old_key]

    assert _signed_in(client)


def test_sign_out_all_runs_a_fixed_number_of_queries(user, sign_in, django_assert_max_num_queries):
    for n in range(3):
        sign_in(user, user_agent=f"{CHROME_WINDOWS} #{n}")
    other_accounts = UserFactory.create_batch(5)
    for other in other_accounts:
        sign_in(other)
    with django_assert_max_num_queries(8) as few:
        services.sign_out_all(user=user)
    few_count = len(few.captured_queries)

    for n in range(30):
        sign_in(user, user_agent=f"{SAFARI_IPHONE} #{n}")
    with django_assert_max_num_queries(8) as many:
        services.sign_out_all(user=user)

    assert len(many.captured_queries) == few_count


def test_signed_out_device_cannot_be_brought_back_by_its_old_cookie(user, sign_in, settings):
    phone = sign_in(user, user_agent=SAFARI_IPHONE)
    old_session = phone.cookies[settings.SESSION_COOKIE_NAME].value
    device = Device.objects.get(user=user)
    services.sign_out_device(device=device)

    replay = Client(headers={"user-agent": SAFARI_IPHONE})
    replay.cookies[settings.SESSION_COOKIE_NAME] = old_session

    assert replay.get("/account/").status_code == 302


@pytest.mark.parametrize(
    "backend",
    ["django.contrib.auth.backends.ModelBackend", "django_otp_webauthn.backends.WebAuthnBackend"],
    ids=["password", "passkey"],
)
def test_a_surviving_cached_copy_of_a_signed_out_device_is_refused_on_its_next_request(
    user, sign_in, settings, backend
):
    """The race of two workers: a copy written back to the cache after the sign-out's delete,
    for a session signed in with a password or with a passkey."""
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    laptop = sign_in(user)
    phone = sign_in(user, user_agent=SAFARI_IPHONE)
    phone_key = phone.cookies[settings.SESSION_COOKIE_NAME].value
    cache_key = "django.contrib.sessions.cached_db" + phone_key
    stale_copy = cache.get(cache_key)
    stale_copy[BACKEND_SESSION_KEY] = backend
    device = Device.objects.get(user=user, name="Safari on iPhone")

    laptop.post(f"/account/devices/{device.id}/sign-out/")
    cache.set(cache_key, stale_copy)  # what another worker could write back meanwhile

    assert phone.get("/account/").status_code == 302
    assert cache.get(cache_key) is None  # the refusal deletes the copy too
    assert _signed_in(laptop)


@pytest.mark.parametrize("engine", ["cached_db", "cache"])
def test_the_device_check_costs_no_query_on_a_cached_session(
    user, sign_in, settings, django_assert_max_num_queries, engine
):
    """The user is loaded on every signed-in request anyway; the device's state comes with it."""
    if settings.CACHES["default"]["BACKEND"].endswith("DatabaseCache"):
        # The path Redis serves: a memory cache stands in for it on the SQLite leg, whose
        # default cache is a database table (itself a query).
        settings.CACHES = {
            **settings.CACHES,
            "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        }
    settings.SESSION_ENGINE = f"django.contrib.sessions.backends.{engine}"
    laptop = sign_in(user)
    # A signed-in page whose view reads nothing (the Account hub reads its entries' state).
    laptop.get("/language/")
    with django_assert_max_num_queries(1) as captured:
        assert laptop.get("/language/").status_code == 200
    (query,) = (q["sql"] for q in captured.captured_queries)
    assert "accounts_user" in query
    assert "devices_device" in query
