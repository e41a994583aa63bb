"""V4.1.3 least privilege (ASVS 4.0.3): a TV or console signed in with a code watches, picks
profiles and signs itself out; a phished code must not open the account."""

from __future__ import annotations

import pytest

from devices.models import Device
from tests.catalog.factories import TitleFactory
from tests.devices.pairing_helpers import approve, code_on_screen, new_tv, poll
from tests.security.helpers import urls_with_arguments

pytestmark = pytest.mark.django_db

TV_MAY_OPEN = {
    "tv_home",
    "tv_poll",
    "tv_heartbeat",
    "tv_profile",
    "tv_settings",
    "tv_sign_out",
    "catalog:browse",
    "catalog:search",
    "catalog:title",
    "catalog:poster",
    "catalog:unlock",
    "catalog:watch",
    "catalog:heartbeat",
    "catalog:stop",
    "logout",
    "language",
    "healthz",
    "readyz",
}


def test_v4_1_3_a_tv_session_watches_and_signs_itself_out_and_opens_nothing_else(user, sign_in):
    TitleFactory(slug="a-title")
    web = sign_in(user)
    tv = new_tv()
    approve(web, code_on_screen(tv))
    assert poll(tv).status_code == 200
    assert tv.get("/tv/").status_code == 200  # signed in: "Who's watching?"
    assert tv.post(f"/tv/profiles/{user.profiles.get().public_id}/").status_code == 302
    assert tv.get("/browse/").status_code == 200
    assert tv.get("/title/a-title/").status_code == 200

    for path in (
        "/account/",
        "/account/devices/",
        "/account/security/",
        "/account/password/",
        "/account/streaming-activity/",
        "/activate/",
        "/admin/",
    ):
        refused = tv.get(path)
        assert refused.status_code == 403, path
        assert "on your phone or computer" in refused.content.decode(), path
    assert tv.post("/account/devices/sign-out-all/", {"scope": "others"}).status_code == 403
    assert web.get("/account/").status_code == 200  # the owner stays signed in

    # Every other page of the site, present and future, is refused as well.
    for name, url in urls_with_arguments():
        if name not in TV_MAY_OPEN:
            assert tv.get(url).status_code == 403, (name, url)

    assert tv.post("/tv/sign-out/").status_code == 302
    assert not Device.objects.for_account(user).signed_in().filter(kind="tv").exists()
    assert web.get("/account/").status_code == 200
