"""parental.policy is the one gate: every catalog URL that lists, shows or plays asks it."""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.db import IntegrityError, transaction
from django.urls import URLPattern

from catalog import urls
from catalog.models import RATING_MIN_AGE, MinAge, Rating, Title, Viewing
from catalog.services import playback_start
from parental import policy
from tests.client import Client
from tests.conftest import reauthenticate

from .conftest import HTMX, make_viewings
from .factories import GenreFactory, TitleFactory, ViewingFactory

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return html.unescape(response.content.decode())


def test_every_rating_has_a_maturity_level_and_the_database_holds_the_table(comedy):
    assert set(RATING_MIN_AGE) == set(Rating)
    assert set(RATING_MIN_AGE.values()) == set(MinAge)
    title = TitleFactory(rating=Rating.TV_MA)
    assert title.min_age == 18

    with pytest.raises(IntegrityError), transaction.atomic():
        Title.objects.filter(pk=title.pk).update(min_age=0)


def test_a_kids_profile_sees_only_titles_for_seven_and_under(profile, kids_profile):
    for rating in Rating:
        TitleFactory(slug=f"rated-{rating.lower()}", rating=rating)

    kids = {t.rating for t in policy.visible_titles(kids_profile)}
    everyone = {t.rating for t in policy.visible_titles(profile)}

    assert kids == {"TV-Y", "TV-G", "G", "TV-Y7", "TV-Y7-FV", "TV-PG", "PG"}
    assert everyone == set(Rating)


def test_can_play_refuses_a_kids_profile_an_adult_title_with_a_reason(
    profile, kids_profile, kids_title, adult_title
):
    refused = policy.can_play(kids_profile, adult_title)

    assert not refused
    assert refused.reason == policy.MATURITY
    assert refused.message
    assert policy.can_play(kids_profile, kids_title)
    assert policy.can_play(profile, adult_title)


def test_the_playback_service_asks_the_policy_too(kids_profile, adult_title):
    from catalog.services import PlaybackRefused

    with pytest.raises(PlaybackRefused):
        playback_start(profile=kids_profile, title=adult_title, device=None, ip=None)
    assert not Viewing.objects.exists()


# How each catalog URL is exercised as a profile that may not see `hidden` (an 18+ title),
# and what proves it never showed or played it. Views that only show history are listed
# as such: they must not hide from the account holder what was watched.


@dataclass
class Case:
    kind: str  # "gated" (asks the policy) or "history" (shows what was watched)
    check: Callable[[Client, Title, Viewing], None] | None = None


def _never_listed(path: str) -> Callable[[Client, Title, Viewing], None]:
    def check(browser: Client, hidden: Title, viewing: Viewing) -> None:
        for headers in ({}, HTMX):
            response = browser.get(path.format(title=hidden), headers=headers)
            assert response.status_code == 200, path
            assert hidden.name not in text(response), path
            assert hidden.slug not in text(response), path

    return check


def _not_found(path: str) -> Callable[[Client, Title, Viewing], None]:
    def check(browser: Client, hidden: Title, viewing: Viewing) -> None:
        assert browser.get(path.format(title=hidden)).status_code == 404, path

    return check


def _refused(path: str) -> Callable[[Client, Title, Viewing], None]:
    """The title does not open, and the page says what it is and why (403, never a 404)."""

    def check(browser: Client, hidden: Title, viewing: Viewing) -> None:
        response = browser.get(path.format(title=hidden))
        assert response.status_code == 403, path
        page = text(response)
        assert f"<h1>{hidden.name}</h1>" in page, path
        assert "<form" not in page.split("<main")[1].split("</main>")[0], path  # no Play, no PIN
        assert 'class="refused-headline"' in page, path

    return check


def _play_refused(browser: Client, hidden: Title, viewing: Viewing) -> None:
    count = Viewing.objects.count()
    response = browser.post(f"/watch/{hidden.slug}/")
    assert response.status_code == 403
    assert f"<h1>{hidden.name}</h1>" in text(response)
    assert Viewing.objects.count() == count


