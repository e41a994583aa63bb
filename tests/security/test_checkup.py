"""The Account hub says where each entry stands; the Security checkup gives one status per
item with its next step, and marks the sign-ins a person may not recognise."""

from __future__ import annotations

import html
import re
from datetime import timedelta

import pytest
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import SecurityEvent
from devices.models import Device
from tests.conftest import SAFARI_IPHONE
from tests.factories import DeviceFactory, SecurityEventFactory, UserFactory

pytestmark = pytest.mark.django_db


def words(response) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def _devices(user, count: int) -> None:
    for n in range(count):
        DeviceFactory(user=user, name=f"TV {n}", kind=Device.Kind.TV, country="GB")


def _two_step_on(user, codes: int = 10) -> None:
    TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
    static = StaticDevice.objects.create(user=user, name="Recovery codes", confirmed=True)
    StaticToken.objects.bulk_create(StaticToken(device=static, token=f"t{n}") for n in range(codes))


def test_the_hub_says_where_each_entry_stands(user, sign_in):
    browser = sign_in(user)
    _devices(user, 2)
    user.email_verified_at = None
    user.save(update_fields=["email_verified_at"])

    page = words(browser.get("/account/"))

    assert "Two-step verification: Off" in page
    assert "3 devices signed in" in page
    assert "Parental PIN: not set" in page
    assert "E-mail not verified" in page
    assert "Security checkup" in page


def test_the_hub_with_everything_on(user, sign_in, with_pin):
    browser = sign_in(user)
    _two_step_on(user)

    page = words(browser.get("/account/"))

    assert "Two-step verification: On" in page
    assert "1 device signed in" in page
    assert "Parental PIN: set" in page
    assert "E-mail verified" in page


def test_the_hub_costs_the_same_with_many_devices(user, sign_in, django_assert_max_num_queries):
    browser = sign_in(user)
    browser.get("/account/")
    _devices(user, 30)

    with django_assert_max_num_queries(8):
        response = browser.get("/account/")

    assert "31 devices signed in" in words(response)


def test_the_checkup_gives_one_status_per_item_with_its_next_step(user, sign_in):
    browser = sign_in(user)

    response = browser.get("/account/checkup/")

    page = words(response)
    assert response.status_code == 200
    for heading in (
        "Security checkup",
        "Signed-in devices",
        "Failed sign-ins and PIN locks",
        "Two-step verification: Off",
        "Turn on two-step verification",
        "0 passkeys",
        "Add a passkey",
        "Recovery codes come with two-step verification",
        "Last changed",
        "Change password",
        "verified",
        "Language",
        "Secure my account",
    ):
        assert heading in page, heading
    assert "1 item needs your attention" in page


def test_the_checkup_counts_failures_pin_locks_and_recovery_codes(user, sign_in):
    browser = sign_in(user)
    _two_step_on(user, codes=2)
    for _n in range(3):
        SecurityEventFactory(user=user, kind=SecurityEvent.Kind.SIGN_IN_FAILED)
    SecurityEventFactory(user=user, kind="pin_locked")
    old = SecurityEventFactory(user=user, kind=SecurityEvent.Kind.SIGN_IN_FAILED)
    SecurityEvent.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=40))

    page = words(browser.get("/account/checkup/"))

    assert "3 failed sign-ins in the last 30 days" in page
    assert "Parental PIN entry locked 1 time" in page
    assert "Two-step verification: On" in page
    assert "2 recovery codes left" in page


def test_the_checkup_says_when_the_password_last_changed(user, sign_in):
    browser = sign_in(user)
    event = SecurityEventFactory(user=user, kind=SecurityEvent.Kind.PASSWORD_CHANGED)
    when = timezone.now() - timedelta(days=100)
    SecurityEvent.objects.filter(pk=event.pk).update(created_at=when)

    response = browser.get("/account/checkup/")

    assert f'Last changed <time datetime="{when.date().isoformat()}' in response.content.decode()


def test_a_new_country_and_a_new_device_are_marked_and_the_banner_can_be_dismissed(user, sign_in):
    browser = sign_in(user)
    Device.objects.filter(user=user).update(
        country="GB", first_seen_at=timezone.now() - timedelta(days=300)
    )
    stranger = DeviceFactory(user=user, name="Firefox on Linux", country="BR")

    page = words(browser.get("/account/checkup/"))
    assert "A sign-in you may not recognise" in page
    assert "New country" in page
    assert "New device" in page

    response = browser.post("/account/checkup/dismiss/", {"device": [str(stranger.id), "x"]})
    assert response.status_code == 302

    page = words(browser.get("/account/checkup/"))
    assert "A sign-in you may not recognise" not in page
    # The marks stay on the device for two weeks, banner or not.
    assert "New country" in page
    assert "New device" in page


def test_marks_end_after_two_weeks(user, sign_in):
    browser = sign_in(user)
    long_ago = timezone.now() - timedelta(days=300)
    Device.objects.filter(user=user).update(country="GB", first_seen_at=long_ago)
    DeviceFactory(
        user=user,
        country="BR",
        first_seen_at=timezone.now() - timedelta(days=15),
        signed_in_at=timezone.now() - timedelta(days=15),
    )

    page = words(browser.get("/account/checkup/"))

    assert "New country" not in page
    assert "New device" not in page
    assert "A sign-in you may not recognise" not in page


def test_the_first_device_of_a_new_account_is_not_marked(user, sign_in):
    browser = sign_in(user)

    page = words(browser.get("/account/checkup/"))

    assert "New device" not in page
    assert "This device" in page


def test_the_checkup_lists_apps_and_browsers_in_a_fixed_number_of_queries(
    user, sign_in, django_assert_max_num_queries
):
    browser = sign_in(user)
    sign_in(user, user_agent=SAFARI_IPHONE)
    browser.get("/account/checkup/")
    _devices(user, 30)
    for _n in range(20):
        SecurityEventFactory(user=user, kind=SecurityEvent.Kind.SIGN_IN_FAILED)

    with django_assert_max_num_queries(12):
        response = browser.get("/account/checkup/")

    assert "32 devices signed in" in words(response)


def test_another_account_is_not_counted(user, sign_in):
    browser = sign_in(user)
    other = UserFactory()
    _devices(other, 3)
    SecurityEventFactory(user=other, kind=SecurityEvent.Kind.SIGN_IN_FAILED)

    page = words(browser.get("/account/checkup/"))

    assert "1 device signed in" in page
    assert "No failed sign-in or PIN lock in the last 30 days" in page
