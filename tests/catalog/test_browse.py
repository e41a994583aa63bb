"""Browse, search, the title page and its artwork, as the current profile may see them."""

from __future__ import annotations

import pytest

from catalog.models import Rating, Title
from tests.client import Client
from tests.conftest import CHROME_WINDOWS

from .conftest import HTMX, make_viewings
from .factories import GenreFactory, TitleFactory, ViewingFactory

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return response.content.decode()


def test_home_takes_a_signed_in_profile_to_browse(profile, watch_as):
    browser = watch_as(profile)

    response = browser.get("/")

    assert response.status_code == 302
    assert response["Location"] == "/browse/"


@pytest.mark.parametrize(
    "path", ["/browse/", "/search/?q=kettle", "/title/captain-kettle/", "/watch/captain-kettle/"]
)
def test_catalog_pages_send_a_browser_without_a_profile_to_whos_watching(
    user, sign_in, kids_title, path
):
    browser = sign_in(user)

    response = browser.get(path)

    assert response.status_code == 302
    assert response["Location"] == "/profiles/"


def test_an_htmx_search_without_a_profile_redirects_the_whole_page(user, sign_in):
    browser = sign_in(user)

    response = browser.get("/search/?q=kettle", headers=HTMX)

    assert response["HX-Redirect"] == "/profiles/"


def test_catalog_pages_ask_a_signed_out_browser_to_sign_in(kids_title):
    response = Client(headers={"user-agent": CHROME_WINDOWS}).get("/browse/")

    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_browse_shows_a_row_per_genre_and_continue_watching(profile, watch_as):
    drama = GenreFactory(slug="drama", name="Drama")
    horror = GenreFactory(slug="horror", name="Horror")
    TitleFactory(name="The Long Field", genres=[drama])
    TitleFactory(name="The Hollow Choir", genres=[horror])
    half_watched = TitleFactory(name="Kintsugi", genres=[drama], runtime_minutes=100)
    ViewingFactory(profile=profile, title=half_watched, position_seconds=3000)
    GenreFactory(slug="empty", name="Westerns")
    browser = watch_as(profile)

    page = text(browser.get("/browse/"))

    assert f"Continue watching for {profile.name}" in page
    assert page.index("Continue watching") < page.index("Kintsugi") < page.index(">Drama<")
    assert 'value="50"' in page  # half of Kintsugi watched
    for name in ["Drama", "Horror", "The Long Field", "The Hollow Choir"]:
        assert name in page
    assert "Westerns" not in page  # no row without a title to show


def test_browse_runs_a_fixed_number_of_queries_with_a_thousand_viewings(
    profile, watch_as, django_assert_max_num_queries
):
    genres = [GenreFactory() for _ in range(8)]
    titles = [TitleFactory(genres=[genres[n % 8], genres[(n + 3) % 8]]) for n in range(60)]
    make_viewings(profile, 1200, titles=titles)
    browser = watch_as(profile)
    browser.get("/browse/")

    with django_assert_max_num_queries(7):
        response = browser.get("/browse/")

    assert response.status_code == 200
    assert text(response).count('class="title-card"') > 60


def test_title_page_shows_certificate_age_synopsis_and_play(profile, watch_as):
    title = TitleFactory(
        slug="ward-nine",
        name="Ward Nine",
        kind=Title.Kind.SERIES,
        seasons=3,
        rating=Rating.TV_14,
        synopsis="Junior doctors on a night ward.",
        genres=[GenreFactory(slug="drama", name="Drama")],
    )
    browser = watch_as(profile)

    page = text(browser.get(title.get_absolute_url()))

    for expected in ["Ward Nine", "TV-14", "13+", "3 seasons", "Drama", "Junior doctors"]:
        assert expected in page
    assert 'action="/watch/ward-nine/"' in page
    assert ">Play<" in page


@pytest.mark.parametrize(
    "path", ["/title/no-such-title/", "/watch/no-such-title/", "/title/no-such-title/poster.svg"]
)
def test_an_unknown_slug_is_not_found(profile, watch_as, path):
    assert watch_as(profile).get(path).status_code == 404


