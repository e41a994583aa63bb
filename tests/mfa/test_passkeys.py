"""Passkeys on the server: who may start a ceremony, and bad answers (the browser test in
tests/e2e/test_two_step.py registers a real passkey and signs in with it)."""

from __future__ import annotations

import base64

import pytest
from django_otp_webauthn.models import WebAuthnCredential

from accounts.models import SecurityEvent
from mfa.events import TwoStepEvent
from tests.factories import PASSWORD

from .twostep_helpers import passkey_for, password_step, post_json, two_step_on


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def assertion_for(credential_id: bytes) -> dict:
    """A sign-in answer naming this credential; its signature is junk."""
    return {
        "id": b64(credential_id),
        "rawId": b64(credential_id),
        "type": "public-key",
        "clientExtensionResults": {},
        "response": {
            "clientDataJSON": b64(b'{"type":"webauthn.get"}'),
            "authenticatorData": b64(b"\0" * 37),
            "signature": b64(b"junk"),
            "userHandle": None,
        },
    }


def test_adding_a_passkey_needs_a_signed_in_account(client, db):
    response = post_json(client, "/passkeys/register/begin/", {"name": "Laptop"})

    assert response.status_code in (401, 403)
    assert response.json()["code"] == "not_authenticated"


def test_adding_a_passkey_needs_the_password_gate(user, sign_in):
    response = post_json(sign_in(user), "/passkeys/register/begin/", {"name": "Laptop"})

    assert response.status_code == 403
    assert response.json()["code"] == "gate_closed"
    assert "Confirm your password" in response.json()["detail"]


@pytest.mark.parametrize("name", ["", "   ", "x" * 61])
def test_a_passkey_needs_a_name_of_up_to_60_characters(user, confirmed, name):
    response = post_json(confirmed(user), "/passkeys/register/begin/", {"name": name})

    assert response.status_code == 400
    assert response.json()["code"] == "bad_name"
    assert "name" in response.json()["detail"]


def test_adding_a_passkey_starts_a_ceremony_for_this_site(user, confirmed):
    response = post_json(confirmed(user), "/passkeys/register/begin/", {"name": "Laptop"})

    assert response.status_code == 200
    options = response.json()
    assert options["rp"] == {"id": "localhost", "name": "StreamGuard"}
    assert options["challenge"]


def test_a_registration_answer_without_a_challenge_is_refused(user, confirmed):
    response = post_json(confirmed(user), "/passkeys/register/complete/", {"id": "x"})

    assert 400 <= response.status_code < 500
    assert not WebAuthnCredential.objects.filter(user=user).exists()


@pytest.mark.parametrize(
    "body", [{}, {"id": "x", "response": "nonsense"}, {"rawId": 5, "response": {}}]
)
def test_an_unreadable_registration_answer_is_a_clear_error(user, confirmed, body):
    browser = confirmed(user)
    post_json(browser, "/passkeys/register/begin/", {"name": "Laptop"})

    response = post_json(browser, "/passkeys/register/complete/", body)

    assert 400 <= response.status_code < 500
    assert response.json()["detail"]
    assert not WebAuthnCredential.objects.filter(user=user).exists()


def test_malformed_json_is_a_clear_error(client, db):
    response = client.post("/passkeys/sign-in/begin/", "{not json", content_type="application/json")

    assert response.status_code == 400


def test_a_replayed_sign_in_answer_finds_no_challenge(client, user):
    passkey = passkey_for(user)
    client.post("/passkeys/sign-in/begin/")
    first = post_json(client, "/passkeys/sign-in/complete/", assertion_for(passkey.credential_id))

    replay = post_json(client, "/passkeys/sign-in/complete/", assertion_for(passkey.credential_id))

    assert 400 <= first.status_code < 500
    assert replay.status_code in (400, 403, 422)
    assert replay.json()["code"] == "invalid_state"
    assert client.get("/account/").status_code == 302


def test_another_accounts_passkey_cannot_finish_this_accounts_sign_in(user, other_user):
    two_step_on(user)
    theirs = passkey_for(other_user, "Theirs")
    browser = password_step(user)
    browser.post("/passkeys/sign-in/begin/")

    response = post_json(
        browser, "/passkeys/sign-in/complete/", assertion_for(theirs.credential_id)
    )

    assert 400 <= response.status_code < 500
    assert browser.get("/account/").status_code == 302


def test_an_unknown_passkey_signs_nobody_in(client, user):
    client.post("/passkeys/sign-in/begin/")

    response = post_json(client, "/passkeys/sign-in/complete/", assertion_for(b"unknown-id"))

    assert 400 <= response.status_code < 500
    assert client.get("/account/").status_code == 302


def test_passkey_sign_in_without_javascript_says_it_is_needed(client, db):
    response = client.get("/passkeys/sign-in/", follow=True)

    assert "needs JavaScript" in response.content.decode()


def test_the_sign_in_page_offers_a_passkey_and_keeps_one_sign_in_button(client, db):
    page = client.get("/login/").content.decode()

    assert "Sign in with a passkey" in page
    # One submit button in the page itself (the footer's language switch has its own).
    assert page.split("<footer", 1)[0].count('type="submit"') == 1


def test_passkeys_are_listed_with_name_added_and_last_used(user, sign_in):
    passkey_for(user, "Work laptop")

    page = sign_in(user).get("/account/two-step/").content.decode()

    assert "Work laptop" in page
    assert "Added " in page
    assert "Never used" in page


def test_removing_a_passkey_after_the_gate(user, confirmed):
    passkey = passkey_for(user, "Old phone")
    browser = confirmed(user)
    url = f"/account/passkeys/{passkey.credential_id_sha256}/remove/"

    assert "Old phone" in browser.get(url).content.decode()
    response = browser.post(url)

    assert response["Location"] == "/account/two-step/"
    assert not WebAuthnCredential.objects.filter(pk=passkey.pk).exists()
    event = SecurityEvent.objects.get(user=user, kind=TwoStepEvent.PASSKEY_REMOVED)
    assert event.detail == "Old phone"


def test_another_accounts_passkey_is_not_found_and_kept(user, other_user, confirmed):
    theirs = passkey_for(other_user, "Theirs")

    response = confirmed(user).post(f"/account/passkeys/{theirs.credential_id_sha256}/remove/")

    assert response.status_code == 404
    assert WebAuthnCredential.objects.filter(pk=theirs.pk).exists()


def test_the_gate_offers_a_passkey_instead_of_the_password(user, sign_in):
    passkey_for(user)

    page = sign_in(user).get("/account/confirm-password/").content.decode()

    assert "Use a passkey instead" in page


def test_the_second_step_offers_a_passkey_when_there_is_one(user):
    two_step_on(user)
    passkey_for(user)

    page = password_step(user).get("/login/verify/").content.decode()

    assert "Use a passkey" in page
    assert PASSWORD not in page
