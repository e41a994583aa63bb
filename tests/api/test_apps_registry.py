"""Registered native apps: the demo's TV app, the operator's command, the admin's list."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from oauth2_provider.models import Application

from tests.client import Client
from tests.conftest import admin_sign_in
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _run(*args: str) -> str:
    out = io.StringIO()
    call_command("apps", *args, stdout=out)
    return out.getvalue()


def test_the_operator_registers_and_lists_a_public_device_grant_app():
    assert "Registered phone-app" in _run("register", "phone-app", "StreamGuard for phones")
    app = Application.objects.get(client_id="phone-app")
    assert app.client_type == Application.CLIENT_PUBLIC
    assert app.authorization_grant_type == Application.GRANT_DEVICE_CODE
    assert app.name == "StreamGuard for phones"
    listed = _run("list")
    assert "phone-app" in listed
    assert "StreamGuard for phones" in listed


def test_registering_again_renames_instead_of_duplicating():
    _run("register", "phone-app", "Old name")
    _run("register", "phone-app", "New name")
    assert Application.objects.get(client_id="phone-app").name == "New name"


def test_a_bad_client_id_is_refused():
    with pytest.raises(CommandError):
        _run("register", "Not An Id!", "Nope")


def test_seed_demo_registers_the_demos_tv_app():
    call_command("seed_demo", stdout=io.StringIO())
    app = Application.objects.get(client_id="streamguard-tv")
    assert app.name == "StreamGuard for TV"
    assert app.client_type == Application.CLIENT_PUBLIC


def test_the_admin_lists_the_registered_apps(db):
    _run("register", "phone-app", "StreamGuard for phones")
    agent = admin_sign_in(Client(), UserFactory(is_staff=True, is_superuser=True))
    response = agent.get("/admin/oauth2_provider/application/")
    assert response.status_code == 200
    assert "StreamGuard for phones" in response.content.decode()


def test_a_disabled_app_gets_no_code_and_its_devices_are_signed_out(user, sign_in):
    from devices.models import Device
    from tests.api.helpers import api, app_client, device_authorize, refresh, signed_in_app, tv_app

    tv_app()
    app, tokens = signed_in_app(sign_in(user))
    assert "signed out 1 device(s)" in _run("disable", "streamguard-tv")
    assert api(app, "me", tokens["access_token"]).status_code == 401
    assert refresh(app, tokens["refresh_token"]).status_code in (400, 401)
    assert device_authorize(app_client()).status_code == 401
    assert not Device.objects.get(application__isnull=False).is_signed_in
    assert "disabled" in _run("list")
    _run("enable", "streamguard-tv")
    assert device_authorize(app_client()).status_code == 200
