"""Regressions from the security review: throttles, erasure, Kids limits, odd input."""

from __future__ import annotations

import re

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from accounts.models import SecurityEvent
from catalog.models import Viewing
from devices.models import Device, PairingCode
from parental.models import ProfileControls
from tests.client import Client
from tests.conftest import SAFARI_IPHONE, admin_sign_in, reauthenticate
from tests.devices.pairing_helpers import approve, code_on_screen, new_tv, poll
from tests.factories import PASSWORD, ProfileFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def few_tries(settings):
    settings.SIGNIN_THROTTLE_ATTEMPTS = 3


def test_admin_sign_in_is_throttled(few_tries):
    staff = UserFactory(is_staff=True, is_superuser=True)
    browser = Client()
    for _ in range(3):
        browser.post("/admin/login/", {"username": staff.email, "password": "wrong"})

    response = browser.post(
        "/admin/login/?next=/admin/", {"username": staff.email, "password": PASSWORD}
    )

    # Like the site's own sign-in: 429 with the page and when to come back.
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "Too many failed sign-ins" in response.content.decode()


def test_confirm_password_is_throttled(user, sign_in, few_tries):
    browser = sign_in(user)
    for _ in range(3):
        browser.post("/account/confirm-password/", {"password": "wrong"})

    response = browser.post("/account/confirm-password/", {"password": PASSWORD})

    assert "Too many failed sign-ins" in response.content.decode()
    assert browser.get("/account/parental-pin/").status_code == 302


def test_the_old_password_on_change_password_is_throttled(user, confirmed, few_tries):
    browser = confirmed(user)
    new = {"new_password1": "a-whole-new-secret-2026", "new_password2": "a-whole-new-secret-2026"}
    for _ in range(3):
        browser.post("/account/password/", {"old_password": "wrong", **new})

    response = browser.post("/account/password/", {"old_password": PASSWORD, **new})

    assert "Too many failed sign-ins" in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_a_huge_email_on_sign_in_is_a_form_error():
    response = Client().post("/login/", {"username": "a" * 60_000, "password": "x"})

    assert response.status_code == 200
    assert "at most 254 characters" in response.content.decode()


def test_turning_a_profile_into_kids_caps_its_level(user, confirmed, adult_title):
    profile = user.profiles.get()
    browser = confirmed(user)
    browser.get(f"/profiles/{profile.public_id}/parental/")  # creates its controls at 18+
    browser.post(
        f"/profiles/{profile.public_id}/edit/",
        {"name": profile.name, "colour": "blue", "is_kids": "on"},
    )
    browser.post(f"/profiles/{profile.public_id}/pick/")

    assert ProfileControls.objects.get(profile=profile).maturity == 7
    refused = browser.get(f"/title/{adult_title.slug}/")
    assert refused.status_code == 403
    assert "Above this profile&#x27;s maturity level" in refused.content.decode()


def test_kids_profiles_cannot_open_streaming_activity(user, sign_in):
    kids = ProfileFactory(user=user, is_kids=True)
    browser = sign_in(user)
    browser.post(f"/profiles/{kids.public_id}/pick/")

    assert browser.get("/account/streaming-activity/").status_code == 403
    assert "Recent device streaming activity" not in browser.get("/profiles/").content.decode()


def test_removing_a_tv_erases_its_address_from_the_pairing_log_and_code(user, sign_in):
    web = sign_in(user)
    tv = new_tv()
    approve(web, code_on_screen(tv))
    poll(tv)
    device = Device.objects.get(user=user, kind=Device.Kind.TV)
    assert SecurityEvent.objects.filter(kind="pairing_approved", ip="81.2.69.142").exists()

    reauthenticate(web).post(f"/account/devices/{device.id}/remove/")

    assert not SecurityEvent.objects.filter(user=user, ip="81.2.69.142").exists()
    assert not PairingCode.objects.filter(ip="81.2.69.142").exists()
    assert "81.2.69.142" not in web.get("/account/security/").content.decode()


