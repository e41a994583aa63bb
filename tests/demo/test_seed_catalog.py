"""seed_demo loads the catalog and months of demo viewings, the same way every time."""

from __future__ import annotations

import html
import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count, Max, Min
from django.utils import timezone

from accounts.models import User
from catalog.models import Genre, Rating, Title, Viewing
from demo.management.commands.seed_demo import DEMO_EMAIL, DEMO_PASSWORD
from devices.models import Device
from tests.client import Client
from tests.conftest import CHROME_WINDOWS

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return html.unescape(response.content.decode())


def seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def snapshot() -> dict:
    user = User.objects.get(email=DEMO_EMAIL)
    return {
        "titles": Title.objects.count(),
        "genres": Genre.objects.count(),
        "links": Title.genres.through.objects.count(),
        "devices": sorted(Device.objects.filter(user=user).values_list("name", flat=True)),
        "viewings": dict(
            Viewing.objects.filter(user=user)
            .values_list("profile__name")
            .annotate(n=Count("id"))
            .order_by()
        ),
    }


def test_seed_demo_twice_gives_the_same_catalog_devices_and_viewings():
    output = seed()
    first = snapshot()
    seed()

    assert snapshot() == first
    assert "Catalog: 159 titles" in output
    assert first["devices"] == [
        "Chrome on Windows",
        "PlayStation 5",
        "Safari on iPhone",
        "Samsung Smart TV",
    ]
    assert sum(first["viewings"].values()) > 400


def test_the_demo_catalog_spans_every_rating_both_kinds_and_has_genres():
    seed()

    assert Title.objects.count() >= 150
    assert set(Title.objects.values_list("rating", flat=True)) == set(Rating)
    assert set(Title.objects.values_list("kind", flat=True)) == {"film", "series"}
    assert not Title.objects.filter(genres__isnull=True).exists()
    assert set(Title.objects.values_list("min_age", flat=True)) == {0, 7, 13, 16, 18}


def test_the_demo_viewings_cover_months_and_respect_the_kids_profile():
    seed()
    viewings = Viewing.objects.filter(user__email=DEMO_EMAIL)

    span = viewings.aggregate(first=Min("started_at"), last=Max("started_at"))
    assert (timezone.now() - span["first"]).days >= 90
    assert (timezone.now() - span["last"]).days <= 2
    assert not viewings.filter(profile__is_kids=True, title__min_age__gt=7).exists()
    assert set(viewings.values_list("country", flat=True)) == {"GB", "PT", "IT"}


def test_every_page_renders_with_the_demo_data():
    seed()
    user = User.objects.get(email=DEMO_EMAIL)
    browser = Client(headers={"user-agent": CHROME_WINDOWS})
    assert browser.post("/login/", {"username": DEMO_EMAIL, "password": DEMO_PASSWORD})
    alex = user.profiles.get(name="Alex")
    browser.post(f"/profiles/{alex.public_id}/pick/")

    browse = text(browser.get("/browse/"))
    assert "Continue watching for Alex" in browse
    assert browse.count('class="title-card"') > 100
    title = Title.objects.get(slug="ward-nine")
    assert "Junior doctors" in text(browser.get(title.get_absolute_url()))
    assert "Play" in text(browser.get(f"/watch/{title.slug}/"))
    assert "Ward Nine" in text(browser.get("/search/", {"q": "ward"}))
    activity = text(browser.get(f"/profiles/{alex.public_id}/activity/"))
    assert "Show more" in activity
    streaming = text(browser.get("/account/streaming-activity/"))
    for expected in ["New country</span>", "Lisbon, Portugal", "Rome, Italy", "PlayStation 5"]:
        assert expected in streaming
    assert "What was watched on it" in text(browser.get("/account/devices/"))


def test_the_demo_kids_profile_browses_only_titles_for_seven_and_under():
    seed()
    kids = User.objects.get(email=DEMO_EMAIL).profiles.get(is_kids=True)
    browser = Client(headers={"user-agent": CHROME_WINDOWS})
    browser.post("/login/", {"username": DEMO_EMAIL, "password": DEMO_PASSWORD})
    browser.post(f"/profiles/{kids.public_id}/pick/")

    page = text(browser.get("/browse/"))

    slugs = set(re.findall(r'href="/(?:title|watch)/([\w-]+)/"', page))
    assert len(slugs) > 20
    assert set(Title.objects.filter(slug__in=slugs).values_list("min_age", flat=True)) <= {0, 7}
