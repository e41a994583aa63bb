from __future__ import annotations

import pytest
from django.test import Client

from parental.models import ParentalPin
from tests.factories import PASSWORD

GOOD_PIN = "4826"


@pytest.fixture
def confirmed(sign_in):
    """A browser signed in with the password re-entered just now."""

    def _confirmed(user, **kwargs) -> Client:
        browser = sign_in(user, **kwargs)
        response = browser.post("/account/confirm-password/", {"password": PASSWORD})
        assert response.status_code == 302
        return browser

    return _confirmed


@pytest.fixture
def with_pin(user):
    from django.contrib.auth.hashers import make_password

    ParentalPin.objects.create(user=user, pin_hash=make_password(GOOD_PIN))
    return GOOD_PIN
