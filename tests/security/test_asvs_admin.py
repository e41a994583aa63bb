"""The admin (ASVS 4.0.3): V4.3.1 a second factor before it opens, V3.3.2 short staff
sessions, V3.7.1 the agent's password just now before an action that signs people out."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import User
from devices.models import Device
from tests.client import Client
from tests.conftest import admin_sign_in
from tests.factories import PASSWORD, UserFactory
from tests.mfa.twostep_helpers import totp_code

pytestmark = pytest.mark.django_db

GATE = "/account/confirm-password/?next="


def _staff() -> User:
    return UserFactory(email="agent@streamguard.example", is_staff=True, is_superuser=True)


def test_v4_3_1_the_admin_opens_only_for_staff_past_a_second_factor():
    staff = _staff()
    browser = Client()
    assert browser.post("/login/", {"username": staff.email, "password": PASSWORD}).status_code
    assert browser.get("/admin/")["Location"].startswith("/admin/login/")
    assert browser.get("/admin/login/?next=/admin/")["Location"] == "/account/two-step/setup/"

    browser.post("/account/confirm-password/", {"password": PASSWORD})
    assert browser.get("/account/two-step/setup/").status_code == 200
    device = TOTPDevice.objects.get(user=staff, confirmed=False)
    assert browser.post("/account/two-step/setup/", {"code": totp_code(device)}).status_code == 200

    assert browser.get("/admin/").status_code == 200  # the code just given is the second step
    # Another browser with the same password alone does not get in.
    other = Client()
    other.post("/login/", {"username": staff.email, "password": PASSWORD})
    assert other.get("/admin/")["Location"].startswith("/admin/login/")


def test_v3_3_2_staff_sessions_are_short_whatever_keep_me_signed_in_says():
    staff = _staff()
    browser = Client()
    response = browser.post(
        "/login/", {"username": staff.email, "password": PASSWORD, "keep_signed_in": "on"}
    )

    assert response.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == ""  # ends with the browser
    with time_machine.travel(timezone.now() + timedelta(minutes=31)):
        assert browser.get("/account/").status_code == 302


def test_v3_7_1_admin_actions_that_sign_people_out_need_the_agents_password_just_now(user, sign_in):
    victim = sign_in(user)
    device = Device.objects.get(user=user)
    admin = admin_sign_in(Client(), _staff())
    later = time_machine.travel(timezone.now() + timedelta(minutes=11), tick=False)
    attempts = [
        ("/admin/accounts/user/", {"action": "disable_and_sign_out", "_selected_action": user.pk}),
        ("/admin/accounts/user/", {"action": "delete_accounts", "_selected_action": user.pk}),
        (
            f"/admin/accounts/user/{user.pk}/password/",
            {"password1": "a-new-one-2026-x", "password2": "a-new-one-2026-x"},
        ),
        (
            "/admin/devices/device/",
            {"action": "sign_out_selected", "_selected_action": str(device.pk)},
        ),
    ]

    with later:
        for url, data in attempts:
            response = admin.post(url, data)
            assert response.status_code == 302, url
            assert response["Location"].startswith(GATE), url
        assert victim.get("/account/").status_code == 200  # nobody was signed out
        user.refresh_from_db()
        assert user.is_active
        assert user.check_password(PASSWORD)

        # The gate asks the agent's password and a code; the action then goes through.
        code = totp_code(TOTPDevice.objects.get(user__is_staff=True))
        confirmed = admin.post("/account/confirm-password/", {"password": PASSWORD, "code": code})
        assert confirmed.status_code == 302
        done = admin.post(*attempts[0])
        assert done["Location"] == "/admin/accounts/user/"
        assert victim.get("/account/").status_code == 302
