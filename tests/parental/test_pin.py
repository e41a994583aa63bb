"""The parental PIN: set, change, remove; hashed; guessing cut off for the whole account."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from accounts.events import event_detail
from accounts.models import SecurityEvent
from parental import services
from parental.forms import COMMON_PINS
from parental.models import ParentalPin, ProfileControls
from tests.conftest import SAFARI_IPHONE
from tests.factories import ProfileFactory

from .conftest import GOOD_PIN

pytestmark = pytest.mark.django_db


def _set(browser, pin, again=None):
    return browser.post("/account/parental-pin/", {"pin": pin, "pin_again": again or pin})


def test_setting_a_pin_stores_it_hashed_and_logs_it(user, confirmed):
    browser = confirmed(user)

    response = _set(browser, "4826")

    assert response.status_code == 302
    stored = ParentalPin.objects.get(user=user).pin_hash
    assert "4826" not in stored
    assert stored.startswith("md5$")  # the test hasher; the real setting is Argon2
    assert SecurityEvent.objects.filter(user=user, kind="pin_set").exists()
    page = browser.get("/account/security/").content.decode()
    assert "Parental PIN set" in page
    assert "4826" not in page
    assert "4826" not in browser.get("/account/parental-pin/").content.decode()


def test_changing_and_removing_the_pin_are_logged(user, confirmed, with_pin):
    browser = confirmed(user)
    ProfileControls.objects.create(profile=user.profiles.get(), locked=True)

    _set(browser, "7391")
    browser.post("/account/parental-pin/remove/")

    kinds = set(SecurityEvent.objects.filter(user=user).values_list("kind", flat=True))
    assert {"pin_changed", "pin_removed"} <= kinds
    assert not ParentalPin.objects.filter(user=user).exists()
    # The lock is kept as a setting, inactive without a PIN.
    assert ProfileControls.objects.get(profile__user=user).locked


@pytest.mark.parametrize(
    ("pin", "message"),
    [
        ("abcd", "digits only"),
        ("12a4", "digits only"),
        ("١٢٣٤", "digits only"),
        ("123", "exactly 4 digits"),
        ("12345", "exactly 4 digits"),
        ("", "This field is required"),
        ("1234", "most common"),
        ("0000", "most common"),
    ],
)
def test_bad_pins_get_a_form_error_and_nothing_is_saved(pin, message, user, confirmed):
    browser = confirmed(user)

    response = _set(browser, pin)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ParentalPin.objects.filter(user=user).exists()


def test_mismatched_pins_are_refused(user, confirmed):
    response = _set(confirmed(user), "4826", "4827")

    assert "don&#x27;t match" in response.content.decode()
    assert not ParentalPin.objects.exists()


def test_at_least_twenty_common_pins_are_refused():
    assert len(COMMON_PINS) >= 20
    assert {"1234", "0000", "1111", "1212", "2580", "6969"} <= COMMON_PINS


def test_pin_pages_need_a_recent_password_confirmation(user, sign_in):
    browser = sign_in(user)

    response = browser.post("/account/parental-pin/", {"pin": "4826", "pin_again": "4826"})

    assert response.status_code == 302
    assert response["Location"].startswith("/account/confirm-password/?next=")
    assert not ParentalPin.objects.exists()


def test_password_confirmation_lasts_ten_minutes(user, confirmed):
    browser = confirmed(user)
    assert browser.get("/account/parental-pin/").status_code == 200

    with time_machine.travel(timezone.now() + timedelta(minutes=11)):
        response = browser.get("/account/parental-pin/")

    assert response["Location"].startswith("/account/confirm-password/")


def test_confirming_the_password_rotates_the_session_key(user, sign_in, settings):
    browser = sign_in(user)
    before = browser.cookies[settings.SESSION_COOKIE_NAME].value

    browser.post("/account/confirm-password/", {"password": "correct-horse-battery-staple"})

    assert browser.cookies[settings.SESSION_COOKIE_NAME].value != before
    assert browser.get("/account/").status_code == 200


def test_a_wrong_password_does_not_confirm(user, sign_in):
    browser = sign_in(user)

    response = browser.post("/account/confirm-password/", {"password": "wrong"})

    assert "That password is not right." in response.content.decode()
    assert browser.get("/account/parental-pin/").status_code == 302


def test_confirmation_ignores_an_offsite_next(user, sign_in):
    browser = sign_in(user)

    response = browser.post(
        "/account/confirm-password/?next=https://evil.example/",
        {"password": "correct-horse-battery-staple", "next": "https://evil.example/"},
    )

    assert response["Location"] == "/account/"


def test_kids_profiles_cannot_open_account_settings(user, sign_in):
    kids = ProfileFactory(user=user, name="Little one", is_kids=True)
    browser = sign_in(user)
    browser.post(f"/profiles/{kids.public_id}/pick/")

    for url in (
        "/account/",
        "/account/devices/",
        "/account/password/",
        "/account/parental-pin/",
        "/account/confirm-password/",
        f"/profiles/{kids.public_id}/parental/",
        "/profiles/manage/",
    ):
        response = browser.get(url)
        assert response.status_code == 403, url
        assert "Kids profile" in response.content.decode()


def test_five_wrong_pins_lock_pin_entry_for_the_whole_account(
    user, sign_in, with_pin, django_capture_on_commit_callbacks
):
    locked_profile = ProfileFactory(user=user, name="Parent")
    ProfileControls.objects.create(profile=locked_profile, locked=True)
    laptop = sign_in(user)
    phone = sign_in(user, user_agent=SAFARI_IPHONE)

    for n in range(4):
        response = laptop.post(f"/profiles/{locked_profile.public_id}/unlock/", {"pin": "0001"})
        assert f"{4 - n} tr" in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        fifth = phone.post(f"/profiles/{locked_profile.public_id}/unlock/", {"pin": "0002"})

    assert "PIN entry is locked" in fifth.content.decode()
    # Even the right PIN, from another device, is refused during the lock.
    right = laptop.post(f"/profiles/{locked_profile.public_id}/unlock/", {"pin": GOOD_PIN})
    # Locked PIN entry answers 429, with no Retry-After: waiting does not lift the lock.
    assert right.status_code == 429
    assert "Retry-After" not in right
    assert "PIN entry is locked" in right.content.decode()
    event = SecurityEvent.objects.get(user=user, kind="pin_locked")
    assert event.device_name == "Safari on iPhone"
    pin_mails = [m for m in mail.outbox if "PIN" in m.subject]
    assert [m.subject for m in pin_mails] == ["5 wrong PIN attempts on Safari on iPhone"]
    assert pin_mails[0].to == [user.email]
    # Nobody was signed out and the account itself still works.
    assert laptop.get("/account/").status_code == 200
    assert phone.get("/account/").status_code == 200


def test_the_sixth_pin_is_refused_without_being_checked(user, sign_in, with_pin, monkeypatch):
    browser = sign_in(user)
    for _ in range(5):
        services.pin_verify(origin=_origin(browser, user), user=user, pin="0001")
    calls = []
    real_check = services.check_password
    monkeypatch.setattr(
        services, "check_password", lambda *a, **k: calls.append(a) or real_check(*a, **k)
    )

    result = services.pin_verify(origin=_origin(browser, user), user=user, pin=GOOD_PIN)

    assert result.check is services.PinCheck.LOCKED
    assert calls == []


def test_the_pin_lock_survives_a_week_and_ends_only_with_the_password(
    user, sign_in, with_pin, password, django_capture_on_commit_callbacks
):
    locked_profile = ProfileFactory(user=user, name="Parent")
    ProfileControls.objects.create(profile=locked_profile, locked=True)
    child = sign_in(user, user_agent=SAFARI_IPHONE)
    unlock = f"/profiles/{locked_profile.public_id}/unlock/"
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(5):
            child.post(unlock, {"pin": "0001"})
    lock_mail = next(m for m in mail.outbox if "wrong PIN" in m.subject)

    for days in (1, 3, 7, 8):
        with time_machine.travel(timezone.now() + timedelta(days=days)):
            response = child.post(unlock, {"pin": GOOD_PIN})
            assert response.status_code == 429, days
            assert "PIN entry is locked" in response.content.decode()
            assert "re-enters the account password" in response.content.decode()
    assert child.session.get("profile_id") != str(locked_profile.public_id)
    assert ParentalPin.objects.get(user=user).locked_at is not None

    # The lock e-mail says where, who and when, and links to the password gate.
    assert "Safari on iPhone" in lock_mail.body
    assert "(UTC)" in lock_mail.body
    assert "/account/confirm-password/?next=%2Faccount%2Fparental-pin%2F" in lock_mail.body
    with time_machine.travel(timezone.now() + timedelta(days=8)):
        parent = sign_in(user)
        gate = parent.post(
            "/account/confirm-password/?next=/account/parental-pin/", {"password": password}
        )
        assert gate["Location"] == "/account/parental-pin/"
        assert ParentalPin.objects.get(user=user).locked_at is None
        opened = child.post(unlock, {"pin": GOOD_PIN})
    assert opened.status_code == 302
    assert child.session["profile_id"] == str(locked_profile.public_id)
    assert any(
        event_detail(event).startswith("PIN entry unlocked by the password")
        for event in SecurityEvent.objects.filter(user=user)
    )


def test_a_right_pin_resets_the_wrong_count(user, sign_in, with_pin):
    browser = sign_in(user)
    for _ in range(4):
        services.pin_verify(origin=_origin(browser, user), user=user, pin="0001")
    assert services.pin_verify(origin=_origin(browser, user), user=user, pin=GOOD_PIN).ok

    result = services.pin_verify(origin=_origin(browser, user), user=user, pin="0001")

    assert result.attempts_left == 4


def _origin(browser, user):
    """Where this browser's requests come from, for calling services directly."""
    from django.test import RequestFactory

    from accounts.middleware import current_profile
    from devices.http import request_origin

    request = RequestFactory().get("/")
    engine = __import__(
        "django.contrib.sessions.backends.db", fromlist=["SessionStore"]
    ).SessionStore
    request.session = engine(browser.session.session_key)
    request.user = user
    request.profile = current_profile(request)
    return request_origin(request)
