"""/api/v1/: bearer tokens only, JSON answers with the right status, parental rules applied."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from devices.models import Device
from tests.api.helpers import api, signed_in_app, tv_app

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _app(db):
    return tv_app()


@pytest.fixture
def tv(user, sign_in):
    return signed_in_app(sign_in(user))


def test_me_lists_the_account_and_its_profiles(user, profile, kids_profile, tv):
    app, tokens = tv
    body = api(app, "me", tokens["access_token"]).json()
    assert body["name"] == user.name
    by_name = {p["name"]: p for p in body["profiles"]}
    assert by_name[kids_profile.name]["kids"] is True
    assert by_name[profile.name]["kids"] is False
    assert by_name[kids_profile.name]["maturity_level"] <= 7
    assert body["profile"] is None


def test_a_browser_session_cookie_is_no_api_credential(user, sign_in):
    web = sign_in(user)
    response = web.get("/api/v1/me")
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert response.json()["error"]


@pytest.mark.parametrize(
    "header",
    ["Bearer forged-token", "Bearer " + "x" * 5000, "Basic Zm9vOmJhcg==", "Bearer", "Bearer \x7f"],
)
def test_forged_or_malformed_tokens_get_401_not_500(client, header):
    response = client.get("/api/v1/me", HTTP_AUTHORIZATION=header)
    assert response.status_code == 401
    assert response["Content-Type"] == "application/json"


def test_an_expired_access_token_is_invalid_token(tv):
    from oauth2_provider.models import AccessToken

    app, tokens = tv
    AccessToken.objects.update(expires=timezone.now() - timedelta(seconds=1))
    response = api(app, "me", tokens["access_token"])
    assert response.status_code == 401
    assert 'error="invalid_token"' in response["WWW-Authenticate"]


def test_a_profile_behind_the_pin_asks_for_it(user, profile, with_pin, tv):
    from parental.models import ProfileControls

    ProfileControls.objects.update_or_create(profile=profile, defaults={"locked": True})
    app, tokens = tv
    path = f"profiles/{profile.public_id}/select"
    token = tokens["access_token"]
    asked = api(app, path, token, method="post", content_type="application/json", data={})
    assert asked.status_code == 403
    assert asked.json()["error"] == "pin_required"
    wrong = api(
        app, path, token, method="post", content_type="application/json", data={"pin": "0000"}
    )
    assert wrong.json()["error"] == "wrong_pin"
    right = api(
        app, path, token, method="post", content_type="application/json", data={"pin": with_pin}
    )
    assert right.status_code == 200, right.content
    assert Device.objects.get(application__isnull=False).last_profile == profile


def test_malformed_json_is_a_400(profile, tv):
    app, tokens = tv
    response = api(
        app,
        f"profiles/{profile.public_id}/select",
        tokens["access_token"],
        method="post",
        content_type="application/json",
        data="{not json",
    )
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_request"


def test_another_accounts_profile_is_a_404(other_user, tv):
    from accounts.models import Profile

    theirs = Profile.objects.create(user=other_user, name="Theirs")
    app, tokens = tv
    response = api(
        app, f"profiles/{theirs.public_id}/select", tokens["access_token"], method="post"
    )
    assert response.status_code == 404


def test_titles_are_what_the_profile_may_watch(kids_profile, kids_title, adult_title, tv):
    app, tokens = tv
    token = tokens["access_token"]
    assert api(app, "titles", token).status_code == 409
    api(app, f"profiles/{kids_profile.public_id}/select", token, method="post")
    slugs = {t["slug"] for t in api(app, "titles", token).json()["titles"]}
    assert kids_title.slug in slugs
    assert adult_title.slug not in slugs


def test_playback_and_heartbeats_within_the_stream_limit(
    profile, kids_title, adult_title, tv, settings
):
    settings.STREAM_LIMIT = 1
    app, tokens = tv
    token = tokens["access_token"]
    api(app, f"profiles/{profile.public_id}/select", token, method="post")
    started = api(app, "playback", token, method="post", data={"title": kids_title.slug})
    assert started.status_code == 201, started.content
    viewing = started.json()
    beat = api(app, f"playback/{viewing['id']}/heartbeat", token, method="post")
    assert beat.status_code == 200
    assert beat.json()["playing"] is True
    assert api(app, "playback", token, method="post", data={"title": "nope"}).status_code == 404
    assert api(app, "playback", token, method="post", data={}).status_code == 400


def test_a_hidden_title_is_a_404_for_a_kids_profile(kids_profile, adult_title, tv):
    app, tokens = tv
    token = tokens["access_token"]
    api(app, f"profiles/{kids_profile.public_id}/select", token, method="post")
    response = api(app, "playback", token, method="post", data={"title": adult_title.slug})
    assert response.status_code in (403, 404)


def test_last_seen_moves_at_most_once_per_activity_interval(tv):
    app, tokens = tv
    device = Device.objects.get(application__isnull=False)
    earlier = timezone.now() - timedelta(hours=1)
    Device.objects.filter(pk=device.pk).update(last_seen_at=earlier)
    api(app, "me", tokens["access_token"])
    device.refresh_from_db()
    seen = device.last_seen_at
    assert seen > earlier
    api(app, "me", tokens["access_token"])
    device.refresh_from_db()
    assert device.last_seen_at == seen
