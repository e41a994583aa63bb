"""Every change of a sign-in factor offers "Sign out of all other devices", ticked (ASVS 5.0
V7.4.3): turning two-step verification on or off, adding or removing a passkey, confirming a
new e-mail address. Ticked, the other browsers and apps are out; unticked, they stay."""

from __future__ import annotations

import html
import re

import pytest
from django.core import mail
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.decorators import SESSION_REAUTH_KEY, SESSION_SECOND_STEP_KEY
from accounts.models import SecurityEvent
from devices.events import DeviceEvent
from devices.models import Device
from security import factor_views
from tests.accounts.email_helpers import link_in, request_change
from tests.api.helpers import api, signed_in_app, tv_app
from tests.client import Client
from tests.conftest import SAFARI_IPHONE
from tests.mfa.twostep_helpers import passkey_for, post_json, totp_code, two_step_on

pytestmark = pytest.mark.django_db

TICKED = re.compile(
    r'<input type="checkbox" name="sign_out_others" id="id_sign_out_others" checked>'
)


def words(response) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


@pytest.fixture
def household(user, confirmed, sign_in):
    """The holder's laptop (password just confirmed), a phone and a TV app, all signed in."""
    tv_app()
    laptop = confirmed(user)
    phone = sign_in(user, user_agent=SAFARI_IPHONE)
    app, tokens = signed_in_app(laptop)
    return {"laptop": laptop, "phone": phone, "app": app, "tokens": tokens}


def _others_out(user, household) -> bool:
    phone_out = household["phone"].get("/account/").status_code == 302
    app_out = api(household["app"], "me", household["tokens"]["access_token"]).status_code == 401
    assert phone_out == app_out, "browsers and apps go together"
    assert household["laptop"].get("/account/").status_code == 200, "this device stays"
    return phone_out


def _ticked(response) -> None:
    assert response.status_code == 200
    assert TICKED.search(response.content.decode()), "the checkbox is there and ticked"
    assert "Sign out of all other devices" in words(response)


@pytest.mark.parametrize("sign_out", [True, False])
def test_turning_two_step_on(user, household, sign_out):
    laptop = household["laptop"]
    _ticked(laptop.get("/account/two-step/setup/"))
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    data = {"code": totp_code(device)}
    if sign_out:
        data["sign_out_others"] = "on"

    response = laptop.post("/account/two-step/setup/", data)

    assert response.status_code == 200
    assert "Two-step verification is on" in words(response)
    assert _others_out(user, household) is sign_out


@pytest.mark.parametrize("sign_out", [True, False])
def test_turning_two_step_off(user, household, sign_out):
    two_step_on(user)
    laptop = household["laptop"]
    session = laptop.session
    session[SESSION_SECOND_STEP_KEY] = session[SESSION_REAUTH_KEY]
    session.save()
    _ticked(laptop.get("/account/two-step/off/"))

    laptop.post("/account/two-step/off/", {"sign_out_others": "on"} if sign_out else {})

    assert not TOTPDevice.objects.filter(user=user).exists()
    assert _others_out(user, household) is sign_out
    logged = SecurityEvent.objects.filter(user=user, kind=DeviceEvent.ALL_SIGNED_OUT).exists()
    assert logged is sign_out


@pytest.mark.parametrize("sign_out", [True, False])
def test_removing_a_passkey(user, household, sign_out):
    passkey = passkey_for(user)
    url = f"/account/passkeys/{passkey.credential_id_sha256}/remove/"
    laptop = household["laptop"]
    _ticked(laptop.get(url))

    laptop.post(url, {"sign_out_others": "on"} if sign_out else {})

    assert not user.webauthncredential_set.exists()
    assert _others_out(user, household) is sign_out


class _Helper:
    """Stands in for the WebAuthn library's check of a real authenticator's answer."""

    def __init__(self, user):
        self.user = user

    def register_complete(self, *, user, state, data):
        return passkey_for(user, name="unnamed")


@pytest.mark.parametrize("sign_out", [True, False])
def test_adding_a_passkey(user, household, sign_out, monkeypatch):
    laptop = household["laptop"]
    _ticked(laptop.get("/account/passkeys/add/"))
    begin = post_json(
        laptop, "/passkeys/register/begin/", {"name": "Laptop", "sign_out_others": sign_out}
    )
    assert begin.status_code == 200, begin.content
    monkeypatch.setattr(
        factor_views.PasskeyRegisterComplete, "get_helper", lambda self: _Helper(user)
    )

    done = post_json(laptop, "/passkeys/register/complete/", {"id": "x"})

    assert done.status_code == 200, done.content
    assert user.webauthncredential_set.get().name == "Laptop"
    assert _others_out(user, household) is sign_out


@pytest.mark.parametrize("sign_out", [True, False])
def test_confirming_a_new_e_mail_address_on_this_device(
    user, household, sign_out, django_capture_on_commit_callbacks
):
    laptop = household["laptop"]
    request_change(laptop, "new@example.com", django_capture_on_commit_callbacks)
    link = link_in(next(m for m in mail.outbox if m.to == ["new@example.com"]), "/email/change/")
    _ticked(laptop.get(link))

    laptop.post(link, {"sign_out_others": "on"} if sign_out else {})

    user.refresh_from_db()
    assert user.email == "new@example.com"
    assert _others_out(user, household) is sign_out


def test_confirming_from_a_browser_not_signed_in_signs_every_device_out(
    user, household, django_capture_on_commit_callbacks
):
    request_change(household["laptop"], "new@example.com", django_capture_on_commit_callbacks)
    link = link_in(next(m for m in mail.outbox if m.to == ["new@example.com"]), "/email/change/")

    Client().post(link, {"sign_out_others": "on"})

    assert not Device.objects.for_account(user).signed_in().exists()
    assert household["laptop"].get("/account/").status_code == 302
