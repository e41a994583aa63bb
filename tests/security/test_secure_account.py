""" "Secure my account": after the password check, every other device out (browsers and
apps), a new password without the current one, two-step verification offered, a summary;
one log entry and one e-mail."""

from __future__ import annotations

import html
import re

import pytest
from django.core import mail
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.decorators import SESSION_REAUTH_KEY, SESSION_SECOND_STEP_KEY
from accounts.events import event_description
from accounts.models import SecurityEvent
from devices.models import Device
from security.events import SecurityFlowEvent
from tests.api.helpers import api, signed_in_app, tv_app
from tests.conftest import SAFARI_IPHONE
from tests.factories import PASSWORD
from tests.mfa.twostep_helpers import totp_code

pytestmark = pytest.mark.django_db

NEW = "a-brand-new-passphrase-42"


def words(response) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def _signed_in(client) -> bool:
    return client.get("/account/").status_code == 200


def test_it_asks_for_the_password_first_saying_what_for(user, sign_in):
    browser = sign_in(user)

    response = browser.get("/account/checkup/secure/")

    assert response.status_code == 302
    assert response["Location"].startswith("/account/confirm-password/?next=")
    page = words(browser.get(response["Location"]))
    assert "to secure your account" in page


def test_securing_signs_out_browsers_and_apps_sets_the_password_and_offers_two_step(
    user, confirmed, sign_in, django_capture_on_commit_callbacks
):
    tv_app()
    laptop = confirmed(user)
    phone = sign_in(user, user_agent=SAFARI_IPHONE)
    app, tokens = signed_in_app(laptop)
    assert api(app, "me", tokens["access_token"]).status_code == 200
    mail.outbox.clear()

    page = words(laptop.get("/account/checkup/secure/"))
    assert "Current password" not in page
    assert "Old password" not in page
    with django_capture_on_commit_callbacks(execute=True):
        response = laptop.post(
            "/account/checkup/secure/", {"new_password1": NEW, "new_password2": NEW}
        )

    assert response["Location"] == "/account/checkup/secure/two-step/"
    assert not _signed_in(phone)
    assert api(app, "me", tokens["access_token"]).status_code == 401
    assert _signed_in(laptop)
    user.refresh_from_db()
    assert user.check_password(NEW)
    assert Device.objects.for_account(user).signed_in().count() == 1

    offer = words(laptop.get(response["Location"]))
    assert "Turn on two-step verification" in offer
    summary = words(laptop.get("/account/checkup/secure/done/"))
    assert "2 other devices signed out, browsers and apps alike" in summary
    assert "New password set" in summary
    assert "Two-step verification: Off" in summary

    (event,) = SecurityEvent.objects.filter(user=user, kind=SecurityFlowEvent.ACCOUNT_SECURED)
    assert event_description(event) == (
        "Account secured (2 other devices signed out, new password set)"
    )
    (email,) = mail.outbox
    assert email.subject == "Your account was secured"
    assert "2 other devices were signed out" in email.body
    assert "A new password was set." in email.body
    assert "Two-step verification is off" in email.body
    assert "/account/checkup/" in email.body


def test_with_two_step_on_it_goes_straight_to_the_summary(user, confirmed):
    browser = confirmed(user)
    TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
    session = browser.session
    # The gate's second step, as the confirm-password page leaves it with a code.
    session[SESSION_SECOND_STEP_KEY] = session[SESSION_REAUTH_KEY]
    session.save()

    response = browser.post(
        "/account/checkup/secure/", {"new_password1": NEW, "new_password2": NEW}
    )

    assert response["Location"] == "/account/checkup/secure/done/"
    assert "Two-step verification: On" in words(browser.get(response["Location"]))


def test_a_weak_or_mismatched_password_changes_nothing(user, confirmed, sign_in):
    laptop = confirmed(user)
    phone = sign_in(user, user_agent=SAFARI_IPHONE)

    response = laptop.post(
        "/account/checkup/secure/", {"new_password1": NEW, "new_password2": NEW + "x"}
    )

    assert response.status_code == 200
    assert _signed_in(phone)
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
    assert not SecurityEvent.objects.filter(kind=SecurityFlowEvent.ACCOUNT_SECURED).exists()


def test_the_summary_without_a_secured_account_leads_to_the_checkup(user, sign_in):
    browser = sign_in(user)

    assert browser.get("/account/checkup/secure/done/")["Location"] == "/account/checkup/"
    assert browser.get("/account/checkup/secure/two-step/")["Location"] == "/account/checkup/"


def test_the_checkup_offers_secure_my_account(user, sign_in):
    page = sign_in(user).get("/account/checkup/").content.decode()

    assert 'href="/account/checkup/secure/"' in page


def test_in_spanish_the_flow_its_summary_and_its_e_mail_speak_spanish(
    user, confirmed, sign_in, django_capture_on_commit_callbacks
):
    user.language = "es"
    user.save(update_fields=["language"])
    laptop = confirmed(user)
    sign_in(user, user_agent=SAFARI_IPHONE)
    mail.outbox.clear()

    assert "Proteger mi cuenta" in words(laptop.get("/account/checkup/secure/"))
    with django_capture_on_commit_callbacks(execute=True):
        laptop.post("/account/checkup/secure/", {"new_password1": NEW, "new_password2": NEW})

    assert "Activar la verificación en dos pasos" in words(
        laptop.get("/account/checkup/secure/two-step/")
    )
    summary = words(laptop.get("/account/checkup/secure/done/"))
    assert "Tu cuenta está protegida" in summary
    assert "Sesión cerrada en 1 dispositivo más" in summary
    (email,) = mail.outbox
    assert email.subject == "Tu cuenta está protegida"
    assert "Se estableció una contraseña nueva." in email.body
    assert "Revisión de seguridad" in email.body


def test_two_step_turned_on_from_the_offer_ends_on_the_summary(user, confirmed):
    browser = confirmed(user)
    browser.post("/account/checkup/secure/", {"new_password1": NEW, "new_password2": NEW})
    offer = browser.get("/account/checkup/secure/two-step/").content.decode()
    setup_url = html.unescape(re.search(r'href="(/account/two-step/setup/[^"]*)"', offer)[1])

    assert browser.get(setup_url).status_code == 200  # the password was confirmed just now
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    codes = browser.post(setup_url, {"code": totp_code(device)}).content.decode()

    done = html.unescape(re.search(r'href="([^"]+)">Done<', codes)[1])
    assert done == "/account/checkup/secure/done/"
    summary = words(browser.get(done))
    assert "Two-step verification: On" in summary
    assert "New password set" in summary


def test_the_recovery_codes_done_never_leads_off_the_site(user, confirmed):
    browser = confirmed(user)
    url = "/account/two-step/setup/?next=https://evil.example/"
    browser.get(url)
    device = TOTPDevice.objects.get(user=user, confirmed=False)

    codes = browser.post(url, {"code": totp_code(device)}).content.decode()

    assert re.search(r'href="([^"]+)">Done<', codes)[1] == "/account/two-step/"