def _heartbeat_refused(browser: Client, hidden: Title, viewing: Viewing) -> None:
    position = viewing.position_seconds
    response = browser.post(f"/viewings/{viewing.public_id}/heartbeat/", headers=HTMX)
    assert "this title isn't available here" in text(response)
    assert hidden.name not in text(response)
    viewing.refresh_from_db()
    assert viewing.position_seconds == position
    assert viewing.stop_reason == Viewing.StopReason.NOT_ALLOWED


def _stop_back_to_title_refused(browser: Client, hidden: Title, viewing: Viewing) -> None:
    response = browser.post(f"/viewings/{viewing.public_id}/stop/", {"title": hidden.slug})
    assert response.status_code == 403
    viewing.refresh_from_db()
    assert viewing.stopped_at is None


CASES: dict[str, Case] = {
    "browse": Case("gated", _never_listed("/browse/")),
    # "Blood" of "Blood Orange": the search box echoing the whole name would prove nothing.
    "search": Case("gated", _never_listed("/search/?q=Blood")),
    "title": Case("gated", _refused("/title/{title.slug}/")),
    "poster": Case("gated", _not_found("/title/{title.slug}/poster.svg")),
    "watch": Case("gated", _refused("/watch/{title.slug}/")),
    # Without a parental PIN on the account, nothing can unlock the title.
    "unlock": Case("gated", _refused("/title/{title.slug}/unlock/")),
    "heartbeat": Case("gated", _heartbeat_refused),
    "stop": Case("gated", _stop_back_to_title_refused),
    "activity": Case("history"),
    "activity_download": Case("history"),
    "hide": Case("history"),
    "unhide": Case("history"),
    "streaming_activity": Case("history"),
}


def test_every_catalog_url_is_accounted_for():
    names = {pattern.name for pattern in urls.urlpatterns if isinstance(pattern, URLPattern)}

    assert names == set(CASES), "add each new catalog URL to CASES, gated by parental.policy"


@pytest.mark.parametrize("name", [name for name, case in CASES.items() if case.kind == "gated"])
def test_a_kids_profile_never_gets_an_adult_title_from_any_catalog_url(
    name, kids_profile, watch_as, kids_title, adult_title
):
    # Watched before the profile became a Kids one: still in "Continue watching" data.
    viewing = ViewingFactory(
        profile=kids_profile,
        title=adult_title,
        stopped_at=None,
        stop_reason="",
        position_seconds=300,
    )
    browser = watch_as(kids_profile)

    CASES[name].check(browser, adult_title, viewing)

    assert kids_title.name in text(browser.get("/browse/"))


@pytest.mark.parametrize("name", [name for name, case in CASES.items() if case.kind == "gated"])
def test_a_policy_that_refuses_everything_empties_every_catalog_url(
    name, profile, watch_as, monkeypatch, adult_title
):
    """Proves the views ask parental.policy rather than filtering titles themselves."""
    viewing = ViewingFactory(
        profile=profile, title=adult_title, stopped_at=None, stop_reason="", position_seconds=300
    )
    refuse = policy.Decision(allowed=False, reason="test", message="Not today.")
    monkeypatch.setattr(policy, "visible_titles", lambda profile: Title.objects.none())
    monkeypatch.setattr(policy, "can_view", lambda *args, **kwargs: refuse)
    monkeypatch.setattr(policy, "can_play", lambda *args, **kwargs: refuse)
    browser = watch_as(profile)

    CASES[name].check(browser, adult_title, viewing)


def test_history_pages_show_what_was_watched_whatever_the_policy(
    profile, watch_as, adult_title, monkeypatch
):
    ViewingFactory(profile=profile, title=adult_title)
    monkeypatch.setattr(policy, "visible_titles", lambda profile: Title.objects.none())
    browser = reauthenticate(watch_as(profile))

    assert adult_title.name in text(browser.get(f"/profiles/{profile.public_id}/activity/"))
    csv = b"".join(browser.get(f"/profiles/{profile.public_id}/activity/download/"))
    assert adult_title.name.encode() in csv


def test_continue_watching_asks_the_policy(profile, kids_profile, watch_as, adult_title):
    titles = [TitleFactory(rating=Rating.G, genres=[GenreFactory()]) for _ in range(3)]
    make_viewings(kids_profile, 30, titles=[*titles, adult_title])
    Viewing.objects.update(completed=False)

    page = text(watch_as(kids_profile).get("/browse/"))

    assert "Continue watching" in page
    assert adult_title.name not in page
