"""V11.1.4 behind proxies: the guessing limits count per client, so the client's address must
be the one the trusted proxies saw, never the proxy's and never one the client wrote."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from accounts.http import client_ip
from tests.client import Client
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.2"


def _ip(forwarded: str | None) -> str | None:
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return client_ip(RequestFactory().get("/", REMOTE_ADDR=PROXY, **extra))


def test_v11_1_4_behind_n_trusted_proxies_the_client_is_the_nth_address_from_the_right(
    user, settings
):
    settings.TRUSTED_PROXY_COUNT = 1
    assert _ip("203.0.113.5") == "203.0.113.5"  # the client sent no header of its own
    assert _ip("6.6.6.6, 203.0.113.5") == "203.0.113.5"  # a forged entry on the left
    assert _ip(None) == PROXY  # nothing passed the proxy: only the connection is known
    assert _ip("not-an-address") == PROXY

    settings.TRUSTED_PROXY_COUNT = 2
    assert _ip("198.51.100.1, 203.0.113.5") == "198.51.100.1"
    assert _ip("6.6.6.6, 198.51.100.1, 203.0.113.5") == "198.51.100.1"
    assert _ip("203.0.113.5") == PROXY  # fewer entries than proxies: none of them is proven

    # Ten wrong passwords from one client behind the proxy lock out that client, not all.
    settings.TRUSTED_PROXY_COUNT = 1
    settings.SIGNIN_THROTTLE_ATTEMPTS = 3
    for n in range(3):
        Client().post(
            "/login/",
            {"username": f"someone{n}@example.com", "password": "wrong"},
            REMOTE_ADDR=PROXY,
            HTTP_X_FORWARDED_FOR="203.0.113.5",
        )
    another_client = Client().post(
        "/login/",
        {"username": user.email, "password": PASSWORD},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR="198.51.100.1",
    )
    assert another_client.status_code == 302
