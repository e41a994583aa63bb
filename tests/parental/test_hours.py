"""Viewing hours that fit a household: past midnight, presets, minutes left, time zones."""

from __future__ import annotations

import html
from datetime import time

import pytest
import time_machine

from catalog.models import Viewing
from parental import policy
from parental.models import ProfileControls, ViewingWindow
from tests.conftest import SAMSUNG_TV
from tv.context_processors import TV_CLIENT_SESSION_KEY

from .helpers import local_moment

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return html.unescape(response.content.decode())


@pytest.fixture
def friday_nights(user, profile):
    """Friday 20:00 until 01:00 on Saturday, Saturday 09:00–12:00, in Lisbon."""
    user.time_zone = "Europe/Lisbon"
    user.save(update_fields=["time_zone"])
    controls = ProfileControls.objects.create(profile=profile)
    ViewingWindow.objects.create(controls=controls, weekday=4, starts=time(20), ends=time(1))
    ViewingWindow.objects.create(controls=controls, weekday=5, starts=time(9), ends=time(12))
    return controls


@pytest.mark.parametrize(
    ("weekday", "hour", "minute", "allowed"),
    [
        (4, 19, 59, False),  # Friday before the window
        (4, 20, 0, True),
        (4, 23, 59, True),
        (5, 0, 30, True),  # Saturday, still Friday's night
        (5, 1, 0, False),  # Friday's night is over, Saturday's hours not begun
        (5, 10, 0, True),
        (5, 12, 0, False),
        (6, 0, 30, True),  # Sunday has no hours: any time
    ],
)
def test_a_window_that_crosses_midnight_runs_into_the_next_morning(
    weekday, hour, minute, allowed, user, profile, kids_title, friday_nights
):
    with time_machine.travel(local_moment(user, weekday, hour, minute)):
        assert bool(policy.can_play(profile, kids_title)) is allowed


def test_minutes_left_today_on_the_player_and_the_tv(
    user, profile, watch_as, kids_title, friday_nights
):
    friday_nights.daily_limit_minutes = 300
    friday_nights.save()
    with time_machine.travel(local_moment(user, 4, 23, 15), tick=False):
        assert policy.minutes_left_today(profile) == 105  # until 01:00, before the limit
        web = watch_as(profile)
        started = web.post(f"/watch/{kids_title.slug}/")
        player = text(web.get(started["Location"]))
        tv = watch_as(profile, user_agent=SAMSUNG_TV)
        session = tv.session
        session[TV_CLIENT_SESSION_KEY] = "tv"  # as /tv/ pairing leaves it
        session.save()
        tv_page = text(tv.get(f"/watch/{kids_title.slug}/"))
    assert "105 minutes left today" in player
    assert "css/tv.css" in tv_page
    assert "105 minutes left today" in tv_page


def test_the_daily_limit_counts_down(user, profile, kids_title):
    ProfileControls.objects.create(profile=profile, daily_limit_minutes=45)
    assert policy.minutes_left_today(profile) == 45
    assert policy.minutes_left_today(user.profiles.create(name="Free")) is None
    assert not Viewing.objects.exists()


def _hours(**days):
    data = {"maturity": "18", "daily_limit_minutes": ""}
    for day, (starts, ends) in days.items():
        data.update({f"{day}-enabled": "on", f"{day}-starts": starts, f"{day}-ends": ends})
    return data


def test_copy_to_every_day_and_presets_fill_the_form_without_saving(user, profile, confirmed):
    browser = confirmed(user)
    url = f"/profiles/{profile.public_id}/parental/"

    copied = browser.post(url, {**_hours(day2=("19:30", "00:30")), "apply": "copy"})
    weekend = browser.post(url, {**_hours(), "apply": "weekend"})
    weekdays = browser.post(url, {**_hours(), "apply": "weekdays"})

    assert copied.status_code == 200
    page = text(copied)
    assert page.count('value="19:30" selected') == 7
    assert page.count('value="00:30" selected') == 7
    assert "Check them, then press Save." in page
    assert text(weekend).count('value="21:30" selected') == 2
    assert text(weekdays).count('value="20:00" selected') == 5
    assert not ViewingWindow.objects.exists()

    saved = browser.post(url, _hours(**{f"day{d}": ("19:30", "00:30") for d in range(7)}))

    assert saved.status_code == 302
    assert ViewingWindow.objects.filter(starts=time(19, 30), ends=time(0, 30)).count() == 7


def test_times_are_in_the_account_time_zone_and_labelled(user, profile, confirmed):
    user.time_zone = "America/Sao_Paulo"
    user.save(update_fields=["time_zone"])
    browser = confirmed(user)

    page = text(browser.get(f"/profiles/{profile.public_id}/parental/"))
    overview = text(browser.get("/account/parental/"))
    zone_page = text(browser.get("/account/time-zone/"))

    assert "From (America/Sao_Paulo)" in page
    assert "America/Sao_Paulo" in overview
    assert "js/time-zone.js" in zone_page
    assert "data-browser-zone" in zone_page
    assert "<script>" not in zone_page  # no inline script: a static file suggests the zone


@pytest.mark.parametrize("zone", ["Mars/Olympus_Mons", "", "Europe/London" * 50, "<b>x</b>"])
def test_an_unknown_time_zone_gets_a_clear_message(zone, user, confirmed):
    response = confirmed(user).post("/account/time-zone/", {"time_zone": zone})

    assert response.status_code == 400
    assert "not a time zone StreamGuard knows" in text(
        response
    ) or "This field is required" in text(response)
    user.refresh_from_db()
    assert user.time_zone == "UTC"


def test_words_possessive_age_hints_and_no_double_kids_badge(
    user, kids_profile, adult_title, confirmed, watch_as
):
    decision = policy.can_view(kids_profile, adult_title)
    assert "above Kids' maturity level" in decision.message
    assert policy.possessive("Sam") == "Sam's"

    browser = confirmed(user)
    page = text(browser.get(f"/profiles/{kids_profile.public_id}/parental/"))
    assert "Older kids (7+)" in page
    assert "Little kids (all ages)" in page
    assert 'Kids <span class="badge">Kids</span>' not in page
    assert 'Kids <span class="badge">Kids</span>' not in text(browser.get("/profiles/manage/"))


def test_title_search_stays_on_the_controls_page_with_and_without_javascript(
    user, profile, confirmed, adult_title
):
    browser = confirmed(user)
    controls = f"/profiles/{profile.public_id}/parental/"

    typed = browser.get(f"{controls}titles/", {"q": "Blood"}, headers={"HX-Request": "true"})
    plain = browser.get(f"{controls}titles/", {"q": "Blood"}, follow=True)
    added = browser.post(
        f"{controls}titles/block/", {"title": adult_title.slug, "q": "Blood"}, follow=True
    )

    assert 'id="results"' in text(typed)
    assert "<html" not in text(typed)
    assert plain.redirect_chain[0][0].startswith(f"{controls}?q=Blood")
    # The page with "Add" also holds the list "Add" updates.
    for response in (plain, added):
        assert 'hx-target="#blocked-titles"' in text(response)
        assert 'id="blocked-titles"' in text(response)
    assert "Blood Orange blocked." in text(added)
    assert ProfileControls.objects.get(profile=profile).blocked_titles.get() == adult_title
