"""Play, the heartbeat, and the limit of simultaneous streams, held on the server."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from catalog.models import HEARTBEAT_SECONDS, Viewing
from tests.conftest import CHROME_WINDOWS, SAFARI_IPHONE, SAMSUNG_TV
from tests.factories import ProfileFactory, UserFactory

from .conftest import HTMX, device_of
from .factories import TitleFactory, ViewingFactory

pytestmark = pytest.mark.django_db

PLAYSTATION = (
    "Mozilla/5.0 (PlayStation; PlayStation 5/6.50) AppleWebKit/605.1.15 (KHTML, like Gecko)"
)


def text(response) -> str:
    return response.content.decode()


def play(browser, title, **data):
    return browser.post(f"/watch/{title.slug}/", data)


def heartbeat(browser, viewing, **kwargs):
    return browser.post(f"/viewings/{viewing.public_id}/heartbeat/", **kwargs)


def test_play_records_a_viewing_with_device_ip_and_location(profile, watch_as, kids_title):
    tv = watch_as(profile, user_agent=SAMSUNG_TV, REMOTE_ADDR="81.2.69.142")

    response = play(tv, kids_title)

    viewing = Viewing.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/watch/captain-kettle/?v={viewing.public_id}"
    assert (viewing.profile, viewing.title, viewing.user) == (profile, kids_title, profile.user)
    assert viewing.device == device_of(tv)
    assert viewing.device_name == "Samsung Smart TV"
    assert (viewing.ip, viewing.country) == ("81.2.69.142", "GB")
    assert viewing.is_playing()


def test_the_player_shows_progress_and_a_heartbeat_form_that_works_without_javascript(
    profile, watch_as, kids_title
):
    browser = watch_as(profile)
    player_url = play(browser, kids_title)["Location"]
    viewing = Viewing.objects.get()

    page = text(browser.get(player_url))

    assert '<progress class="player-progress"' in page
    heartbeat_url = f"/viewings/{viewing.public_id}/heartbeat/"
    assert f'<form method="post" action="{heartbeat_url}"' in page
    assert f'hx-post="{heartbeat_url}" hx-trigger="every {HEARTBEAT_SECONDS}s, submit"' in page
    assert "csrfmiddlewaretoken" in page
    assert "/static/js/player.js" in page


def test_opening_the_watch_page_records_nothing(profile, watch_as, kids_title):
    browser = watch_as(profile)

    page = text(browser.get(f"/watch/{kids_title.slug}/"))

    assert ">Play<" in page
    assert not Viewing.objects.exists()


def test_heartbeats_save_the_place_and_continue_watching_resumes_there(
    profile, watch_as, kids_title
):
    browser = watch_as(profile)
    with time_machine.travel(timezone.now(), tick=False) as clock:
        play(browser, kids_title)
        viewing = Viewing.objects.get()
        for _ in range(4):
            clock.shift(HEARTBEAT_SECONDS)
            assert heartbeat(browser, viewing, headers=HTMX).status_code == 200
        viewing.refresh_from_db()
        assert viewing.position_seconds == 4 * HEARTBEAT_SECONDS

        browse = text(browser.get("/browse/"))
        assert "Continue watching" in browse
        assert f'href="/watch/{kids_title.slug}/"' in browse
        assert "Resumes at 2:00" in text(browser.get(f"/watch/{kids_title.slug}/"))

        play(browser, kids_title)
    resumed = Viewing.objects.latest("started_at")
    assert resumed.pk != viewing.pk
    assert resumed.position_seconds == 120


def test_play_from_the_beginning_starts_at_zero(profile, watch_as, kids_title):
    ViewingFactory(profile=profile, title=kids_title, position_seconds=900)
    browser = watch_as(profile)

    play(browser, kids_title, **{"from": "start"})

    assert Viewing.objects.latest("started_at").position_seconds == 0


def test_an_htmx_heartbeat_returns_only_the_player_status(profile, watch_as, kids_title):
    browser = watch_as(profile)
    play(browser, kids_title)
    viewing = Viewing.objects.get()

    response = heartbeat(browser, viewing, headers=HTMX)

    page = text(response)
    assert page.lstrip().startswith('<div id="player-status"')
    assert "<html" not in page
    assert "HX-Request" in response["Vary"]


def test_a_heartbeat_without_javascript_comes_back_to_the_player(profile, watch_as, kids_title):
    browser = watch_as(profile)
    player_url = play(browser, kids_title)["Location"]

    response = heartbeat(browser, Viewing.objects.get())

    assert response.status_code == 302
    assert response["Location"] == player_url


def test_a_heartbeat_for_another_profiles_or_accounts_viewing_is_not_found(
    profile, watch_as, kids_title
):
    sibling = ViewingFactory(profile=ProfileFactory(user=profile.user), title=kids_title)
    stranger = ViewingFactory(title=kids_title)
    browser = watch_as(profile)

    for viewing in (sibling, stranger):
        before = Viewing.objects.values().get(pk=viewing.pk)
        assert heartbeat(browser, viewing, headers=HTMX).status_code == 404
        assert browser.get(f"/watch/{kids_title.slug}/?v={viewing.public_id}").status_code == 404
        assert Viewing.objects.values().get(pk=viewing.pk) == before


def test_a_player_link_with_a_broken_viewing_id_is_not_found(profile, watch_as, kids_title):
    browser = watch_as(profile)

    assert browser.get(f"/watch/{kids_title.slug}/?v=not-a-uuid").status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/viewings/00000000-0000-4000-8000-000000000000/heartbeat/",
        "/viewings/00000000-0000-4000-8000-000000000000/stop/",
        "/profiles/00000000-0000-4000-8000-000000000000/activity/"
        "00000000-0000-4000-8000-000000000000/hide/",
    ],
)
def test_state_changing_urls_refuse_get(profile, watch_as, path):
    assert watch_as(profile).get(path).status_code == 405


def test_watch_refuses_other_methods(profile, watch_as, kids_title):
    assert watch_as(profile).put(f"/watch/{kids_title.slug}/").status_code == 405


def test_play_without_a_csrf_token_is_refused(profile, sign_in, kids_title):
    from tests.client import Client

    browser = Client(enforce_csrf_checks=True, headers={"user-agent": CHROME_WINDOWS})
    browser.cookies = sign_in(profile.user).cookies
    browser.post(f"/profiles/{profile.public_id}/pick/")

    assert play(browser, kids_title).status_code == 403
    assert not Viewing.objects.exists()


def test_one_stream_too_many_shows_what_is_playing_with_a_stop_button_each(
    profile, watch_as, kids_title, settings
):
    settings.STREAM_LIMIT = 2
    sam = ProfileFactory(user=profile.user, name="Sam")
    play(watch_as(profile, user_agent=SAMSUNG_TV), kids_title)
    play(watch_as(sam, user_agent=SAFARI_IPHONE), kids_title)
    laptop = watch_as(profile, user_agent=CHROME_WINDOWS)

    response = play(laptop, kids_title)

    page = text(response)
    assert response.status_code == 409
    assert "Too many people are watching right now" in page
    assert "Stop playback on Samsung Smart TV" in page
    assert "Stop playback on Safari on iPhone" in page
    assert "Sam" in page
    assert Viewing.objects.count() == 2


def test_stopping_a_stream_frees_it_and_the_stopped_player_is_told(
    profile, watch_as, kids_title, settings
):
    settings.STREAM_LIMIT = 1
    tv = watch_as(profile, user_agent=SAMSUNG_TV)
    play(tv, kids_title)
    on_tv = Viewing.objects.get()
    laptop = watch_as(profile, user_agent=CHROME_WINDOWS)
    assert play(laptop, kids_title).status_code == 409

    response = laptop.post(
        f"/viewings/{on_tv.public_id}/stop/", {"title": kids_title.slug}, headers=HTMX
    )

    page = text(response)
    assert page.lstrip().startswith('<section id="stream-limit"')
    assert "A screen is free" in page
    assert ">Play<" in page
    assert play(laptop, kids_title).status_code == 302
    refused = heartbeat(tv, on_tv, headers=HTMX)
    assert "Playback was stopped from another device." in text(refused)
    assert "hx-trigger" not in text(refused)  # the player stops reporting
    on_tv.refresh_from_db()
    assert on_tv.stop_reason == Viewing.StopReason.REMOTE
    assert not on_tv.is_playing()


def test_stopping_without_javascript_goes_back_to_the_title(
    profile, watch_as, kids_title, settings
):
    play(watch_as(profile, user_agent=SAMSUNG_TV), kids_title)
    laptop = watch_as(profile)

    response = laptop.post(
        f"/viewings/{Viewing.objects.get().public_id}/stop/", {"title": kids_title.slug}
    )

    assert response.status_code == 302
    assert response["Location"] == f"/watch/{kids_title.slug}/"
    assert "Playback stopped on Samsung Smart TV." in text(laptop.get(response["Location"]))


def test_the_limit_holds_through_heartbeats_not_only_in_the_page(
    profile, watch_as, kids_title, settings
):
    settings.STREAM_LIMIT = 1
    tv = watch_as(profile, user_agent=SAMSUNG_TV)
    laptop = watch_as(profile, user_agent=CHROME_WINDOWS)
    with time_machine.travel(timezone.now(), tick=False) as clock:
        play(tv, kids_title)
        on_tv = Viewing.objects.get()
        # The TV misses two heartbeats (asleep, offline): its stream no longer counts...
        clock.shift(2 * HEARTBEAT_SECONDS + 1)
        assert play(laptop, kids_title).status_code == 302
        # ...so when it wakes up it may not take the stream back.
        response = heartbeat(tv, on_tv, headers=HTMX)

        assert "too many streams are playing on this account" in text(response)
        on_tv.refresh_from_db()
        assert on_tv.stop_reason == Viewing.StopReason.LIMIT
        assert Viewing.objects.playing().count() == 1


def test_a_stream_that_lapsed_plays_on_if_a_screen_is_free(profile, watch_as, kids_title):
    tv = watch_as(profile, user_agent=SAMSUNG_TV)
    with time_machine.travel(timezone.now(), tick=False) as clock:
        play(tv, kids_title)
        on_tv = Viewing.objects.get()
        clock.shift(timedelta(minutes=10))

        heartbeat(tv, on_tv, headers=HTMX)

        on_tv.refresh_from_db()
        assert on_tv.is_playing()
        # Progress counts at most the time a stream is kept without news, not the gap.
        assert on_tv.position_seconds == 2 * HEARTBEAT_SECONDS


def test_playing_again_on_the_same_device_replaces_its_stream(
    profile, watch_as, kids_title, settings
):
    settings.STREAM_LIMIT = 1
    tv = watch_as(profile, user_agent=SAMSUNG_TV)
    play(tv, kids_title)
    other = TitleFactory(slug="cheese-wars", rating="PG")

    assert play(tv, other).status_code == 302

    first, second = Viewing.objects.order_by("id")
    assert first.stop_reason == Viewing.StopReason.REPLACED
    assert second.is_playing()


def test_the_limit_comes_from_the_stream_limit_setting(profile, watch_as, kids_title, settings):
    settings.STREAM_LIMIT = 3
    for agent in (SAMSUNG_TV, SAFARI_IPHONE, CHROME_WINDOWS):
        assert play(watch_as(profile, user_agent=agent), kids_title).status_code == 302

    assert play(watch_as(profile, user_agent=PLAYSTATION), kids_title).status_code == 409


def test_other_accounts_streams_do_not_count(profile, watch_as, kids_title, settings):
    settings.STREAM_LIMIT = 1
    neighbour = UserFactory()
    play(watch_as(neighbour.profiles.get(), user_agent=SAMSUNG_TV), kids_title)

    assert play(watch_as(profile), kids_title).status_code == 302


def test_stopping_another_accounts_stream_is_not_found_and_changes_nothing(
    profile, watch_as, kids_title
):
    neighbour = UserFactory()
    play(watch_as(neighbour.profiles.get(), user_agent=SAMSUNG_TV), kids_title)
    theirs = Viewing.objects.get()

    response = watch_as(profile).post(f"/viewings/{theirs.public_id}/stop/")

    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.is_playing()


def test_the_stop_button_on_the_player_stops_this_stream(profile, watch_as, kids_title):
    browser = watch_as(profile)
    play(browser, kids_title)
    viewing = Viewing.objects.get()

    browser.post(f"/viewings/{viewing.public_id}/stop/", {"title": kids_title.slug})

    viewing.refresh_from_db()
    assert viewing.stop_reason == Viewing.StopReason.STOPPED
    assert "Playback was stopped." in text(heartbeat(browser, viewing, headers=HTMX))


def test_playing_to_the_end_finishes_and_leaves_continue_watching(profile, watch_as):
    short = TitleFactory(slug="short", name="A Short One", runtime_minutes=1, rating="G")
    browser = watch_as(profile)
    with time_machine.travel(timezone.now(), tick=False) as clock:
        play(browser, short)
        viewing = Viewing.objects.get()
        for _ in range(3):
            clock.shift(HEARTBEAT_SECONDS)
            heartbeat(browser, viewing, headers=HTMX)

    viewing.refresh_from_db()
    assert viewing.completed
    assert viewing.stop_reason == Viewing.StopReason.FINISHED
    assert viewing.position_seconds == 60
    assert "Continue watching" not in text(browser.get("/browse/"))


def test_pause_stops_where_it_is_and_play_carries_on(profile, watch_as, kids_title):
    browser = watch_as(profile)
    play(browser, kids_title)
    viewing = Viewing.objects.get()
    player = browser.get(f"/watch/{kids_title.slug}/?v={viewing.public_id}").content.decode()
    assert 'name="pause" value="1"' in player
    assert ">Pause</button>" in player

    response = browser.post(
        f"/viewings/{viewing.public_id}/stop/",
        {"title": kids_title.slug, "pause": "1"},
        follow=True,
    )

    assert response.redirect_chain[-1][0] == f"/watch/{kids_title.slug}/"
    page = response.content.decode()
    assert "Paused. “Play” carries on where you left off." in page
    assert "Playback stopped on" not in page
    viewing.refresh_from_db()
    assert viewing.stopped_at is not None
