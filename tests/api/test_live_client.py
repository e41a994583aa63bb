"""A TV app as its developer would write it: oauthlib's DeviceClient and plain requests,
against two live gunicorn workers on the suite's database. It finds the endpoints in the
RFC 8414 metadata, shows its code, is approved on /activate/ by a real browser session,
reads /api/v1/me, refreshes, and is signed out from the web: its very next request fails."""

from __future__ import annotations

import time

import pytest
import requests
from django.conf import settings
from oauthlib.oauth2 import DeviceClient

from devices.models import Device
from devices.services import app_register
from tests.conftest import SAMSUNG_TV
from tests.factories import PASSWORD
from tests.http import Browser
from tests.servers import database_url, gunicorn, live_account

pytestmark = pytest.mark.django_db(transaction=True)

CLIENT_ID = "streamguard-tv"
FORM = {"Content-Type": "application/x-www-form-urlencoded", "User-Agent": SAMSUNG_TV}


@pytest.fixture(scope="module")
def server(django_db_setup, django_db_blocker):
    env = {"DATABASE_URL": database_url(), "DJANGO_SECRET_KEY": settings.SECRET_KEY}
    with gunicorn(env, workers=2, threads=2) as url:
        yield url


@pytest.fixture(autouse=True)
def _plain_http_on_loopback(monkeypatch):
    # oauthlib refuses http:// unless told; the live servers listen on 127.0.0.1 only.
    monkeypatch.setenv("OAUTHLIB_INSECURE_TRANSPORT", "1")


class TvApp:
    """What a TV app does: discover, ask for a code, poll, call the API, refresh."""

    def __init__(self, base_url: str) -> None:
        self.client = DeviceClient(CLIENT_ID)
        self.http = requests.Session()
        self.http.headers["User-Agent"] = SAMSUNG_TV
        meta = self.http.get(base_url + "/.well-known/oauth-authorization-server", timeout=30)
        self.meta = meta.json()
        self.base_url = base_url
        self.tokens: dict = {}

    def start(self) -> dict:
        response = self.http.post(
            self.meta["device_authorization_endpoint"],
            data={"client_id": CLIENT_ID},
            headers=FORM,
            timeout=30,
        )
        assert response.status_code == 200, response.text
        return response.json()

    def poll(self, device_code: str) -> requests.Response:
        body = self.client.prepare_request_body(device_code, include_client_id=True)
        return self.http.post(self.meta["token_endpoint"], data=body, headers=FORM, timeout=30)

    def collect(self, response: requests.Response) -> None:
        self.tokens = self.client.parse_request_body_response(response.text)

    def me(self) -> requests.Response:
        uri, headers, _ = self.client.add_token(self.base_url + "/api/v1/me")
        return self.http.get(uri, headers=headers, timeout=30)

    def refresh(self) -> requests.Response:
        body = self.client.prepare_refresh_body(
            refresh_token=self.tokens["refresh_token"], client_id=CLIENT_ID
        )
        return self.http.post(self.meta["token_endpoint"], data=body, headers=FORM, timeout=30)


def _approve(server: str, email: str, user_code: str, button: str = "sign-in/") -> Browser:
    web = Browser(server).sign_in(email)
    assert web.post("/account/confirm-password/", {"password": PASSWORD}).status_code == 302
    found = web.post("/activate/", {"code": user_code})
    assert found.status_code == 302, found.text[:300]
    page = web.get(found.headers["Location"])
    assert page.status_code == 200
    for words in ("Sign in for 24 hours only", "Cancel", user_code):
        assert words in page.text
    assert web.post(found.headers["Location"] + button).status_code == 302
    return web


def test_a_tv_app_pairs_reads_the_api_refreshes_and_dies_with_its_device(server):
    app_register(client_id=CLIENT_ID, name="StreamGuard for TV")
    user = live_account()
    tv = TvApp(server)
    assert "urn:ietf:params:oauth:grant-type:device_code" in tv.meta["grant_types_supported"]
    grant = tv.start()
    pending = tv.poll(grant["device_code"])
    assert pending.json()["error"] == "authorization_pending"
    assert tv.poll(grant["device_code"]).json()["error"] == "slow_down"
    web = _approve(server, user.email, grant["user_code"])
    tokens = tv.poll(grant["device_code"])
    assert tokens.status_code == 200, tokens.text
    tv.collect(tokens)
    assert tv.poll(grant["device_code"]).json()["error"] == "invalid_grant"  # once
    for _ in range(4):  # both workers read the same token rows
        assert tv.me().json()["name"] == user.name

    old_refresh = tv.tokens["refresh_token"]
    rotated = tv.refresh()
    assert rotated.status_code == 200, rotated.text
    tv.collect(rotated)
    assert tv.tokens["refresh_token"] != old_refresh
    assert tv.me().status_code == 200
    assert Device.objects.filter(user=user, application__isnull=False).count() == 1

    device = Device.objects.get(user=user, application__isnull=False)
    signed_out = web.post(f"/account/devices/{device.id}/sign-out/")
    assert signed_out.status_code == 302
    for _ in range(4):
        refused = tv.me()
        assert refused.status_code == 401
        assert 'error="invalid_token"' in refused.headers["WWW-Authenticate"]
    assert tv.refresh().json()["error"] == "invalid_grant"


def test_cancel_unknown_code_and_unknown_client_as_the_app_sees_them(server):
    app_register(client_id=CLIENT_ID, name="StreamGuard for TV")
    user = live_account()
    tv = TvApp(server)
    grant = tv.start()
    _approve(server, user.email, grant["user_code"], button="cancel/")
    time.sleep(0.1)
    assert tv.poll(grant["device_code"]).json()["error"] == "access_denied"
    assert tv.poll("made-up-device-code").status_code == 400
    unknown = tv.http.post(
        tv.meta["device_authorization_endpoint"],
        data={"client_id": "no-such-app"},
        headers=FORM,
        timeout=30,
    )
    assert unknown.status_code == 401
    assert unknown.json()["error"] == "invalid_client"
