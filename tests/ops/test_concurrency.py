"""Parallel requests at a live server (threads) get normal answers, never a 500, and the
account's stream limit holds. Runs on whichever database the suite runs on."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from threading import Barrier

import pytest
from django.conf import settings
from django.contrib.auth.hashers import make_password

from accounts.models import SecurityEvent
from catalog.models import Rating, Viewing
from devices import pairing
from devices.models import PairingCode
from parental.models import ParentalPin, ProfileControls
from parental.services import MAX_WRONG_PINS
from tests.catalog.factories import TitleFactory
from tests.conftest import SAFARI_IPHONE
from tests.factories import PASSWORD, ProfileFactory, UserFactory
from tests.http import Browser

pytestmark = pytest.mark.django_db(transaction=True)


def _at_once(calls):
    """Run the calls in threads released together; their responses in order."""
    barrier = Barrier(len(calls))

    def run(call):
        barrier.wait(timeout=10)
        return call()

    with ThreadPoolExecutor(len(calls)) as pool:
        return list(pool.map(run, calls))


def test_six_devices_pressing_play_at_once_get_the_limit_and_no_500(live_server):
    user = UserFactory()
    profile = user.profiles.get()
    TitleFactory(slug="kettle", name="Kettle", rating=Rating.G)
    browsers = []
    for n in range(6):
        browser = Browser(live_server.url, user_agent=f"{SAFARI_IPHONE} #{n}").sign_in(user.email)
        assert browser.post(f"/profiles/{profile.public_id}/pick/").status_code == 302
        browsers.append(browser)

    plays = _at_once([lambda b=b: b.post("/watch/kettle/") for b in browsers])

    statuses = sorted(response.status_code for response in plays)
    assert statuses == [302] * settings.STREAM_LIMIT + [409] * (6 - settings.STREAM_LIMIT)
    refused = next(response for response in plays if response.status_code == 409)
    assert "Stop playback on" in refused.text
    assert Viewing.objects.filter(user=user).playing().count() == settings.STREAM_LIMIT

    # Each playing device's player reports several times at once (a tab and its reload).
    players = [b for b, r in zip(browsers, plays, strict=True) if r.status_code == 302]
    urls = [r.headers["Location"] for r in plays if r.status_code == 302]
    beats = []
    for browser, url in zip(players, urls, strict=True):
        viewing_id = url.split("v=")[1]
        beats += [lambda b=browser, v=viewing_id: b.post(f"/viewings/{v}/heartbeat/")] * 3
    assert {response.status_code for response in _at_once(beats)} == {302}
    assert Viewing.objects.filter(user=user).playing().count() == settings.STREAM_LIMIT


def test_two_polls_of_one_tv_at_the_same_moment_get_the_current_state(live_server):
    user = UserFactory()
    tv = Browser(live_server.url, user_agent="Mozilla/5.0 (SMART-TV; Tizen 6.0) TV Safari/538.1")
    assert tv.get("/tv/").status_code == 200
    code = PairingCode.objects.get()

    # The code screen polls with htmx (without JavaScript, "I've entered the code" redirects).
    poll = {"HX-Request": "true"}
    pending = _at_once([lambda: tv.post("/tv/poll/", headers=poll)] * 2)
    assert [r.status_code for r in pending] == [200, 200]

    pairing.pairing_approve(code=code, user=user, limited=False, request=None)  # type: ignore[arg-type]
    PairingCode.objects.filter(pk=code.pk).update(last_polled_at=None)
    polls = _at_once([lambda: tv.post("/tv/poll/", headers=poll)] * 2)

    assert sorted(r.status_code for r in polls) == [200, 200]
    assert sum("HX-Redirect" in r.headers for r in polls) == 1  # signed in exactly once
    assert user.devices.count() == 1


def test_one_browser_signing_in_twice_at_once_stays_one_device(live_server):
    user = UserFactory()
    first = Browser(live_server.url).sign_in(user.email)
    device_cookie = first.http.cookies[settings.DEVICE_COOKIE_NAME]
    assert first.post("/logout/").status_code == 302
    tabs = []
    for _ in range(2):  # two tabs of the same browser: the same device cookie
        tab = Browser(live_server.url)
        tab.http.cookies.set(settings.DEVICE_COOKIE_NAME, device_cookie)
        tab.csrf()
        tabs.append(tab)

    signed_in = _at_once(
        [
            lambda t=t: t.post("/login/", {"username": user.email, "password": PASSWORD})
            for t in tabs
        ]
    )

    assert [response.status_code for response in signed_in] == [302, 302]
    assert user.devices.count() == 1


def test_wrong_pins_sent_at_once_are_all_counted_and_lock_once(live_server):
    user = UserFactory()
    ParentalPin.objects.create(user=user, pin_hash=make_password("4826"))
    locked = ProfileFactory(user=user, name="Parent")
    ProfileControls.objects.create(profile=locked, locked=True)
    browsers = [
        Browser(live_server.url, user_agent=f"{SAFARI_IPHONE} #{n}").sign_in(user.email)
        for n in range(MAX_WRONG_PINS + 2)
    ]

    tries = _at_once(
        [
            lambda b=b: b.post(f"/profiles/{locked.public_id}/unlock/", {"pin": "0001"})
            for b in browsers
        ]
    )

    assert all(response.status_code < 500 for response in tries)
    # Five wrong PINs lock entry, however close together they came; the rest find it locked.
    assert sum("PIN entry is locked" in response.text for response in tries) == 3
    assert SecurityEvent.objects.filter(user=user, kind="pin_locked").count() == 1
    assert ParentalPin.objects.get(user=user).is_locked
