"""A new household signs up, picks its profile, plays a title and finds it in its history."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.catalog.factories import GenreFactory, TitleFactory

from .conftest import CHROME_LINUX, mark_page, pick_profile, sign_in, still_same_page

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def titles(transactional_db):
    drama = GenreFactory(slug="drama", name="Drama")
    comedy = GenreFactory(slug="comedy", name="Comedy")
    return [
        TitleFactory(slug="harbour-lights", name="Harbour Lights", rating="PG", genres=[drama]),
        TitleFactory(slug="harbour-master", name="Harbour Master", rating="PG", genres=[drama]),
        TitleFactory(slug="the-long-table", name="The Long Table", rating="G", genres=[comedy]),
    ]


def test_sign_up_pick_profile_play_and_see_it_in_viewing_activity(site, titles, new_context):
    page = new_context(user_agent=CHROME_LINUX).new_page()

    page.goto(f"{site}/signup/")
    expect(page.get_by_role("heading", name="Create account")).to_be_visible()
    page.get_by_label("Name").fill("Alex")
    page.get_by_label("Email").fill("alex@example.com")
    page.get_by_label("Password").fill("a-long-and-unusual-secret-2026")
    page.get_by_role("button", name="Create account").click()

    # Sign-up asks to check the e-mail (the same page for an address already in use);
    # the account works straight away with its password, a banner asking for verification.
    expect(page.get_by_role("heading", name="Check your e-mail")).to_be_visible()
    page.get_by_role("link", name="Sign in").click()
    page.get_by_label("Email").fill("alex@example.com")
    page.get_by_label("Password").fill("a-long-and-unusual-secret-2026")
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page.get_by_role("heading", name="Who's watching?")).to_be_visible()
    expect(page.get_by_text("Verify your e-mail address")).to_be_visible()
    page.get_by_role("button", name="Alex").click()

    expect(page.get_by_role("heading", name="Browse")).to_be_visible()
    drama = page.get_by_role("region", name="Drama")
    drama.get_by_role("link", name="Harbour Lights").click()

    expect(page.get_by_role("heading", name="Harbour Lights")).to_be_visible()
    page.get_by_role("button", name="Play Harbour Lights").click()

    expect(page).to_have_url(re.compile(r"/watch/harbour-lights/\?v="))
    expect(page.get_by_text("Playing on Chrome on Linux.")).to_be_visible()
    expect(page.get_by_role("progressbar", name="Progress")).to_be_visible()

    page.get_by_text("Account menu").click()
    page.get_by_role("link", name="Viewing activity").click()

    expect(page.get_by_role("heading", name="Viewing activity")).to_be_visible()
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name="Harbour Lights"))
    expect(row).to_have_count(1)
    expect(row.get_by_role("cell").nth(2)).to_have_text("Chrome on Linux")


def test_search_shows_results_as_you_type_without_a_page_load(site, account, titles, new_context):
    page = new_context(user_agent=CHROME_LINUX).new_page()
    sign_in(page, site, account.email)
    pick_profile(page, site, account.name)

    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("heading", name="Search", exact=True)).to_be_visible()
    expect(page.get_by_text("Type at least 2 characters")).to_be_visible()
    mark_page(page)

    page.get_by_label("Search titles and genres").press_sequentially("harbour", delay=40)

    results = page.get_by_role("main")
    expect(page.get_by_role("heading", name="2 titles for “harbour”")).to_be_visible()
    expect(results.get_by_role("link", name="Harbour Lights")).to_be_visible()
    expect(results.get_by_role("link", name="Harbour Master")).to_be_visible()
    expect(results.get_by_role("link", name="The Long Table")).to_have_count(0)
    assert still_same_page(page)
    # The address follows what was typed, so Back and a shared link show the same results.
    expect(page).to_have_url(re.compile(r"/search/\?q=harbour$"))

    page.get_by_label("Search titles and genres").fill("comedy")
    expect(page.get_by_role("heading", name="1 title for “comedy”")).to_be_visible()
    expect(results.get_by_role("link", name="The Long Table")).to_be_visible()
    assert still_same_page(page)
