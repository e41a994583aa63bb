"""Browse keeps its genre rows in the cache: a cached copy is only ever the same rows.

The rows' key is a digest of everything they show and the language, so whatever changes
what a profile may see (a Kids profile, a maturity level, a blocked title) or the words
around the rows changes the key: no profile is ever shown another one's rows.
"""

from __future__ import annotations

import pytest

from catalog.models import Rating
from parental.models import MaturityLevel
from parental.services import controls_for
from tests.html import visible_text

from .factories import GenreFactory, TitleFactory

pytestmark = pytest.mark.django_db


def rows_of(browser) -> str:
    response = browser.get("/browse/")
    assert response.status_code == 200
    return response.content.decode()


def test_a_kids_profile_never_sees_the_rows_an_adult_profile_cached(
    profile, kids_profile, kids_title, adult_title, watch_as
):
    assert "Blood Orange" in rows_of(watch_as(profile))

    kids_page = rows_of(watch_as(kids_profile))

    assert "Captain Kettle" in kids_page
    assert "Blood Orange" not in kids_page
    assert "/title/blood-orange/" not in kids_page


def test_an_adult_profile_sees_its_own_rows_after_a_kids_profile_cached_its(
    profile, kids_profile, kids_title, adult_title, watch_as
):
    assert "Blood Orange" not in rows_of(watch_as(kids_profile))

    assert "Blood Orange" in rows_of(watch_as(profile))


def test_a_lower_maturity_level_takes_titles_off_the_cached_rows(
    profile, kids_title, adult_title, watch_as
):
    browser = watch_as(profile)
    assert "Blood Orange" in rows_of(browser)
    controls = controls_for(profile)
    controls.maturity = MaturityLevel.TEENS
    controls.save()

    page = rows_of(browser)

    assert "Blood Orange" not in page
    assert "Captain Kettle" in page


def test_a_blocked_title_leaves_the_cached_rows_at_once(profile, kids_title, adult_title, watch_as):
    browser = watch_as(profile)
    assert "Blood Orange" in rows_of(browser)
    controls_for(profile).blocked_titles.add(adult_title)

    page = rows_of(browser)

    assert "Blood Orange" not in page
    assert "Captain Kettle" in page


def test_a_renamed_title_shows_its_new_name_in_the_cached_rows(profile, kids_title, watch_as):
    browser = watch_as(profile)
    assert "Captain Kettle" in rows_of(browser)
    kids_title.name = "Admiral Kettle"
    kids_title.save()

    page = rows_of(browser)

    assert "Admiral Kettle" in page
    assert "Captain Kettle" not in page


def test_the_cached_rows_follow_a_language_change(kids_profile, watch_as):
    # Nothing a Kids profile may watch: the rows say so, in the page's language.
    TitleFactory(rating=Rating.R, genres=[GenreFactory()])
    browser = watch_as(kids_profile)
    assert "There is nothing to watch on this profile yet." in visible_text(rows_of(browser))
    browser.cookies["django_language"] = "es"
    kids_profile.user.language = "es"
    kids_profile.user.save(update_fields=["language"])

    page = visible_text(rows_of(browser))

    assert "There is nothing to watch on this profile yet." not in page
