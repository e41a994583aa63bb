"""Two-step helpers for tests: turn it on for an account, compute the app's codes, sign in
with the password only, step into the next code window."""

from __future__ import annotations

import json
import time

import time_machine
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from accounts.models import User
from mfa import services
from tests.client import Client
from tests.conftest import CHROME_WINDOWS
from tests.factories import PASSWORD


def totp_code(device: TOTPDevice, *, at: float | None = None) -> str:
    """The 6 digits an authenticator app shows for this secret, now or at `at`."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() if at is None else at
    return f"{totp.token():06d}"


def two_step_on(user: User) -> tuple[TOTPDevice, list[str]]:
    """Two-step verification turned on for the account: its app and its recovery codes."""
    device = services.two_step_setup_start(user=user)
    codes = services.two_step_enable(user=user, device=device, ip=None)
    return device, codes


def password_step(user: User, client: Client | None = None) -> Client:
    """A browser past the password on the sign-in page, asked for its second step."""
    client = client or Client(headers={"user-agent": CHROME_WINDOWS})
    response = client.post("/login/", {"username": user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/login/verify/"
    return client


def later(seconds: int = 31) -> time_machine.travel:
    """Into the app's next 30-second window, so a new code can be used."""
    return time_machine.travel(time.time() + seconds, tick=True)


def passkey_for(
    user: User, name: str = "Phone", credential_id: bytes | None = None
) -> WebAuthnCredential:
    """A confirmed passkey on the account (its key is no real key: it only has to be there)."""
    return WebAuthnCredential.objects.create(
        user=user,
        name=name,
        credential_id=credential_id or name.encode().ljust(16, b"x"),
        public_key=b"not-a-real-key",
        confirmed=True,
    )


def post_json(client: Client, url: str, data: object) -> object:
    """POST data as JSON, as the passkey ceremony's script does."""
    return client.post(url, json.dumps(data), content_type="application/json")
