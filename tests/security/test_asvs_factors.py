"""V2.5.7 (ASVS 4.0.3) against account pre-hijacking: a second factor is added only from a
verified address, and a reset that first proves the address removes any factor added before
(someone who signed up with another person's address must not keep a way in)."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from accounts.models import SecurityEvent
from tests.client import Client
from tests.factories import UserFactory
from tests.mfa.twostep_helpers import passkey_for, two_step_on

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "the-owner-takes-it-back-2026"


def _reset(user) -> Client:
    owner = Client()
    user.refresh_from_db()  # the token hangs on the last sign-in
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    set_password = owner.get(f"/password-reset/{uid}/{default_token_generator.make_token(user)}/")[
        "Location"
    ]
    done = owner.post(set_password, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done.status_code == 302, done.content
    return owner


def test_v2_5_7_only_a_verified_address_adds_a_factor_and_its_first_proof_removes_older_ones(
    confirmed,
):
    intruder_account = UserFactory(email="owner@example.com", email_verified_at=None)
    intruder = confirmed(intruder_account)

    for path in ("/account/two-step/setup/", "/account/passkeys/add/"):
        page = intruder.get(path)
        assert page.status_code == 403, path
        assert "Verify your e-mail address first" in page.content.decode()
        assert 'action="/account/email/verify/"' in page.content.decode()
    begin = intruder.post(
        "/passkeys/register/begin/", json.dumps({"name": "Mine"}), content_type="application/json"
    )
    assert begin.status_code == 403
    assert begin.json()["code"] == "email_unverified"
    assert not TOTPDevice.objects.filter(user=intruder_account).exists()

    # Factors left from before the rule (or added any other way) go with the first proof.
    two_step_on(intruder_account)
    passkey_for(intruder_account, "Intruder's key")
    _reset(intruder_account)

    intruder_account.refresh_from_db()
    assert intruder_account.email_verified_at is not None
    assert not TOTPDevice.objects.filter(user=intruder_account).exists()
    assert not StaticDevice.objects.filter(user=intruder_account).exists()
    assert not WebAuthnCredential.objects.filter(user=intruder_account).exists()
    removed = SecurityEvent.objects.filter(user=intruder_account, code="removed_by_reset")
    assert {event.kind for event in removed} == {"two_step_disabled", "passkey_removed"}

    # A verified account's reset leaves its factors alone.
    verified = UserFactory()
    two_step_on(verified)
    passkey_for(verified, "Owner's key")
    _reset(verified)
    assert TOTPDevice.objects.filter(user=verified, confirmed=True).exists()
    assert WebAuthnCredential.objects.filter(user=verified).exists()
