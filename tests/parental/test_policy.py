"""Parental rules, enforced by parental.policy in every view: levels, blocks, PIN unlocks, hours."""

from __future__ import annotations

import html
from datetime import time, timedelta

import pytest
import time_machine
from django.utils import timezone

from catalog.models import Rating, Viewing
from parental.models import ProfileControls, ViewingWindow
from tests.catalog.conftest import HTMX, make_viewings
from tests.catalog.factories import TitleFactory
from tests.conftest import SAFARI_IPHONE
from tests.factories import ProfileFactory

from .conftest import GOOD_PIN
from .helpers import local_moment

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return html.unescape(response.content.decode())


@pytest.fixture
def teen_title(comedy):
    return TitleFactory(
        slug="locker-room", name="Locker Room", rating=Rating.PG_13, genres=[comedy]
    )


@pytest.fixture
def teen_kid(user):
    """A Kids profile at "Older kids" (the issue's demo: it must never reach a Teens title)."""
    kid = ProfileFactory(user=user, name="Mia", is_kids=True)
    ProfileControls.objects.create(profile=kid, maturity=7)
    return kid


def test_a_level_hides_titles_above_it_from_browse_search_and_continue_watching(
    teen_kid,
    watch_as,
    kids_title,
    teen_title,
):
    make_viewings(teen_kid, 3, titles=[teen_title, kids_title])
    Viewing.objects.update(completed=False)
    browser = watch_as(teen_kid)

    browse = text(browser.get("/browse/"))
    search = text(browser.get("/search/?q=Locker", headers=HTMX))

    assert "Captain Kettle" in browse
    assert "Locker Room" not in browse
    assert "Locker Room" not in search


def test_without_a_pin_a_title_above_the_level_says_what_it_is_and_why(
    teen_kid, watch_as, teen_title
):
    browser = watch_as(teen_kid)

    response = browser.get(f"/title/{teen_title.slug}/")
    assert response.status_code == 403
    page = text(response)
    assert f"<h1>{teen_title.name}</h1>" in page
    assert "Above this profile's maturity level" in page
    assert f"{teen_title.name} is rated {teen_title.rating}, above" in page
    assert browser.post(f"/watch/{teen_title.slug}/").status_code == 403
    assert not Viewing.objects.exists()


def test_opened_directly_a_title_above_the_level_asks_for_the_pin(
    teen_kid, watch_as, teen_title, with_pin
):
    browser = watch_as(teen_kid)

    response = browser.get(f"/title/{teen_title.slug}/", follow=True)

    assert response.redirect_chain[-1][0].startswith(f"/title/{teen_title.slug}/unlock/")
    page = text(response)
    assert "above Mia's maturity level" in page
    assert "for the next 4 hours" in page
    assert browser.post(f"/watch/{teen_title.slug}/").status_code == 302
    assert not Viewing.objects.exists()


def test_the_pin_unlocks_that_title_on_that_profile_and_device_for_four_hours(
    user, teen_kid, watch_as, teen_title, kids_title, with_pin
):
    other_title = TitleFactory(slug="prom-night", name="Prom Night", rating=Rating.PG_13)
    browser = watch_as(teen_kid)
    wrong = browser.post(f"/title/{teen_title.slug}/unlock/", {"pin": "0001"})
    assert wrong.status_code == 400

    right = browser.post(
        f"/title/{teen_title.slug}/unlock/?next=/title/{teen_title.slug}/", {"pin": GOOD_PIN}
    )

    assert right["Location"] == f"/title/{teen_title.slug}/"
    assert browser.get(f"/title/{teen_title.slug}/").status_code == 200
    assert "?v=" in browser.post(f"/watch/{teen_title.slug}/")["Location"]
    # No more than that: not another title, not another device, not after 4 hours.
    assert browser.get(f"/title/{other_title.slug}/").status_code == 302
    assert "Locker Room" not in text(browser.get("/browse/"))
    phone = watch_as(teen_kid, user_agent=SAFARI_IPHONE)
    assert phone.get(f"/title/{teen_title.slug}/").status_code == 302
    with time_machine.travel(timezone.now() + timedelta(hours=4, minutes=1)):
        assert browser.get(f"/title/{teen_title.slug}/").status_code == 302


def test_a_blocked_title_is_never_playable_pin_or_not(profile, watch_as, kids_title, with_pin):
    controls = ProfileControls.objects.create(profile=profile)
    controls.blocked_titles.add(kids_title)
    browser = watch_as(profile)

    assert "Captain Kettle" not in text(browser.get("/browse/"))
    response = browser.get(f"/title/{kids_title.slug}/")
    assert response.status_code == 403
    assert "<h1>Captain Kettle</h1>" in text(response)
    assert "Blocked on this profile" in text(response)
    assert "This title is blocked on this profile." in text(response)
    assert browser.post(f"/watch/{kids_title.slug}/").status_code == 403
    assert browser.post(f"/title/{kids_title.slug}/unlock/", {"pin": GOOD_PIN}).status_code == 403
    assert not Viewing.objects.exists()