def test_a_slug_with_odd_characters_is_not_found_rather_than_an_error(profile, watch_as):
    browser = watch_as(profile)

    assert browser.get("/title/%3Cscript%3E/").status_code == 404
    assert browser.get("/title/" + "a" * 5000 + "/").status_code == 404


def test_artwork_is_an_svg_drawn_by_the_site_with_the_name_escaped(profile, watch_as):
    title = TitleFactory(slug="grim-gritty", name="Grim & <Gritty>")
    browser = watch_as(profile)

    response = browser.get("/title/grim-gritty/poster.svg")

    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    svg = text(response)
    assert svg.startswith("<svg")
    assert "Grim &amp; &lt;Gritty&gt;" in svg
    assert "<Gritty>" not in svg
    assert "http" not in svg.replace("http://www.w3.org/2000/svg", "")  # nothing external
    assert svg == text(browser.get("/title/grim-gritty/poster.svg"))  # same slug, same art
    assert svg != text(browser.get(TitleFactory(slug="other").get_absolute_url() + "poster.svg"))
    assert title.name in Title.objects.get(slug="grim-gritty").name


def test_search_finds_titles_by_name_and_by_genre(profile, watch_as):
    horror = GenreFactory(slug="horror", name="Horror")
    TitleFactory(name="The Hollow Choir", genres=[horror])
    TitleFactory(name="Hollow Crown")
    TitleFactory(name="Nightlight", genres=[horror])
    TitleFactory(name="Cheese Wars")
    browser = watch_as(profile)

    by_name = text(browser.get("/search/", {"q": "hollow"}))
    by_genre = text(browser.get("/search/", {"q": "horr"}))

    assert "2 titles for “hollow”" in by_name
    assert by_name.index("Hollow Crown") < by_name.index("The Hollow Choir")  # starts-with first
    assert "Nightlight" not in by_name
    assert "The Hollow Choir" in by_genre
    assert "Nightlight" in by_genre
    assert "Cheese Wars" not in by_genre


def test_search_as_you_type_returns_only_the_results_fragment(profile, watch_as):
    TitleFactory(name="Cheese Wars")
    browser = watch_as(profile)

    response = browser.get("/search/", {"q": "chee"}, headers=HTMX)

    page = text(response)
    assert page.lstrip().startswith('<section id="search-results"')
    assert "Cheese Wars" in page
    assert "<html" not in page
    assert "HX-Request" in response["Vary"]


def test_search_page_works_as_a_plain_form(profile, watch_as):
    browser = watch_as(profile)

    page = text(browser.get("/search/"))

    assert '<form class="search-form" method="get" action="/search/"' in page
    assert 'hx-get="/search/"' in page
    assert "Type at least 2 characters" in page


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("c", "Type at least 2 characters to search."),
        ("   ", "Type at least 2 characters of a title or a genre."),
        ("x" * 10_000, "Searches can be up to 100 characters."),
        ("'; DROP TABLE catalog_title; --", "No titles match"),
        ('<script>alert("x")</script>', "No titles match"),
        ("100%_", "No titles match"),
        ("nul\x00byte", "Null characters are not allowed."),
    ],
)
def test_odd_searches_get_a_clear_escaped_empty_state(profile, watch_as, query, message):
    TitleFactory(name="Cheese Wars")
    browser = watch_as(profile)

    for headers in ({}, HTMX):
        response = browser.get("/search/", {"q": query}, headers=headers)

        assert response.status_code == 200
        page = text(response)
        assert message in page
        assert "<script>alert" not in page
        assert "Cheese Wars" not in page
        assert "x" * 101 not in page  # the box gives back at most 100 characters
    assert Title.objects.filter(name="Cheese Wars").exists()


def test_search_runs_a_fixed_number_of_queries(profile, watch_as, django_assert_max_num_queries):
    genre = GenreFactory(name="Drama")
    for n in range(80):
        TitleFactory(name=f"Drama number {n}", genres=[genre])
    browser = watch_as(profile)
    browser.get("/search/", {"q": "drama"})

    with django_assert_max_num_queries(4):
        response = browser.get("/search/", {"q": "drama"})

    assert text(response).count('class="title-card"') == 48
