"""Two-step verification: turning it on and off, recovery codes, and the sign-in step."""

from __future__ import annotations

import re
import time

import pytest
from django.core import mail
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import SecurityEvent, User
from devices.models import Device
from mfa.events import TwoStepEvent
from mfa.twostep import two_step_enabled
from tests.client import Client
from tests.conftest import CHROME_WINDOWS
from tests.factories import PASSWORD

from .twostep_helpers import later, password_step, totp_code, two_step_on


def kinds(user: User) -> list[str]:
    return list(SecurityEvent.objects.filter(user=user).values_list("kind", flat=True))


# Turning it on


def test_setup_needs_the_password_gate(user, sign_in):
    browser = sign_in(user)

    response = browser.get("/account/two-step/setup/")

    assert response.status_code == 302
    assert response["Location"].startswith("/account/confirm-password/")


def test_setup_shows_a_qr_code_drawn_by_the_site_and_the_secret_as_text(user, confirmed):
    browser = confirmed(user)

    page = browser.get("/account/two-step/setup/").content.decode()

    device = TOTPDevice.objects.get(user=user, confirmed=False)
    assert "<svg" in page
    secret = re.search(r'<code class="secret">([A-Z2-7 ]+)</code>', page).group(1)
    assert device.config_url.split("secret=")[1].startswith(secret.replace(" ", "")[:16])
    assert not two_step_enabled(user)


def test_setup_offers_to_open_the_authenticator_app_on_a_phone(user, confirmed):
    page = confirmed(user).get("/account/two-step/setup/").content.decode()

    device = TOTPDevice.objects.get(user=user, confirmed=False)
    link = re.search(r'<a href="(otpauth://[^"]+)">Open in authenticator app</a>', page)
    assert link
    assert link.group(1).replace("&amp;", "&") == device.config_url


def test_a_setup_code_retyped_within_a_second_says_wait_as_sign_in_does(user, confirmed):
    browser = confirmed(user)
    browser.get("/account/two-step/setup/")
    device = TOTPDevice.objects.get(user=user)

    wrong = browser.post("/account/two-step/setup/", {"code": "000000"})
    retyped = browser.post("/account/two-step/setup/", {"code": totp_code(device)})

    assert "That code is not right" in wrong.content.decode()
    assert "Wait a few seconds and try again." in retyped.content.decode()
    assert "That code is not right" not in retyped.content.decode()
    assert not two_step_enabled(user)


def test_setup_reload_keeps_the_same_secret(user, confirmed):
    browser = confirmed(user)
    browser.get("/account/two-step/setup/")
    first = TOTPDevice.objects.get(user=user).key

    browser.get("/account/two-step/setup/")

    assert TOTPDevice.objects.get(user=user).key == first


def test_turning_on_with_the_apps_code_shows_10_recovery_codes_once(
    user, confirmed, django_capture_on_commit_callbacks
):
    browser = confirmed(user)
    browser.get("/account/two-step/setup/")
    device = TOTPDevice.objects.get(user=user)

    with django_capture_on_commit_callbacks(execute=True):
        response = browser.post("/account/two-step/setup/", {"code": totp_code(device)})

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    codes = re.findall(r"<code>([a-z0-9-]{19})</code>", response.content.decode())
    assert len(set(codes)) == 10
    assert two_step_enabled(user)
    assert TwoStepEvent.TWO_STEP_ENABLED in kinds(user)
    assert mail.outbox[-1].subject == "Two-step verification is on"
    # Stored hashed: the database never holds a code a person could type.
    stored = set(StaticToken.objects.filter(device__user=user).values_list("token", flat=True))
    assert len(stored) == 10
    assert not stored & {code.replace("-", "") for code in codes}
    assert not stored & set(codes)
    # Shown once: the page about two-step verification never lists them again.
    page = browser.get("/account/two-step/").content.decode()
    assert codes[0] not in page
    assert "10 of 10 recovery codes left" in page


@pytest.mark.parametrize("code", ["000000", "12345", "abcdef", "", "1" * 13])
def test_turning_on_with_a_wrong_code_leaves_it_off(user, confirmed, code):
    browser = confirmed(user)
    browser.get("/account/two-step/setup/")

    response = browser.post("/account/two-step/setup/", {"code": code})

    assert response.status_code == 200
    assert response.context["form"].errors["code"]
    assert not two_step_enabled(user)


def test_recovery_codes_download_as_a_text_file(user, confirmed):
    browser = confirmed(user)
    codes = ["abcd-efgh-jkmn-pqrs", "2345-6789-abcd-efgh"]

    response = browser.post("/account/two-step/recovery-codes/download/", {"code": codes})

    assert response["Content-Type"].startswith("text/plain")
    assert "attachment" in response["Content-Disposition"]
    body = response.content.decode()
    assert all(code in body for code in codes)


def test_recovery_codes_download_of_nothing_is_a_message_not_an_error(user, confirmed):
    browser = confirmed(user)

    response = browser.post(
        "/account/two-step/recovery-codes/download/", {"code": "<script>"}, follow=True
    )

    assert response.status_code == 200
    assert "There are no codes to download" in response.content.decode()


