"""Every kind of sign-out ends an app's tokens on its very next request: the API answers 401
with `WWW-Authenticate: Bearer error="invalid_token"`, and the refresh token is refused."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from oauth2_provider.models import AccessToken, RefreshToken

from accounts.origin import Origin
from devices import services
from devices.models import Device
from security.services import account_disable, password_changed
from tests.api.helpers import api, refresh, signed_in_app, tv_app

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _app(db):
    return tv_app()


def _app_device(user) -> Device:
    return Device.objects.get(user=user, application__isnull=False)


def _ended(app, tokens) -> None:
    response = api(app, "me", tokens["access_token"])
    assert response.status_code == 401, response.content
    assert 'error="invalid_token"' in response["WWW-Authenticate"]
    assert refresh(app, tokens["refresh_token"]).json()["error"] == "invalid_grant"


def _sign_out_device(user, web):
    services.sign_out_device(device=_app_device(user))


def _sign_out_button(user, web):
    assert web.post(f"/account/devices/{_app_device(user).id}/sign-out/").status_code == 302


def _remove_device(user, web):
    services.remove_device(device=_app_device(user))


def _device_disown(user, web):
    services.device_disown(device=_app_device(user))


def _sign_out_all(user, web):
    services.sign_out_all(user=user)


def _sign_out_all_others_button(user, web):
    assert web.post("/account/devices/sign-out-all/", {"scope": "others"}).status_code == 302


def _password_change(user, web):
    password_changed(user=user, origin=Origin(), sign_out_others=True)


def _disable_account(user, web):
    account_disable(user=user, actor="support")


def _signout_all_command(user, web):
    call_command("signout_all", user.email)


def _admin_action(user, web):
    services.sign_out_device(device=_app_device(user), reason=Device.SignOutReason.SUPPORT)


SIGN_OUTS = [
    _sign_out_device,
    _sign_out_button,
    _remove_device,
    _device_disown,
    _sign_out_all,
    _sign_out_all_others_button,
    _password_change,
    _disable_account,
    _signout_all_command,
    _admin_action,
]


@pytest.mark.parametrize("sign_out", SIGN_OUTS, ids=lambda f: f.__name__.strip("_"))
def test_every_sign_out_ends_the_apps_tokens_on_the_next_request(user, sign_in, sign_out):
    web = sign_in(user)
    app, tokens = signed_in_app(web)
    assert api(app, "me", tokens["access_token"]).status_code == 200
    sign_out(user, web)
    _ended(app, tokens)
    assert not _app_device(user).is_signed_in
    # Revoked in the database, not only refused: every worker reads the same rows.
    assert not RefreshToken.objects.filter(user=user, revoked=None).exists()
    assert not AccessToken.objects.filter(user=user).exists()


def test_sign_out_of_all_others_keeps_the_app_it_was_asked_from_out_of_it(user, sign_in):
    # The web browser keeps itself; the app is one of the others.
    web = sign_in(user)
    app, tokens = signed_in_app(web)
    web_device = Device.objects.get(user=user, application__isnull=True)
    services.sign_out_all(user=user, keep_device=web_device)
    _ended(app, tokens)


def test_signing_out_one_app_leaves_another_signed_in(user, sign_in):
    web = sign_in(user)
    first, first_tokens = signed_in_app(web)
    second, second_tokens = signed_in_app(web)
    one = Device.objects.filter(user=user, application__isnull=False).order_by("signed_in_at")[0]
    services.sign_out_device(device=one)
    _ended(first, first_tokens)
    assert api(second, "me", second_tokens["access_token"]).status_code == 200


def test_the_apps_own_revocation_ends_its_device(user, sign_in):
    app, tokens = signed_in_app(sign_in(user))
    response = app.post(
        "/o/revoke_token/",
        {"token": tokens["refresh_token"], "client_id": "streamguard-tv"},
    )
    assert response.status_code == 200
    _ended(app, tokens)
    device = _app_device(user)
    assert device.signed_out_reason == Device.SignOutReason.SELF


def test_the_apps_sign_out_call_ends_its_device(user, sign_in):
    app, tokens = signed_in_app(sign_in(user))
    assert api(app, "sign-out", tokens["access_token"], method="post").status_code == 204
    _ended(app, tokens)
    assert _app_device(user).signed_out_reason == Device.SignOutReason.SELF


def test_deleting_the_account_deletes_its_tokens(user, sign_in):
    from privacy.services import account_delete

    app, tokens = signed_in_app(sign_in(user))
    account_delete(user=user)
    _ended(app, tokens)


def test_sign_out_all_costs_the_same_with_one_app_or_five(
    user, sign_in, django_assert_max_num_queries
):
    signed_in_app(sign_in(user))
    with django_assert_max_num_queries(12) as one:
        services.sign_out_all(user=user)
    web = sign_in(user)
    for _ in range(5):
        signed_in_app(web)
    with django_assert_max_num_queries(12) as five:
        services.sign_out_all(user=user)
    assert len(five.captured_queries) == len(one.captured_queries)
