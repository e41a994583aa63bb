"""Each password check says what it is for: on the gate, in its URL and in the security log."""

from __future__ import annotations

import html
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from accounts.events import event_description
from accounts.gate import Purpose, confirm_password_url, purpose_from
from accounts.models import SecurityEvent
from tests.factories import PASSWORD, DeviceFactory

from .twostep_helpers import later, passkey_for, totp_code, two_step_on

pytestmark = pytest.mark.django_db


def _purpose_in(location: str) -> str | None:
    query = parse_qs(urlsplit(location).query)
    assert query["next"], location
    return query.get("purpose", [None])[0]


def _gate_page(browser: Client, url: str) -> str:
    response = browser.get(url)
    assert response.status_code == 200
    return html.unescape(response.content.decode())


@pytest.mark.parametrize("purpose", list(Purpose))
def test_the_gate_says_what_the_password_is_for(user, sign_in, purpose):
    page = _gate_page(sign_in(user), confirm_password_url("/account/", purpose=purpose))

    assert f"Confirm your password {purpose.label}, so that nobody else" in page


@pytest.mark.parametrize("code", ["", "nonsense", "PARENTAL", "x" * 500, "tv_approve%00"])
def test_a_missing_or_unknown_purpose_reads_to_continue(user, sign_in, code):
    page = _gate_page(sign_in(user), f"/account/confirm-password/?next=/account/&purpose={code}")

    assert "Confirm your password to continue, so that nobody else" in page
    assert purpose_from(code) is Purpose.CONTINUE


def test_the_purpose_reads_in_spanish(user, sign_in):
    user.language = "es"
    user.save(update_fields=["language"])
    url = confirm_password_url("/account/", purpose=Purpose.TV_APPROVE)

    page = _gate_page(sign_in(user), url)

    assert "Confirma tu contraseña para aprobar esta TV" in page


def test_the_log_entry_says_what_the_password_was_for(user, sign_in):
    browser = sign_in(user)
    url = confirm_password_url("/account/parental-pin/", purpose=Purpose.PARENTAL_PIN)

    response = browser.post(url, {"password": PASSWORD})

    assert response["Location"] == "/account/parental-pin/"
    event = SecurityEvent.objects.filter(kind=SecurityEvent.Kind.PASSWORD_CONFIRMED).get()
    assert event.code == SecurityEvent.Code.FOR_PURPOSE
    assert event.params == {"purpose": "parental_pin"}
    with translation.override("en"):
        assert event_description(event) == "Password confirmed to change your parental PIN"
    with translation.override("es"):
        assert event_description(event) == ("Contraseña confirmada para cambiar tu PIN parental")
    page = browser.get("/account/security/").content.decode()
    assert "Password confirmed to change your parental PIN" in html.unescape(page)


def test_an_unknown_purpose_is_logged_as_a_plain_confirmation(user, sign_in):
    browser = sign_in(user)

    browser.post("/account/confirm-password/?next=/account/&purpose=evil", {"password": PASSWORD})

    event = SecurityEvent.objects.filter(kind=SecurityEvent.Kind.PASSWORD_CONFIRMED).get()
    assert (event.code, event.params) == ("", {})
    with translation.override("en"):
        assert event_description(event) == "Password confirmed"


def test_a_code_with_the_password_is_logged_with_its_purpose(user, sign_in):
    device, _codes = two_step_on(user)
    browser = sign_in(user)
    browser.post("/login/verify/", {"code": totp_code(device)})
    url = confirm_password_url("/account/two-step/", purpose=Purpose.TWO_STEP)

    with later():
        browser.post(url, {"password": PASSWORD, "code": totp_code(device)})

    event = SecurityEvent.objects.filter(kind=SecurityEvent.Kind.PASSWORD_CONFIRMED).get()
    with translation.override("en"):
        assert event_description(event) == ("Password confirmed to change two-step verification")


def test_a_passkey_at_the_gate_carries_the_purpose_into_its_ceremony(user, sign_in):
    passkey_for(user)
    url = confirm_password_url("/account/passkeys/add/", purpose=Purpose.PASSKEYS)

    page = _gate_page(sign_in(user), url)

    complete = reverse("passkey_auth_complete")
    assert f"{complete}?next=/account/passkeys/add/&purpose=passkeys" in page.replace("%2F", "/")


def test_a_passkey_confirmation_words_its_purpose():
    event = SecurityEvent(
        kind=SecurityEvent.Kind.PASSWORD_CONFIRMED,
        code=SecurityEvent.Code.WITH_PASSKEY,
        params={"purpose": "device_remove"},
    )
    with translation.override("en"):
        assert event_description(event) == (
            "Password confirmed to remove this device (with a passkey)"
        )


# Each gate names its own purpose in the URL it sends the person to.


def test_approving_a_tv_asks_the_password_to_approve_this_tv(user, sign_in):
    tv = Client(headers={"user-agent": "SMART-TV Tizen"})
    code = re.search(r'class="tv-user-code"[^>]*>([A-Z]{4}-[A-Z]{4})<', tv.get("/tv/").text)
    assert code
    web = sign_in(user)

    response = web.post("/activate/", {"code": code.group(1).replace("-", "")})
    gate = web.get(response["Location"])

    assert _purpose_in(gate["Location"]) == "tv_approve"
    assert "to approve this TV" in _gate_page(web, gate["Location"])


@pytest.mark.parametrize(
    ("path", "purpose"),
    [
        ("/account/parental/", "parental"),
        ("/account/parental-pin/", "parental_pin"),
        ("/account/two-step/setup/", "two_step"),
        ("/account/passkeys/add/", "passkeys"),
        ("/account/email/", "email_change"),
        ("/profiles/add/", "profile_add"),
        ("/account/data/", "data_download"),
    ],
)
def test_each_gate_names_its_purpose(user, sign_in, path, purpose):
    response = sign_in(user).get(path)

    assert response.status_code == 302
    assert _purpose_in(response["Location"]) == purpose


def test_removing_a_device_asks_the_password_to_remove_this_device(user, sign_in):
    browser = sign_in(user)
    device = DeviceFactory(user=user)

    response = browser.get(f"/account/devices/{device.id}/remove/")

    assert _purpose_in(response["Location"]) == "device_remove"


def test_the_pin_lock_email_links_to_the_gate_for_the_pin(user):
    url = confirm_password_url(reverse("parental_pin"), purpose=Purpose.PARENTAL_PIN)

    assert (
        url == "/account/confirm-password/?next=%2Faccount%2Fparental-pin%2F&purpose=parental_pin"
    )