# Signing in


def test_sign_in_asks_for_the_code_and_signs_in_nowhere_before_it(user):
    device, _codes = two_step_on(user)
    browser = password_step(user)

    page = browser.get("/login/verify/").content.decode()
    assert "Enter the 6-digit code from your authenticator app" in page
    assert "Use a recovery code" in page
    # Half signed in: no page accepts it, and no device was recorded.
    for path in ["/account/", "/profiles/", "/account/devices/", "/browse/"]:
        response = browser.get(path)
        assert response.status_code == 302
        assert response["Location"].startswith("/login/")
    assert not Device.objects.filter(user=user).exists()

    response = browser.post("/login/verify/", {"code": totp_code(device)})

    assert response.status_code == 302
    assert browser.get("/account/").status_code == 200
    assert Device.objects.filter(user=user, signed_out_at=None).count() == 1


def test_sign_in_returns_to_the_page_asked_for(user):
    device, _codes = two_step_on(user)
    browser = Client()
    browser.post(
        "/login/",
        {"username": user.email, "password": PASSWORD, "next": "/account/devices/"},
    )

    response = browser.post("/login/verify/", {"code": totp_code(device)})

    assert response["Location"] == "/account/devices/"


def test_a_wrong_code_is_refused_logged_and_signs_nothing_in(user):
    two_step_on(user)
    browser = password_step(user)

    response = browser.post("/login/verify/", {"code": "000000"})

    assert response.status_code == 200
    assert "That code is not right" in response.content.decode()
    assert browser.get("/account/").status_code == 302
    assert TwoStepEvent.TWO_STEP_FAILED in kinds(user)
    assert not Device.objects.filter(user=user).exists()


def test_a_code_used_once_is_refused_the_second_time(user):
    device, _codes = two_step_on(user)
    code = totp_code(device)
    password_step(user).post("/login/verify/", {"code": code})
    second = password_step(user)

    response = second.post("/login/verify/", {"code": code})

    assert response.status_code == 200
    assert second.get("/account/").status_code == 302


def test_an_expired_code_is_refused(user):
    device, _codes = two_step_on(user)
    old = totp_code(device, at=time.time() - 10 * 60)
    browser = password_step(user)

    response = browser.post("/login/verify/", {"code": old})

    assert response.status_code == 200
    assert browser.get("/account/").status_code == 302


def test_a_recovery_code_works_once_then_is_refused(user):
    _device, codes = two_step_on(user)
    first = password_step(user)

    response = first.post("/login/verify/?method=recovery", {"code": codes[0].upper()})

    assert response.status_code == 302
    assert first.get("/account/").status_code == 200
    assert TwoStepEvent.RECOVERY_CODE_USED in kinds(user)
    second = password_step(user)
    with later(5):
        response = second.post("/login/verify/?method=recovery", {"code": codes[0]})
    assert "That recovery code is not right, or it was used before" in response.content.decode()
    assert second.get("/account/").status_code == 302
    assert StaticToken.objects.filter(device__user=user).count() == 9


def test_wrong_codes_are_throttled_like_passwords(user, settings):
    settings.SIGNIN_THROTTLE_ATTEMPTS = 3
    device, _codes = two_step_on(user)
    browser = password_step(user)
    for _ in range(3):
        browser.post("/login/verify/", {"code": "000000"})

    with later(120):
        response = password_step(user).post("/login/verify/", {"code": totp_code(device)})

    assert "Too many wrong codes" in response.content.decode()
    assert not Device.objects.filter(user=user).exists()


def test_the_half_sign_in_expires_after_5_minutes(user):
    device, _codes = two_step_on(user)
    browser = password_step(user)

    with later(6 * 60):
        response = browser.post("/login/verify/", {"code": totp_code(device)}, follow=True)

    assert response.redirect_chain[-1][0] == "/login/"
    assert "Sign in again" in response.content.decode()
    assert browser.get("/account/").status_code == 302


def test_cancel_ends_the_half_sign_in(user):
    device, _codes = two_step_on(user)
    browser = password_step(user)

    browser.post("/login/verify/cancel/")
    response = browser.post("/login/verify/", {"code": totp_code(device)})

    assert response["Location"] == "/login/"
    assert browser.get("/account/").status_code == 302


def test_the_second_step_without_a_password_first_is_sent_to_sign_in(client, user):
    two_step_on(user)

    response = client.post("/login/verify/", {"code": "123456"})

    assert response["Location"] == "/login/"


def test_a_password_change_during_the_half_sign_in_voids_it(user):
    device, _codes = two_step_on(user)
    browser = password_step(user)
    user.set_password("another-long-passphrase")
    user.save()

    response = browser.post("/login/verify/", {"code": totp_code(device)})

    assert response["Location"] == "/login/"


def test_an_account_without_two_step_signs_in_with_the_password_alone(user, client):
    response = client.post("/login/", {"username": user.email, "password": PASSWORD})

    assert response["Location"] == "/profiles/"


# The password gate


