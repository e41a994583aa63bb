"""A child on the Kids profile of one device, a parent on another: every way a
ten-year-old would try to walk around the parental controls is refused, and nothing in
the database moves."""

from __future__ import annotations

import html

import pytest
from django.core import mail

from accounts.events import event_detail
from accounts.models import Profile, SecurityEvent
from catalog.models import Viewing
from parental.models import ParentalPin, ProfileControls, ViewingWindow
from tests.catalog.factories import ViewingFactory
from tests.client import Client
from tests.conftest import CHROME_WINDOWS, SAFARI_IPHONE, SAMSUNG_TV
from tests.factories import ProfileFactory

from .conftest import GOOD_PIN
from .helpers import snapshot

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


def text(response) -> str:
    return html.unescape(response.content.decode())


@pytest.fixture
def household(user, with_pin, comedy, kids_title, adult_title):
    """The demo's shape: an adult profile, a PIN-locked adult, a Kids profile with rules."""
    parent = user.profiles.get()
    parent.name = "Alex"
    parent.save()
    locked = ProfileFactory(user=user, name="Sam")
    ProfileControls.objects.create(profile=locked, locked=True)
    kids = ProfileFactory(user=user, name="Kids", is_kids=True)
    controls = ProfileControls.objects.create(profile=kids, maturity=7, daily_limit_minutes=60)
    controls.blocked_titles.add(kids_title)
    ViewingWindow.objects.create(controls=controls, weekday=0, starts="07:00", ends="20:00")
    ViewingFactory(profile=kids, title=kids_title)
    ViewingFactory(profile=parent, title=adult_title)
    return {"parent": parent, "locked": locked, "kids": kids}


@pytest.fixture
def child(household, sign_in) -> Client:
    """The child's phone, on the Kids profile (picked while a grown-up was there)."""
    browser = sign_in(household["kids"].user, user_agent=SAFARI_IPHONE)
    assert browser.post(f"/profiles/{household['kids'].public_id}/pick/").status_code == 302
    return browser


def still_kids(browser: Client, kids: Profile) -> None:
    assert browser.session["profile_id"] == str(kids.public_id)


def test_switch_profile_from_kids_asks_for_the_pin_on_the_web(household, child):
    kids, parent = household["kids"], household["parent"]
    before = snapshot(kids.user)

    pick = child.post(f"/profiles/{parent.public_id}/pick/")
    pad = child.get(pick["Location"])
    straight = child.post(f"/profiles/{parent.public_id}/unlock/")
    wrong = child.post(f"/profiles/{parent.public_id}/unlock/", {"pin": "0001"})
    letters = child.post(f"/profiles/{parent.public_id}/unlock/", {"pin": "abcd"})
    # Another account's profile is not found, and nothing else opens either.
    stranger = ProfileFactory()
    foreign = child.post(f"/profiles/{stranger.public_id}/pick/")

    assert pick["Location"] == f"/profiles/{parent.public_id}/unlock/"
    assert "Enter your PIN to open Alex" in text(pad)
    assert "Leaving the Kids profile needs the parental PIN." in text(pad)
    assert "Forgot PIN?" in text(pad)
    assert straight.status_code == 200
    assert wrong.status_code == 400
    assert "That PIN is not right. 4 tries left." in text(wrong)
    assert letters.status_code == 400
    assert "digits only" in text(letters)
    assert foreign.status_code == 404
    still_kids(child, kids)
    assert snapshot(kids.user) == before

    right = child.post(f"/profiles/{parent.public_id}/unlock/", {"pin": GOOD_PIN})

    assert right.status_code == 302
    assert child.session["profile_id"] == str(parent.public_id)


def test_switch_profile_from_kids_asks_for_the_pin_on_the_tv(household, sign_in):
    kids, parent = household["kids"], household["parent"]
    tv = sign_in(kids.user, user_agent=SAMSUNG_TV)
    assert tv.post(f"/tv/profiles/{kids.public_id}/").status_code == 302

    pad = tv.post(f"/tv/profiles/{parent.public_id}/")
    wrong = tv.post(f"/tv/profiles/{parent.public_id}/", {"pin": "0001"})

    assert pad.status_code == 200
    assert "Leaving the Kids profile needs the parental PIN." in text(pad)
    assert 'data-digit="5"' in text(pad)
    assert wrong.status_code == 400
    still_kids(tv, kids)
    assert tv.post(f"/tv/profiles/{parent.public_id}/", {"pin": GOOD_PIN}).status_code == 302
    assert tv.session["profile_id"] == str(parent.public_id)