def test_blocking_a_title_stops_it_at_the_next_heartbeat(profile, watch_as, kids_title):
    browser = watch_as(profile)
    browser.post(f"/watch/{kids_title.slug}/")
    viewing = Viewing.objects.get()
    ProfileControls.objects.create(profile=profile).blocked_titles.add(kids_title)

    response = browser.post(f"/viewings/{viewing.public_id}/heartbeat/", headers=HTMX)

    assert "isn't available here" in text(response)
    viewing.refresh_from_db()
    assert viewing.stop_reason == Viewing.StopReason.NOT_ALLOWED


@pytest.fixture
def school_hours(user, profile):
    user.time_zone = "Europe/Lisbon"
    user.save(update_fields=["time_zone"])
    controls = ProfileControls.objects.create(profile=profile)
    ViewingWindow.objects.create(controls=controls, weekday=0, starts=time(7), ends=time(20))
    return controls


def test_outside_viewing_hours_playback_is_refused_with_the_reason(
    user,
    profile,
    watch_as,
    kids_title,
    school_hours,
    with_pin,
):
    with time_machine.travel(local_moment(user, 0, 21, 30)):
        browser = watch_as(profile)
        page = text(browser.get(f"/title/{kids_title.slug}/"))
        refused = browser.post(f"/watch/{kids_title.slug}/", follow=True)

    assert "can watch between 07:00 and 20:00 on Mondays" in page
    assert "can watch between 07:00 and 20:00 on Mondays" in text(refused)
    assert "rest of today" in text(refused)
    assert not Viewing.objects.exists()


def test_inside_viewing_hours_and_on_other_days_playback_works(
    user,
    profile,
    watch_as,
    kids_title,
    school_hours,
):
    for moment in (local_moment(user, 0, 19, 59), local_moment(user, 1, 23, 0)):
        with time_machine.travel(moment):
            browser = watch_as(profile)
            assert "?v=" in browser.post(f"/watch/{kids_title.slug}/")["Location"]


def test_the_pin_lifts_viewing_hours_for_the_rest_of_the_day(
    user,
    profile,
    watch_as,
    kids_title,
    school_hours,
    with_pin,
):
    with time_machine.travel(local_moment(user, 0, 21, 0), tick=False):
        browser = watch_as(profile)
        assert "/unlock/" in browser.post(f"/watch/{kids_title.slug}/")["Location"]
        browser.post(f"/title/{kids_title.slug}/unlock/", {"pin": GOOD_PIN})
        assert "?v=" in browser.post(f"/watch/{kids_title.slug}/")["Location"]
    with time_machine.travel(local_moment(user, 0, 23, 59)):
        assert "?v=" in browser.post(f"/watch/{kids_title.slug}/")["Location"]
    # Next Monday the hours hold again.
    with time_machine.travel(local_moment(user, 0, 21, 0) + timedelta(days=7)):
        assert "/unlock/" in browser.post(f"/watch/{kids_title.slug}/")["Location"]


def test_the_daily_limit_refuses_playback_once_used_up(
    user,
    profile,
    watch_as,
    kids_title,
):
    ProfileControls.objects.create(profile=profile, daily_limit_minutes=30)
    browser = watch_as(profile)
    now = timezone.now()
    Viewing.objects.create(
        user=user,
        profile=profile,
        title=kids_title,
        device_name="TV",
        started_at=now - timedelta(minutes=31),
        last_heartbeat_at=now - timedelta(minutes=1),
        stopped_at=now - timedelta(minutes=1),
        stop_reason=Viewing.StopReason.STOPPED,
    )

    refused = browser.post(f"/watch/{kids_title.slug}/", follow=True)

    assert refused.status_code == 403
    assert "30 minutes for today are used up" in text(refused)
    assert "no parental PIN" in text(refused)
    assert Viewing.objects.count() == 1
    assert "30 minutes for today are used up" in text(browser.get(f"/title/{kids_title.slug}/"))


def test_browse_keeps_a_fixed_query_count_with_restrictions_on(
    teen_kid,
    watch_as,
    comedy,
    django_assert_max_num_queries,
):
    titles = [TitleFactory(rating=Rating.G, genres=[comedy]) for _ in range(30)]
    controls = ProfileControls.objects.get(profile=teen_kid)
    controls.blocked_titles.add(*titles[:10])
    make_viewings(teen_kid, 1000, titles=titles)
    browser = watch_as(teen_kid)
    browser.get("/browse/")

    with django_assert_max_num_queries(8):
        response = browser.get("/browse/")

    page = text(response)
    assert titles[0].name not in page
    assert titles[20].name in page
