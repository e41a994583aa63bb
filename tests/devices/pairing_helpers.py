"""Signing a TV in with a code, step by step: the TV's screen and poll, the web's approval."""

from __future__ import annotations

import re
from datetime import timedelta

from devices import pairing
from devices.models import PairingCode
from tests.client import Client
from tests.conftest import SAMSUNG_TV
from tests.factories import PASSWORD


def new_tv(user_agent: str = SAMSUNG_TV, **kwargs) -> Client:
    """A TV browser (a Samsung unless told), from an address with a known location."""
    return Client(headers={"user-agent": user_agent}, REMOTE_ADDR="81.2.69.142", **kwargs)


def code_on_screen(tv: Client, path: str = "/tv/") -> str:
    """The sign-in code the TV shows."""
    page = tv.get(path).content.decode()
    match = re.search(r'class="tv-user-code"[^>]*>([A-Z]{4}-[A-Z]{4})<', page)
    assert match, page
    return match.group(1)


def poll(tv: Client, *, later: float = 6):
    """Poll as the TV does, `later` seconds after the previous poll."""
    code = PairingCode.objects.get(secret_hash=pairing.secret_hash(tv.cookies["sg_tv"].value))
    if code.last_polled_at:
        PairingCode.objects.filter(pk=code.pk).update(
            last_polled_at=code.last_polled_at - timedelta(seconds=later)
        )
    return tv.post("/tv/poll/", headers={"HX-Request": "true"})


# Each button of the approval page posts to its own URL under the page's.
ACTIONS = {"sign_in": "sign-in/", "sign_in_24h": "sign-in-24h/", "cancel": "cancel/"}


def approve(web: Client, display_code: str, action: str = "sign_in"):
    """The signed-in browser `web` types the TV's code and presses one button of the page."""
    # Approving a TV is behind the recent-authentication gate.
    assert web.post("/account/confirm-password/", {"password": PASSWORD}).status_code == 302
    response = web.post("/activate/", {"code": display_code.lower().replace("-", "")})
    assert response.status_code == 302, response.content
    return web.post(response["Location"] + ACTIONS[action])