def test_a_removed_browser_signing_in_again_is_announced_again(
    user, sign_in, password, django_capture_on_commit_callbacks
):
    laptop = sign_in(user)
    phone = sign_in(user, user_agent=SAFARI_IPHONE)
    device = Device.objects.get(user=user, name="Safari on iPhone")
    reauthenticate(laptop).post(f"/account/devices/{device.id}/remove/")
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        phone.post("/login/", {"username": user.email, "password": password})

    assert [m.subject for m in mail.outbox] == ["New sign-in on Safari on iPhone"]


def test_support_cannot_delete_a_device_row(user, sign_in):
    sign_in(user)
    device = Device.objects.get(user=user)
    staff = Client()
    admin_sign_in(staff, UserFactory(is_staff=True, is_superuser=True))

    assert staff.get(f"/admin/devices/device/{device.id}/delete/").status_code == 403
    assert Device.objects.filter(pk=device.pk).exists()


def test_support_setting_a_password_signs_every_device_out(
    user, sign_in, django_capture_on_commit_callbacks
):
    browser = sign_in(user)
    staff = Client()
    admin_sign_in(
        staff, UserFactory(email="agent@streamguard.example", is_staff=True, is_superuser=True)
    )

    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(
            f"/admin/accounts/user/{user.pk}/password/",
            {"password1": "support-chosen-2026-x", "password2": "support-chosen-2026-x"},
        )

    assert response.status_code == 302
    assert browser.get("/account/").status_code == 302
    assert not Device.objects.for_account(user).signed_in().exists()
    event = SecurityEvent.objects.get(user=user, kind="password_reset")
    assert event.actor == "agent@streamguard.example"
    assert any(m.to == [user.email] for m in mail.outbox)


@pytest.mark.parametrize(
    "path", ["/account/devices/{id}/sign-out/", "/account/devices/{id}/remove/"]
)
def test_signing_this_device_out_from_a_new_address_lands_on_sign_in(path, user, sign_in):
    browser = reauthenticate(sign_in(user, REMOTE_ADDR="81.2.69.142"))
    device = Device.objects.get(user=user)

    response = browser.post(path.format(id=device.id), REMOTE_ADDR="8.8.8.8")

    assert response.status_code == 302
    assert response["Location"] == "/login/"
    assert browser.get("/account/").status_code == 302


@pytest.mark.parametrize("next_url", ["foo", "-1", "é", "//evil.example/", "https://evil.example/"])
def test_odd_next_values_never_500_or_leave_the_site(next_url, user, sign_in):
    browser = sign_in(user)

    response = browser.post(
        f"/account/confirm-password/?next={next_url}", {"password": PASSWORD, "next": next_url}
    )

    assert response.status_code == 302
    assert response["Location"] == "/account/"
    assert browser.get("/account/").status_code == 200


def test_stopping_a_stream_with_a_hidden_title_is_not_a_500(
    user, sign_in, with_pin, kids_title, adult_title
):
    kids = ProfileFactory(user=user, is_kids=True)
    browser = sign_in(user)
    browser.post(f"/profiles/{kids.public_id}/pick/")
    browser.post(f"/watch/{kids_title.slug}/")
    viewing = Viewing.objects.get()

    response = browser.post(f"/viewings/{viewing.public_id}/stop/", {"title": adult_title.slug})

    # Refused like any title the profile may not play: nothing changes.
    assert response.status_code == 404
    viewing.refresh_from_db()
    assert viewing.stopped_at is None


def test_the_tv_code_screen_is_throttled_per_address():
    # The clock stands still, so the throttle's fixed window cannot roll over mid-test.
    with time_machine.travel(timezone.now(), tick=False):
        for _ in range(30):
            assert new_tv().get("/tv/").status_code == 200
        response = new_tv().get("/tv/")

    assert response.status_code == 429
    assert "Too many sign-in codes" in response.content.decode()
    assert not re.search(r"[A-Z]{4}-[A-Z]{4}", response.content.decode())
    assert PairingCode.objects.count() == 30


def test_a_get_on_unlock_never_switches_profile(user, sign_in):
    other = ProfileFactory(user=user, name="Other")
    browser = sign_in(user)

    response = browser.get(f"/profiles/{other.public_id}/unlock/")

    assert response["Location"] == "/profiles/"
    assert browser.session.get("profile_id") != str(other.public_id)