def test_staying_on_kids_or_having_no_pin_asks_nothing(household, child, user):
    kids, parent = household["kids"], household["parent"]
    # Picking the Kids profile again is no escape.
    assert child.post(f"/profiles/{kids.public_id}/pick/")["Location"] == "/"
    ParentalPin.objects.filter(user=user).delete()

    # Without a PIN, Kids can be left freely: the controls pages say so.
    assert child.post(f"/profiles/{parent.public_id}/pick/")["Location"] == "/"
    assert child.session["profile_id"] == str(parent.public_id)


def test_a_kids_profile_reaches_no_setting_and_no_other_history(household, child):
    kids, parent = household["kids"], household["parent"]
    before = snapshot(kids.user)
    viewing = Viewing.objects.get(profile=kids)
    gated = [
        ("get", "/account/"),
        ("get", "/account/parental/"),
        ("get", "/account/parental-pin/"),
        ("post", "/account/parental-pin/remove/"),
        ("get", "/account/time-zone/"),
        ("get", "/account/confirm-password/"),
        ("get", "/profiles/manage/"),
        ("get", "/profiles/add/"),
        ("post", f"/profiles/{kids.public_id}/edit/"),
        ("post", f"/profiles/{kids.public_id}/delete/"),
        ("post", f"/profiles/{kids.public_id}/parental/"),
        ("post", f"/profiles/{kids.public_id}/parental/titles/unblock/"),
    ]
    for method, url in gated:
        response = getattr(child, method)(url, {"name": "Kids", "colour": "red"})
        assert response.status_code == 403, url
        assert "Kids profile" in text(response), url

    assert child.get(f"/profiles/{parent.public_id}/activity/").status_code == 404
    # Exporting history needs the account password, which a Kids profile never reaches.
    assert child.get(f"/profiles/{parent.public_id}/activity/download/").status_code == 403
    # Its own history: readable, but "Hide" is the account holder's.
    own = child.get(f"/profiles/{kids.public_id}/activity/")
    assert own.status_code == 200
    assert "Hide" not in text(own)
    hide = child.post(f"/profiles/{kids.public_id}/activity/{viewing.public_id}/hide/")
    assert hide.status_code == 403
    still_kids(child, kids)
    assert snapshot(kids.user) == before


def test_on_an_adult_profile_weakening_changes_need_the_password(household, sign_in, user):
    """A child who got onto an unlocked adult profile still cannot undo the rules."""
    kids, parent = household["kids"], household["parent"]
    browser = sign_in(user, user_agent=CHROME_WINDOWS)
    browser.post(f"/profiles/{parent.public_id}/pick/")
    before = snapshot(user)
    attempts = [
        (f"/profiles/{kids.public_id}/edit/", {"name": "Kids", "colour": "yellow"}),
        (f"/profiles/{kids.public_id}/delete/", {}),
        ("/profiles/add/", {"name": "Sneaky", "colour": "red"}),
        ("/account/parental-pin/remove/", {}),
        (f"/profiles/{household['locked'].public_id}/parental/", {"maturity": "18"}),
        (f"/profiles/{kids.public_id}/parental/", {"maturity": "18"}),
        (f"/profiles/{kids.public_id}/parental/titles/unblock/", {"title": "captain-kettle"}),
        ("/account/time-zone/", {"time_zone": "Pacific/Kiritimati"}),
    ]
    for url, data in attempts:
        response = browser.post(url, data)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/account/confirm-password/?next="), url
        fragment = browser.post(
            url, data, headers={**HTMX, "HX-Current-URL": "http://testserver/profiles/manage/"}
        )
        assert fragment["HX-Redirect"].startswith("/account/confirm-password/?next="), url
        assert "%2Fprofiles%2Fmanage%2F" in fragment["HX-Redirect"], url
    assert snapshot(user) == before
    assert not Profile.objects.filter(name="Sneaky").exists()

    # A guessed password is no way through either.
    wrong = browser.post("/account/confirm-password/", {"password": "kids-guess-1"})
    assert wrong.status_code == 200
    assert browser.post("/account/parental-pin/remove/")["Location"].startswith(
        "/account/confirm-password/"
    )
    assert snapshot(user) == before


