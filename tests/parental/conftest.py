from __future__ import annotations

import pytest
from django.test import Client

from tests.conftest import GOOD_PIN  # noqa: F401  (imported by the tests here)
from tests.factories import PASSWORD


@pytest.fixture
def confirmed(sign_in):
    """A browser signed in with the password re-entered just now."""

    def _confirmed(user, **kwargs) -> Client:
        browser = sign_in(user, **kwargs)
        response = browser.post("/account/confirm-password/", {"password": PASSWORD})
        assert response.status_code == 302
        return browser

    return _confirmed