def test_with_two_step_on_the_gate_asks_for_a_code_too(user):
    device, _codes = two_step_on(user)
    browser = password_step(user)
    browser.post("/login/verify/", {"code": totp_code(device)})

    response = browser.post("/account/confirm-password/", {"password": PASSWORD})
    assert response.status_code == 200
    assert response.context["form"].errors["code"]
    assert browser.get("/account/two-step/off/").status_code == 302

    with later():
        response = browser.post(
            "/account/confirm-password/",
            {"password": PASSWORD, "code": totp_code(device), "next": "/account/two-step/off/"},
        )
        assert response["Location"] == "/account/two-step/off/"
        assert browser.get("/account/two-step/off/").status_code == 200


def test_a_session_from_before_two_step_was_turned_on_must_pass_the_second_step_for_the_gate(
    user, confirmed
):
    browser = confirmed(user)
    two_step_on(user)

    response = browser.get("/account/two-step/off/")

    assert response["Location"].startswith("/account/confirm-password/")


# Turning off, new codes


def signed_in_with_two_step(user: User) -> tuple[Client, TOTPDevice, list[str]]:
    device, codes = two_step_on(user)
    browser = password_step(user)
    browser.post("/login/verify/", {"code": totp_code(device)})
    with later():
        browser.post(
            "/account/confirm-password/", {"password": PASSWORD, "code": totp_code(device)}
        )
    return browser, device, codes


def test_turning_off_deletes_the_secret_and_codes_logs_and_emails(
    user, django_capture_on_commit_callbacks
):
    browser, _device, _codes = signed_in_with_two_step(user)

    with django_capture_on_commit_callbacks(execute=True):
        response = browser.post("/account/two-step/off/")

    assert response["Location"] == "/account/two-step/"
    assert not two_step_enabled(user)
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert not StaticToken.objects.filter(device__user=user).exists()
    assert TwoStepEvent.TWO_STEP_DISABLED in kinds(user)
    assert mail.outbox[-1].subject == "Two-step verification is off"


def test_turning_off_without_the_gate_changes_nothing(user, sign_in):
    two_step_on(user)
    browser = sign_in(user)  # signed in before two-step was on, password never re-entered

    response = browser.post("/account/two-step/off/")

    assert response.status_code == 302
    assert two_step_enabled(user)


def test_new_recovery_codes_replace_the_old_ones(user):
    browser, _device, old = signed_in_with_two_step(user)

    response = browser.post("/account/two-step/recovery-codes/")

    new = re.findall(r"<code>([a-z0-9-]{19})</code>", response.content.decode())
    assert len(new) == 10
    assert not set(new) & set(old)
    assert TwoStepEvent.RECOVERY_CODES_NEW in kinds(user)
    response = password_step(user).post("/login/verify/?method=recovery", {"code": old[0]})
    assert response.status_code == 200
    with later(5):  # past django-otp's pause after a wrong code
        response = password_step(user).post("/login/verify/?method=recovery", {"code": new[0]})
    assert response.status_code == 302


def test_new_recovery_codes_need_a_post(user):
    browser, _device, _old = signed_in_with_two_step(user)

    assert browser.get("/account/two-step/recovery-codes/").status_code == 405


# The admin


def test_admin_sign_in_goes_through_the_second_step(db):
    staff = User.objects.create_superuser(email="agent@example.com", password=PASSWORD, name="A")
    device, _codes = two_step_on(staff)
    browser = Client()

    response = browser.post(
        "/admin/login/?next=/admin/",
        {"username": staff.email, "password": PASSWORD, "next": "/admin/"},
    )
    assert response["Location"] == "/login/verify/"
    assert browser.get("/admin/").status_code == 302

    response = browser.post("/login/verify/", {"code": totp_code(device)})

    assert response["Location"] == "/admin/"
    assert browser.get("/admin/").status_code == 200


def test_admin_refuses_a_staff_session_that_never_passed_the_second_step(db):
    staff = User.objects.create_superuser(email="agent@example.com", password=PASSWORD, name="A")
    browser = Client()
    browser.force_login(staff)
    # Without two-step verification the admin does not open at all: it asks to turn it on.
    assert browser.get("/admin/")["Location"].startswith("/admin/login/")
    assert browser.get("/admin/login/?next=/admin/")["Location"] == "/account/two-step/setup/"
    two_step_on(staff)

    assert browser.get("/admin/")["Location"].startswith("/admin/login/")


def test_a_session_that_passed_the_second_step_costs_a_page_no_extra_query(user, other_user):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    device, _codes = two_step_on(user)
    with_two_step = password_step(user)
    with_two_step.post("/login/verify/", {"code": totp_code(device)})
    without = Client(headers={"user-agent": CHROME_WINDOWS})
    without.post("/login/", {"username": other_user.email, "password": PASSWORD})
    counts = []
    for browser in (with_two_step, without):
        browser.get("/profiles/")  # past any first-request writes
        with CaptureQueriesContext(connection) as queries:
            assert browser.get("/profiles/").status_code == 200
        counts.append(len(queries))

    assert counts[0] == counts[1]