def test_the_parent_on_another_device_does_all_of_it_after_the_password(
    household, child, confirmed, user, django_capture_on_commit_callbacks
):
    kids, locked = household["kids"], household["locked"]
    parent = confirmed(user)
    parent.post(f"/profiles/{household['parent'].public_id}/pick/")
    viewing = Viewing.objects.get(profile=kids)

    history = parent.get(f"/profiles/{kids.public_id}/activity/")
    with django_capture_on_commit_callbacks(execute=True):
        hidden = parent.post(f"/profiles/{kids.public_id}/activity/{viewing.public_id}/hide/")
        untick = parent.post(f"/profiles/{kids.public_id}/edit/", {"name": "Kids", "colour": "red"})
        removal = parent.get("/account/parental-pin/remove/")
        removed = parent.post("/account/parental-pin/remove/")

    assert "Captain Kettle" in text(history)
    assert "Hide" in text(history)
    assert hidden.status_code == 302
    assert untick["Location"] == "/profiles/manage/"
    assert "Profiles locked with the PIN will open without it" in text(removal)
    assert "Sam" in text(removal)
    assert removed["Location"] == "/account/parental-pin/"
    kids.refresh_from_db()
    assert not kids.is_kids
    # The lock stays as a setting, inactive without a PIN, shown as such.
    assert ProfileControls.objects.get(profile=locked).locked
    overview = text(parent.get("/account/parental/"))
    assert "Lock needs a PIN" in overview
    assert "Kids profiles can be left freely" in overview
    # Setting a PIN again brings the lock back.
    parent.post("/account/parental-pin/", {"pin": "7391", "pin_again": "7391"})
    assert parent.post(f"/profiles/{locked.public_id}/pick/")["Location"].endswith("/unlock/")
    subjects = [m.subject for m in mail.outbox]
    assert "Parental controls changed: Parental PIN removed" in subjects
    removed_event = SecurityEvent.objects.get(user=user, kind="pin_removed")
    assert removed_event.device_name == "Chrome on Windows"
    assert "profile Alex" in event_detail(removed_event)


def test_the_overview_lists_every_profile_with_its_settings(household, confirmed, user, sign_in):
    assert (
        sign_in(user).get("/account/parental/")["Location"].startswith("/account/confirm-password/")
    )

    page = text(confirmed(user).get("/account/parental/"))

    for name in ("Alex", "Sam", "Kids"):
        assert f"> {name}" in page
    assert "Older kids (7+)" in page
    assert "Adults (18+)" in page
    assert "Mon 07:00–20:00" in page
    assert "60 minutes" in page
    assert page.count("<dt>Profile lock</dt><dd>On</dd>") == 1
    assert "UTC" in page
    # No "Kids" badge next to a profile that is called Kids.
    assert 'Kids <span class="badge">Kids</span>' not in page
    assert page.count('href="/profiles/') >= 6


def test_every_parental_change_is_logged_and_emailed_with_profile_and_device(
    household, confirmed, user, django_capture_on_commit_callbacks, adult_title
):
    kids = household["kids"]
    parent = confirmed(user, user_agent=SAFARI_IPHONE)
    parent.post(f"/profiles/{household['parent'].public_id}/pick/")
    url = f"/profiles/{kids.public_id}/parental/"
    monday = {"day0-enabled": "on", "day0-starts": "07:00", "day0-ends": "20:00"}

    with django_capture_on_commit_callbacks(execute=True):
        parent.post(url, {"maturity": "0", "daily_limit_minutes": "60", **monday})
        parent.post(f"{url}titles/block/", {"title": adult_title.slug})
        parent.post(
            url,
            {
                "maturity": "0",
                "daily_limit_minutes": "60",
                **monday,
                "day4-enabled": "on",
                "day4-starts": "20:00",
                "day4-ends": "01:00",
            },
        )
        parent.post("/account/parental-pin/", {"pin": "7391", "pin_again": "7391"})

    events = [
        (event_detail(event), event.device_name)
        for event in SecurityEvent.objects.filter(
            user=user, kind__in=["parental_changed", "pin_changed"]
        ).order_by("id")
    ]
    assert [detail.split(" (")[0] for detail, _ in events] == [
        "Kids: Maturity level changed",
        "Kids: Blood Orange blocked",
        "Kids: Viewing hours changed",
        "Parental PIN changed",
    ]
    assert all("profile Alex" in detail for detail, _ in events)
    assert {device for _, device in events} == {"Safari on iPhone"}
    assert len([m for m in mail.outbox if m.subject.startswith("Parental controls")]) == 4
    assert "on Safari on iPhone, profile Alex" in mail.outbox[-1].body
    security = text(parent.get("/account/security/"))
    assert "Kids: Viewing hours changed" in security
    assert ViewingWindow.objects.get(controls__profile=kids, weekday=4).ends.hour == 1
