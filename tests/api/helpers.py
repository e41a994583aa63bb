"""A native app signing in with the device grant, step by step, against Django's test client."""

from __future__ import annotations

from datetime import timedelta

from devices import pairing
from devices.models import PairingCode
from devices.services import app_register
from tests.client import Client
from tests.conftest import SAMSUNG_TV
from tests.devices.pairing_helpers import approve

CLIENT_ID = "streamguard-tv"
DEVICE_CODE_GRANT = "urn:ietf:params:oauth:grant-type:device_code"


def tv_app():
    return app_register(client_id=CLIENT_ID, name="StreamGuard for TV")


def app_client() -> Client:
    """The TV app's HTTP client: no cookies of a browser, a Samsung's User-Agent."""
    return Client(headers={"user-agent": SAMSUNG_TV}, REMOTE_ADDR="81.2.69.142")


def device_authorize(app: Client, client_id: str = CLIENT_ID):
    return app.post("/o/device-authorization/", {"client_id": client_id})


def token_poll(app: Client, device_code: str, *, later: float = 6, client_id: str = CLIENT_ID):
    """Poll the token endpoint `later` seconds after the previous poll (0: right away)."""
    code = PairingCode.objects.filter(secret_hash=pairing.secret_hash(device_code)).first()
    if code is not None and code.last_polled_at and later:
        PairingCode.objects.filter(pk=code.pk).update(
            last_polled_at=code.last_polled_at - timedelta(seconds=later)
        )
    return app.post(
        "/o/token/",
        {"grant_type": DEVICE_CODE_GRANT, "device_code": device_code, "client_id": client_id},
    )


def refresh(app: Client, refresh_token: str, client_id: str = CLIENT_ID):
    return app.post(
        "/o/token/",
        {"grant_type": "refresh_token", "refresh_token": refresh_token, "client_id": client_id},
    )


def api(app: Client, path: str, token: str, *, method: str = "get", **kwargs):
    return getattr(app, method)(f"/api/v1/{path}", HTTP_AUTHORIZATION=f"Bearer {token}", **kwargs)


def signed_in_app(web: Client, *, action: str = "sign_in") -> tuple[Client, dict]:
    """A TV app the browser `web` approved on /activate/: its client and its tokens."""
    app = app_client()
    grant = device_authorize(app).json()
    approve(web, grant["user_code"], action)
    tokens = token_poll(app, grant["device_code"])
    assert tokens.status_code == 200, tokens.content
    return app, tokens.json()
