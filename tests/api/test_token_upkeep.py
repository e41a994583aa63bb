"""The daily retention job clears the apps' spent device codes and expired tokens, and
leaves a signed-in app, and the reuse protection of its rotated refresh tokens, alone."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone
from oauth2_provider.models import AccessToken, DeviceGrant, RefreshToken

from devices.tasks import prune_devices
from tests.api.helpers import api, app_client, device_authorize, refresh, signed_in_app, tv_app

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _app(db):
    return tv_app()


def test_a_spent_device_code_goes_and_a_signed_in_app_keeps_working(user, sign_in):
    app, tokens = signed_in_app(sign_in(user))
    abandoned = device_authorize(app_client()).json()  # a TV code nobody typed in
    DeviceGrant.objects.filter(device_code=abandoned["device_code"]).update(
        expires=timezone.now() - timedelta(days=2)
    )
    pending = device_authorize(app_client()).json()  # one still on a screen

    result = prune_devices.call()

    assert result["app_codes"] >= 1
    assert not DeviceGrant.objects.filter(device_code=abandoned["device_code"]).exists()
    assert DeviceGrant.objects.filter(device_code=pending["device_code"]).exists()
    assert api(app, "me", tokens["access_token"]).status_code == 200
    assert refresh(app, tokens["refresh_token"]).status_code == 200


def test_a_rotated_refresh_token_is_kept_while_its_reuse_must_still_be_caught(user, sign_in):
    app, first = signed_in_app(sign_in(user))
    second = refresh(app, first["refresh_token"]).json()

    call_command("prune_devices")

    # Someone replays the first, rotated, refresh token: the whole family ends.
    assert refresh(app, first["refresh_token"]).json()["error"] == "invalid_grant"
    assert refresh(app, second["refresh_token"]).json()["error"] == "invalid_grant"
    assert api(app, "me", second["access_token"]).status_code == 401


def test_an_app_idle_past_the_refresh_lifetime_leaves_no_token_behind(user, sign_in, settings):
    app, tokens = signed_in_app(sign_in(user))
    refresh(app, tokens["refresh_token"])
    assert RefreshToken.objects.count() == 2  # the rotated one, kept, and the live one
    lifetime = settings.OAUTH2_PROVIDER["REFRESH_TOKEN_EXPIRE_SECONDS"]
    access = settings.OAUTH2_PROVIDER["ACCESS_TOKEN_EXPIRE_SECONDS"]

    with time_machine.travel(timezone.now() + timedelta(seconds=lifetime + access + 60)):
        prune_devices.call()

    assert RefreshToken.objects.count() == 0
    assert AccessToken.objects.count() == 0
