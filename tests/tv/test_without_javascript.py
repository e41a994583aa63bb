"""A TV browser without JavaScript: plain forms from the code screen to signing itself out."""

from __future__ import annotations

import pytest

from devices.models import Device
from tests.devices.pairing_helpers import approve, code_on_screen, new_tv

pytestmark = pytest.mark.django_db


def test_ive_entered_the_code_collects_an_approved_code_with_a_plain_post(user, sign_in):
    web = sign_in(user)
    tv = new_tv()
    code = code_on_screen(tv)
    page = tv.get("/tv/").content.decode()
    assert '<form method="post" action="/tv/poll/">' in page
    approve(web, code)

    response = tv.post("/tv/poll/")

    assert response.status_code == 302
    assert response["Location"] == "/tv/"
    assert "<h1>Who's watching?</h1>" in tv.get("/tv/").content.decode()
    assert Device.objects.filter(user=user, kind=Device.Kind.TV).signed_in().exists()


def test_ive_entered_the_code_before_approving_keeps_the_same_code_and_says_so(user):
    tv = new_tv()
    code = code_on_screen(tv)

    response = tv.post("/tv/poll/", follow=True)

    page = response.content.decode()
    assert response.redirect_chain == [("/tv/?waiting=1", 302)]
    assert "Not signed in yet" in page
    assert code in page


def test_settings_sign_out_and_yes_are_plain_pages_and_forms(user, sign_in):
    web = sign_in(user)
    tv = new_tv()
    approve(web, code_on_screen(tv))
    tv.post("/tv/poll/")

    home = tv.get("/tv/").content.decode()
    settings_page = tv.get("/tv/settings/").content.decode()
    confirm = tv.get("/tv/sign-out/").content.decode()

    assert 'href="/tv/settings/"' in home
    assert 'href="/tv/sign-out/"' in settings_page
    assert "Sign out?" in confirm
    assert "data-initial-focus autofocus>No</a>" in confirm
    # The code screen, saying the TV signed out (as when it is signed out from the web).
    assert tv.post("/tv/sign-out/")["Location"] == "/tv/?signed_out=1"
    code_screen = tv.get("/tv/?signed_out=1").content.decode()
    assert "Sign in on your phone or computer" in code_screen
    assert "You've been signed out" in code_screen
    assert not Device.objects.filter(user=user, kind=Device.Kind.TV).signed_in().exists()


def test_the_sign_out_dialog_starts_on_no(user, sign_in):
    web = sign_in(user)
    tv = new_tv()
    approve(web, code_on_screen(tv))
    tv.post("/tv/poll/")

    page = tv.get("/tv/").content.decode()

    dialog = page[page.index('<dialog id="tv-sign-out"') :]
    assert "data-close-dialog data-initial-focus>No</button>" in dialog


def test_an_approved_code_is_collected_even_right_after_a_poll(user, sign_in):
    web = sign_in(user)
    tv = new_tv()
    code = code_on_screen(tv)
    tv.post("/tv/poll/", headers={"HX-Request": "true"})
    approve(web, code)

    response = tv.post("/tv/poll/")

    assert response["Location"] == "/tv/"
    assert Device.objects.filter(user=user, kind=Device.Kind.TV).signed_in().exists()


def test_a_named_tv_keeps_its_name_when_it_pairs_again(user, sign_in):
    web = sign_in(user)
    tv = new_tv()
    approve(web, code_on_screen(tv))
    tv.post("/tv/poll/")
    device = Device.objects.get(user=user, kind=Device.Kind.TV)
    web.post(f"/account/devices/{device.id}/rename/", {"name": "Living room TV"})
    tv.post("/tv/sign-out/")

    approve(web, code_on_screen(tv))
    tv.post("/tv/poll/")

    device.refresh_from_db()
    assert device.name == "Living room TV"
    assert device.is_signed_in
