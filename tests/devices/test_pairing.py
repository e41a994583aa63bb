"""Signing a TV in with a code: the web approves, the TV's next poll signs it in."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from accounts.models import SecurityEvent
from devices import pairing
from devices.models import Device, PairingCode
from tests.client import Client
from tests.factories import PASSWORD

from .pairing_helpers import approve, code_on_screen, new_tv, poll

pytestmark = pytest.mark.django_db

PS5 = (
    "Mozilla/5.0 (PlayStation; PlayStation 5/2.26) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/13.0 Safari/605.1.15"
)


def test_tv_shows_a_code_qr_and_the_activate_address():
    tv = new_tv()

    page = tv.get("/tv/").content.decode()

    assert "Sign in on your phone or computer" in page
    assert "/activate/" in page
    assert "<svg" in page
    code = code_on_screen(tv)
    assert set(code.replace("-", "")) <= set(PairingCode.ALPHABET)
    assert "Code expires in" in page


def test_tv_secret_is_httponly_long_and_stored_hashed():
    tv = new_tv()
    tv.get("/tv/")

    cookie = tv.cookies["sg_tv"]
    assert cookie["httponly"]
    assert len(cookie.value) >= 43  # 32 random bytes, base64
    code = PairingCode.objects.get()
    assert code.secret_hash == pairing.secret_hash(cookie.value)
    assert cookie.value not in code.secret_hash


def test_the_same_tv_keeps_its_code_until_it_expires():
    tv = new_tv()
    first = code_on_screen(tv)

    assert code_on_screen(tv) == first
    with time_machine.travel(timezone.now() + timedelta(minutes=11)):
        assert code_on_screen(tv) != first


def test_full_flow_web_approves_and_the_tv_signs_in(
    user, confirmed, django_capture_on_commit_callbacks
):
    web = confirmed(user)
    tv = new_tv()
    code = code_on_screen(tv)
    assert poll(tv).status_code == 200

    confirm = web.post("/activate/", {"code": code})
    page = web.get(confirm["Location"]).content.decode()
    assert "Samsung Smart TV" in page
    assert "United Kingdom" in page
    assert "81.2.69.142" in page
    assert "Sign in for 24 hours only" in page
    web.post(confirm["Location"] + "sign-in/")

    with django_capture_on_commit_callbacks(execute=True):
        response = poll(tv)

    assert response["HX-Redirect"] == "/tv/"
    home = tv.get("/tv/").content.decode()
    assert "Who's watching?" in home
    device = Device.objects.get(user=user, kind=Device.Kind.TV)
    assert device.name == "Samsung Smart TV"
    assert device.is_signed_in
    assert SecurityEvent.objects.filter(user=user, kind="pairing_approved").exists()
    assert SecurityEvent.objects.filter(user=user, kind="signed_in", device=device).exists()
    assert "New sign-in on Samsung Smart TV near United Kingdom" in [m.subject for m in mail.outbox]


def test_get_on_the_confirmation_page_never_approves(user, sign_in):
    web = sign_in(user)
    tv = new_tv()
    code = code_on_screen(tv)
    confirm = web.post("/activate/", {"code": code})

    web.get(confirm["Location"])
    poll(tv)

    assert tv.get("/tv/").status_code == 200
    assert not Device.objects.filter(user=user, kind=Device.Kind.TV).exists()
    assert PairingCode.objects.get().status == PairingCode.Status.PENDING


def test_code_is_one_time(user, sign_in):
    web = sign_in(user)
    tv = new_tv()
    code = code_on_screen(tv)
    approve(web, code)
    poll(tv)
    assert Device.objects.filter(user=user, kind=Device.Kind.TV).count() == 1

    again = web.post("/activate/", {"code": code})

    assert again.status_code == 400
    assert "wrong or has expired" in again.content.decode()


def test_redeemed_code_cannot_sign_in_a_second_tv_with_a_copied_secret(user, sign_in):
    web = sign_in(user)
    tv = new_tv()
    approve(web, code_on_screen(tv))
    thief = new_tv()
    thief.cookies["sg_tv"] = tv.cookies["sg_tv"].value
    poll(tv)

    response = poll(thief)

    assert "expired" in response.content.decode()
    assert thief.get("/tv/").content.decode().count("Who's watching?") == 0


def test_cancel_kills_the_code_and_the_tv_is_told(user, sign_in):
    web = sign_in(user)
    tv = new_tv()
    code = code_on_screen(tv)

    approve(web, code, action="cancel")
    response = poll(tv)

    assert "Sign-in was cancelled" in response.content.decode()
    assert not Device.objects.filter(user=user, kind=Device.Kind.TV).exists()
    assert web.post("/activate/", {"code": code}).status_code == 400
    assert code_on_screen(tv) != code


def test_expired_code_is_refused_on_activate_and_the_tv_gets_no_session(user, sign_in):
    web = sign_in(user)
    tv = new_tv()
    code = code_on_screen(tv)

    with time_machine.travel(timezone.now() + timedelta(minutes=11)):
        refused = web.post("/activate/", {"code": code})
        polled = poll(tv)

    assert refused.status_code == 400
    assert "expired" in polled.content.decode()
    assert "sessionid" not in tv.cookies


def test_approval_after_expiry_is_refused(user, sign_in):
    web = sign_in(user)
    tv = new_tv()
    confirm = web.post("/activate/", {"code": code_on_screen(tv)})

    with time_machine.travel(timezone.now() + timedelta(minutes=11)):
        # The password re-entered just now: only the code's age stands in the way.
        web.post("/account/confirm-password/", {"password": PASSWORD})
        response = web.post(confirm["Location"] + "sign-in/")

    assert response.status_code == 410
    assert PairingCode.objects.get().status == PairingCode.Status.PENDING


def test_polling_too_fast_gets_slow_down_and_a_longer_interval():
    tv = new_tv()
    code_on_screen(tv)
    poll(tv)

    response = tv.post("/tv/poll/", headers={"HX-Request": "true"})

    page = response.content.decode()
    assert 'data-status="slow_down"' in page
    assert 'hx-trigger="every 10s"' in page
    assert PairingCode.objects.get().poll_interval == 10


@pytest.mark.parametrize(
    ("cookie", "status"), [(None, 400), ("forged-secret-value", 401), ("x" * 5000, 401)]
)
def test_poll_with_a_missing_or_forged_secret_creates_nothing(cookie, status):
    tv = new_tv()
    if cookie:
        tv.cookies["sg_tv"] = cookie

    response = tv.post("/tv/poll/")

    assert response.status_code == status
    assert not PairingCode.objects.exists()
    assert "sessionid" not in tv.cookies


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "8 letters"),
        ("ABC", "8 letters"),
        ("BCDF-GHJ1", "consonants only, like BCDF-GHJK"),
        ("AEIOUAEI", "consonants only, like BCDF-GHJK"),
        ("<script>x</script>", "8 letters"),
        ("BCDFGHJK", "wrong or has expired"),
    ],
)
def test_malformed_or_unknown_codes_get_a_clear_message(typed, message, user, sign_in):
    web = sign_in(user)

    response = web.post("/activate/", {"code": typed})

    assert response.status_code == 400
    assert message in response.content.decode()
    assert "<script>x" not in response.content.decode()


def test_code_entry_ignores_case_and_the_dash_and_is_prefilled_from_the_qr_link(user, sign_in):
    web = sign_in(user)
    tv = new_tv()
    code = code_on_screen(tv)

    prefilled = web.get(f"/activate/?code={code.replace('-', '')}").content.decode()
    response = web.post("/activate/", {"code": f" {code.lower()} "})

    assert f'value="{code.replace("-", "")}"' in prefilled
    assert response.status_code == 302


def test_five_wrong_codes_lock_code_entry_without_looking_up(user, sign_in):
    web = sign_in(user)
    tv = new_tv()
    good = code_on_screen(tv)
    for _ in range(5):
        web.post("/activate/", {"code": "BCDFBCDF"})

    response = web.post("/activate/", {"code": good})

    assert response.status_code == 429
    assert "Too many tries, wait a few minutes" in response.content.decode()


def test_wrong_codes_from_one_ip_lock_every_account_on_it(user, other_user, sign_in):
    for _ in range(5):
        sign_in(user).post("/activate/", {"code": "BCDFBCDF"})

    assert sign_in(other_user).post("/activate/", {"code": "BCDFBCDF"}).status_code == 429


def test_activate_needs_a_signed_in_account():
    response = Client().get("/activate/?code=BCDFGHJK")

    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=/activate/")


def test_24_hour_sign_in_ends_by_itself(user, sign_in):
    web = sign_in(user)
    tv = new_tv()
    approve(web, code_on_screen(tv), action="sign_in_24h")
    poll(tv)
    assert tv.get("/tv/heartbeat/").status_code == 204
    device = Device.objects.get(user=user, kind=Device.Kind.TV)
    assert device.expires_at is not None

    with time_machine.travel(timezone.now() + timedelta(hours=23)):
        assert tv.get("/tv/heartbeat/").status_code == 204
    with time_machine.travel(timezone.now() + timedelta(hours=24, minutes=1)):
        response = tv.get("/tv/heartbeat/", headers={"HX-Request": "true"})
        assert response["HX-Redirect"] == "/tv/?signed_out=1"
        assert not Device.objects.for_account(user).filter(kind=Device.Kind.TV).signed_in().exists()


def test_remote_sign_out_is_seen_by_the_tv_heartbeat(user, sign_in):
    web = sign_in(user)
    tv = new_tv()
    approve(web, code_on_screen(tv))
    poll(tv)
    device = Device.objects.get(user=user, kind=Device.Kind.TV)

    web.post(f"/account/devices/{device.id}/sign-out/")
    response = tv.get("/tv/heartbeat/", headers={"HX-Request": "true"})

    assert response["HX-Redirect"] == "/tv/?signed_out=1"
    page = tv.get(response["HX-Redirect"]).content.decode()
    assert "You've been signed out" in page
    assert re.search(r"[A-Z]{4}-[A-Z]{4}", page)


def test_sign_out_on_the_tv_itself_shows_a_fresh_code(user, sign_in):
    web = sign_in(user)
    tv = new_tv()
    first = code_on_screen(tv)
    approve(web, first)
    poll(tv)

    response = tv.post("/tv/sign-out/")

    assert response["Location"] == "/tv/?signed_out=1"  # the code screen says it signed out
    assert code_on_screen(tv) != first
    device = Device.objects.get(user=user, kind=Device.Kind.TV)
    assert device.signed_out_reason == Device.SignOutReason.SELF


def test_tv_menu_has_settings_and_the_console_has_get_help(user, sign_in):
    web = sign_in(user)
    tv = new_tv()
    approve(web, code_on_screen(tv))
    poll(tv)
    console = new_tv(user_agent=PS5)
    approve(web, code_on_screen(console, "/tv/?platform=playstation"))
    poll(console)

    tv_home = tv.get("/tv/").content.decode()
    console_home = console.get("/tv/?platform=playstation").content.decode()

    assert "Settings" in tv_home
    assert "Get help" not in tv_home
    assert "Get help" in console_home
    assert "Sign out" in console_home
    assert Device.objects.get(user=user, kind=Device.Kind.CONSOLE).name == "PlayStation 5"


def test_a_desktop_browser_on_the_tv_client_is_recorded_as_a_tv(user, sign_in):
    web = sign_in(user)
    tv = new_tv(
        user_agent="Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 "
        "(KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"
    )
    approve(web, code_on_screen(tv))
    poll(tv)

    assert Device.objects.get(user=user, kind=Device.Kind.TV).name == "TV app (Chrome on Linux)"
