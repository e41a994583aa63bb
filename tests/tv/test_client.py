"""The TV client after sign-in: profiles, rows and playback through the web's views and policy."""

from __future__ import annotations

import html

import pytest

from catalog.models import Viewing
from devices.models import Device
from parental.models import ProfileControls
from tests.client import Client
from tests.devices.pairing_helpers import approve, code_on_screen, new_tv, poll
from tests.factories import ProfileFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def paired_tv(user, sign_in) -> Client:
    web = sign_in(user)
    tv = new_tv()
    approve(web, code_on_screen(tv))
    poll(tv)
    return tv


def test_picking_a_profile_on_the_tv_opens_its_rows_in_the_tv_layout(
    user, paired_tv, kids_title, adult_title
):
    profile = user.profiles.get()

    response = paired_tv.post(f"/tv/profiles/{profile.public_id}/", follow=True)

    page = response.content.decode()
    assert response.redirect_chain[-1][0] == "/browse/"
    assert 'class="tv-menu"' in page
    assert "js/tv.js" in page
    assert "Settings" in page
    assert 'hx-get="/tv/heartbeat/"' in page
    assert "Captain Kettle" in page
    assert "Blood Orange" in page


def test_the_tv_shows_a_kids_profile_only_what_the_policy_allows(
    user, paired_tv, kids_title, adult_title
):
    kids = ProfileFactory(user=user, name="Kids", is_kids=True)
    paired_tv.post(f"/tv/profiles/{kids.public_id}/")

    browse = paired_tv.get("/browse/").content.decode()

    assert "Captain Kettle" in browse
    assert "Blood Orange" not in browse
    refused = paired_tv.get(f"/title/{adult_title.slug}/")
    assert refused.status_code == 403
    assert f"<h1>{adult_title.name}</h1>" in refused.content.decode()
    assert paired_tv.post(f"/watch/{adult_title.slug}/").status_code == 403


def test_playing_on_the_tv_records_the_tv_as_the_device(user, paired_tv, kids_title):
    paired_tv.post(f"/tv/profiles/{user.profiles.get().public_id}/")

    started = paired_tv.post(f"/watch/{kids_title.slug}/")
    player = paired_tv.get(started["Location"]).content.decode()

    viewing = Viewing.objects.get()
    assert viewing.device == Device.objects.get(user=user, kind=Device.Kind.TV)
    assert viewing.device_name == "Samsung Smart TV"
    assert 'class="tv-menu"' in player


def test_a_locked_profile_asks_for_the_pin_on_an_on_screen_pad(user, paired_tv, with_pin):
    parent = ProfileFactory(user=user, name="Parent")
    ProfileControls.objects.create(profile=parent, locked=True)

    home = paired_tv.get("/tv/").content.decode()
    pad = paired_tv.post(f"/tv/profiles/{parent.public_id}/")
    wrong = paired_tv.post(f"/tv/profiles/{parent.public_id}/", {"pin": "0001"})
    right = paired_tv.post(f"/tv/profiles/{parent.public_id}/", {"pin": with_pin})

    assert "Locked" in home
    assert "Enter your PIN to open Parent" in pad.content.decode()
    assert 'data-digit="5"' in pad.content.decode()
    assert wrong.status_code == 400
    assert right["Location"] == "/browse/"


def test_the_web_browser_keeps_the_web_layout(user, sign_in, kids_title):
    web = sign_in(user)
    web.post(f"/profiles/{user.profiles.get().public_id}/pick/")

    page = web.get("/browse/").content.decode()

    assert 'class="tv-menu"' not in page
    assert "Account menu" in page


def test_another_accounts_profile_on_the_tv_is_404(paired_tv, other_user):
    theirs = other_user.profiles.get()

    assert paired_tv.post(f"/tv/profiles/{theirs.public_id}/").status_code == 404


def test_signing_out_on_the_tv_says_so_on_the_code_screen(paired_tv):
    response = paired_tv.post("/tv/sign-out/", follow=True)

    assert response.redirect_chain[-1][0] == "/tv/?signed_out=1"
    assert "You've been signed out" in html.unescape(response.content.decode())
