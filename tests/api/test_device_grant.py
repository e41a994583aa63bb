"""The device grant (RFC 8628) StreamGuard's way: the TV's code on /activate/, tokens once,
polling rules, and a token that is a Device."""

from __future__ import annotations

import re

import pytest
from django.conf import settings

from accounts.models import SecurityEvent
from devices.models import Device, PairingCode
from tests.api.helpers import (
    CLIENT_ID,
    app_client,
    device_authorize,
    refresh,
    signed_in_app,
    token_poll,
    tv_app,
)
from tests.devices.pairing_helpers import approve

pytestmark = pytest.mark.django_db

USER_CODE_RE = r"^[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}$"


@pytest.fixture(autouse=True)
def _app(db):
    return tv_app()


def test_metadata_names_the_device_grant_endpoints(client):
    data = client.get("/.well-known/oauth-authorization-server").json()
    for key, path in [
        ("device_authorization_endpoint", "/o/device-authorization/"),
        ("token_endpoint", "/o/token/"),
        ("revocation_endpoint", "/o/revoke_token/"),
        ("introspection_endpoint", "/o/introspect/"),
    ]:
        assert data[key].endswith(path), key
    assert set(data["grant_types_supported"]) == {
        "urn:ietf:params:oauth:grant-type:device_code",
        "refresh_token",
    }


def test_device_authorization_answers_the_tvs_code_and_the_activate_page():
    response = device_authorize(app_client())
    assert response.status_code == 200, response.content
    grant = response.json()
    assert re.match(USER_CODE_RE, grant["user_code"])
    assert grant["verification_uri"] == settings.SITE_URL.rstrip("/") + "/activate/"
    assert grant["verification_uri_complete"].endswith(f"/activate/?code={grant['user_code']}")
    assert grant["expires_in"] >= 300
    assert grant["interval"] == 5
    code = PairingCode.objects.get(user_code=grant["user_code"].replace("-", ""))
    assert code.application.client_id == CLIENT_ID
    assert code.kind == Device.Kind.TV
    assert "StreamGuard for TV" in code.name


def test_unknown_client_id_is_refused():
    response = device_authorize(app_client(), client_id="not-registered")
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_client"


def test_approved_app_gets_tokens_once_and_becomes_a_device(user, sign_in):
    web = sign_in(user)
    app = app_client()
    grant = device_authorize(app).json()
    assert token_poll(app, grant["device_code"]).json()["error"] == "authorization_pending"
    page = web.get(f"/activate/?code={grant['user_code']}")
    assert page.status_code == 200
    approve(web, grant["user_code"])
    tokens = token_poll(app, grant["device_code"], later=0)
    assert tokens.status_code == 200, tokens.content
    body = tokens.json()
    assert body["access_token"]
    assert body["refresh_token"]
    device = Device.objects.get(user=user, application__client_id=CLIENT_ID)
    assert device.is_signed_in
    assert device.token_family
    assert device.kind == Device.Kind.TV
    assert SecurityEvent.objects.filter(user=user, device=device, kind="signed_in").exists()
    again = token_poll(app, grant["device_code"])
    assert again.status_code == 400
    assert again.json()["error"] == "invalid_grant"
    listed = web.get("/account/devices/").content.decode()
    assert device.name in listed


def test_polling_faster_than_the_interval_is_told_to_slow_down():
    app = app_client()
    grant = device_authorize(app).json()
    assert token_poll(app, grant["device_code"]).json()["error"] == "authorization_pending"
    fast = token_poll(app, grant["device_code"], later=0)
    assert fast.status_code == 400
    assert fast.json()["error"] == "slow_down"


def test_cancel_on_the_approval_page_answers_access_denied(user, sign_in):
    web = sign_in(user)
    app = app_client()
    grant = device_authorize(app).json()
    approve(web, grant["user_code"], "cancel")
    response = token_poll(app, grant["device_code"])
    assert response.status_code == 400
    assert response.json()["error"] == "access_denied"
    assert not Device.objects.filter(user=user, application__isnull=False).exists()


def test_an_expired_code_answers_expired_token():
    app = app_client()
    grant = device_authorize(app).json()
    PairingCode.objects.update(expires_at="2000-01-01T00:00:00Z")
    response = token_poll(app, grant["device_code"])
    assert response.status_code == 400
    assert response.json()["error"] == "expired_token"


def test_an_unknown_device_code_is_a_standard_400():
    response = token_poll(app_client(), "no-such-device-code")
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_grant"


def test_a_device_code_of_another_app_is_refused(user, sign_in):
    from devices.services import app_register

    app_register(client_id="other-app", name="Other")
    app = app_client()
    grant = device_authorize(app).json()
    approve(sign_in(user), grant["user_code"])
    response = token_poll(app, grant["device_code"], client_id="other-app")
    assert response.json()["error"] == "invalid_grant"


def test_refresh_rotates_keeps_the_device_and_refuses_the_old_token(user, sign_in):
    app, tokens = signed_in_app(sign_in(user))
    device = Device.objects.get(user=user, application__isnull=False)
    rotated = refresh(app, tokens["refresh_token"])
    assert rotated.status_code == 200, rotated.content
    new = rotated.json()
    assert new["refresh_token"] != tokens["refresh_token"]
    assert Device.objects.filter(user=user, application__isnull=False).count() == 1
    assert (
        app.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {new['access_token']}").status_code == 200
    )
    reused = refresh(app, tokens["refresh_token"])
    assert reused.status_code == 400
    assert reused.json()["error"] == "invalid_grant"
    device.refresh_from_db()
    assert device.token_family is not None


def test_sign_in_for_24_hours_only_gives_the_device_an_end(user, sign_in):
    signed_in_app(sign_in(user), action="sign_in_24h")
    device = Device.objects.get(user=user, application__isnull=False)
    assert device.expires_at is not None
