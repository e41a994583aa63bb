"""A Device for every sign-in, kept current at almost no cost."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from accounts.models import SecurityEvent
from devices.models import Device
from devices.sessions import SESSION_DEVICE_KEY
from tests.client import Client
from tests.conftest import CHROME_WINDOWS, SAFARI_IPHONE, SAMSUNG_TV

pytestmark = pytest.mark.django_db


def test_sign_in_creates_a_device_named_from_the_user_agent(user, sign_in):
    sign_in(user, user_agent=SAMSUNG_TV, REMOTE_ADDR="81.2.69.142")

    device = Device.objects.get(user=user)
    assert (device.kind, device.name) == (Device.Kind.TV, "Samsung Smart TV")
    assert device.ip == "81.2.69.142"
    assert device.country == "GB"
    assert device.is_signed_in
    event = SecurityEvent.objects.get(user=user, kind=SecurityEvent.Kind.SIGNED_IN)
    assert (event.device_name, event.ip) == ("Samsung Smart TV", "81.2.69.142")


def test_same_browser_signing_in_again_stays_one_device(user, sign_in, password):
    browser = sign_in(user)
    browser.post("/logout/")
    browser.post("/login/", {"username": user.email, "password": password})

    device = Device.objects.get(user=user)
    assert device.is_signed_in
    assert device.signed_out_reason == ""


def test_device_cookie_is_signed_and_httponly(user, sign_in, settings):
    browser = sign_in(user)

    cookie = browser.cookies[settings.DEVICE_COOKIE_NAME]
    assert cookie["httponly"]
    assert str(Device.objects.get(user=user).cookie_id) in cookie.value
    assert ":" in cookie.value  # value:signature


def test_a_tampered_device_cookie_is_a_new_device(user, sign_in, password, settings):
    browser = sign_in(user)
    browser.post("/logout/")
    browser.cookies[settings.DEVICE_COOKIE_NAME] = "00000000-0000-0000-0000-000000000000:forged"
    browser.post("/login/", {"username": user.email, "password": password})

    assert Device.objects.filter(user=user).count() == 2


def test_signed_in_page_costs_no_extra_query_within_the_interval(
    user, sign_in, settings, django_assert_num_queries
):
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.db"  # counts below are for db
    browser = sign_in(user)
    # A signed-in page whose view reads nothing: what is counted is the middleware's cost.
    # (The Account hub reads where its entries stand, so it is no longer such a page.)
    browser.get("/language/")
    with django_assert_num_queries(2) as tracked:  # session, user
        browser.get("/language/")

    settings.MIDDLEWARE = [
        m for m in settings.MIDDLEWARE if m != "devices.middleware.DeviceActivityMiddleware"
    ]
    untracked = Client(headers={"user-agent": CHROME_WINDOWS})
    untracked.cookies = browser.cookies
    with django_assert_num_queries(len(tracked.captured_queries)):
        untracked.get("/language/")


def test_activity_is_written_once_per_interval(user, sign_in, settings, django_assert_num_queries):
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.db"  # counts below are for db
    browser = sign_in(user)
    device = Device.objects.get(user=user)
    with time_machine.travel(timezone.now() + timedelta(minutes=6)):
        # session, user, one device UPDATE, then the session save that slides its idle expiry
        # (on a page whose view reads nothing, as above)
        with django_assert_num_queries(6):
            browser.get("/language/")
        with django_assert_num_queries(2):
            browser.get("/language/")
    device.refresh_from_db()
    assert device.last_seen_at > device.signed_in_at + timedelta(minutes=5)


def test_a_new_ip_is_written_at_once_with_its_country(user, sign_in):
    browser = sign_in(user, REMOTE_ADDR="81.2.69.142")

    browser.get("/account/", REMOTE_ADDR="8.8.8.8")

    device = Device.objects.get(user=user)
    assert (device.ip, device.country) == ("8.8.8.8", "US")


def test_forged_x_forwarded_for_changes_nothing(user, sign_in):
    sign_in(user, REMOTE_ADDR="81.2.69.142", HTTP_X_FORWARDED_FOR="8.8.8.8")

    assert Device.objects.get(user=user).ip == "81.2.69.142"


def test_x_forwarded_for_is_trusted_behind_a_configured_proxy(user, sign_in, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    sign_in(user, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="1.2.3.4, 8.8.8.8")

    assert Device.objects.get(user=user).ip == "8.8.8.8"


def test_huge_or_hostile_user_agent_is_stored_truncated_and_shown_escaped(user, sign_in):
    hostile = "<script>alert(1)</script>" + "A" * 10_000
    browser = sign_in(user, user_agent=hostile)

    device = Device.objects.get(user=user)
    assert len(device.user_agent) == 512
    page = browser.get("/account/devices/").content.decode()
    assert "<script>alert(1)" not in page
    assert device.name == "Unknown device"


def test_session_rotated_by_password_change_keeps_its_device(user, confirmed, password):
    browser = confirmed(user)
    old_key = Device.objects.get(user=user).session_key

    browser.post(
        "/account/password/",
        {
            "old_password": password,
            "new_password1": "a-whole-new-secret-2026",
            "new_password2": "a-whole-new-secret-2026",
            "sign_out_others": "on",
        },
    )

    device = Device.objects.get(user=user)
    assert device.session_key != old_key
    assert device.session_key == browser.session.session_key
    assert device.is_signed_in
    page = browser.get("/account/devices/").content.decode()
    card = page[page.index(f'id="device-{device.id}"') :].split("</li>")[0]
    assert "This device" in card


def test_session_ends_after_its_absolute_lifetime(user, sign_in, settings):
    browser = sign_in(user)
    start = timezone.now()
    # Used every 20 days, so the idle limit never bites...
    for day in range(20, settings.SESSION_MAX_AGE_DAYS, 20):
        with time_machine.travel(start + timedelta(days=day)):
            assert browser.get("/account/").status_code == 200
    # ...but the absolute lifetime does.
    with time_machine.travel(start + timedelta(days=settings.SESSION_MAX_AGE_DAYS, minutes=1)):
        assert browser.get("/account/").status_code == 302
    device = Device.objects.get(user=user)
    assert device.signed_out_reason == Device.SignOutReason.EXPIRED


def test_idle_device_counts_as_signed_out(session_engine, user, sign_in, settings):
    browser = sign_in(user)
    later = timezone.now() + timedelta(days=settings.SESSION_IDLE_DAYS, minutes=1)
    with time_machine.travel(later):
        assert browser.get("/account/").status_code == 302
        assert not Device.objects.for_account(user).signed_in().exists()
    assert Device.objects.get(user=user).signed_out_reason in ("", Device.SignOutReason.EXPIRED)


def test_session_remembers_its_device(user, sign_in):
    browser = sign_in(user)

    info = browser.session[SESSION_DEVICE_KEY]
    assert info["id"] == str(Device.objects.get(user=user).id)


def test_new_device_email_is_sent_once_for_a_new_browser(
    user, sign_in, password, django_capture_on_commit_callbacks
):
    sign_in(user)  # the account's first device: no warning
    assert mail.outbox == []

    phone = sign_in(user, user_agent=SAFARI_IPHONE, REMOTE_ADDR="81.2.69.142")
    phone.post("/logout/")
    with django_capture_on_commit_callbacks(execute=True):
        phone.post("/login/", {"username": user.email, "password": password})

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == "New sign-in on Safari on iPhone near United Kingdom"
    assert "/account/devices/not-me/" in message.body
