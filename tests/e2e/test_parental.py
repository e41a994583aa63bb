"""The account holder sets a PIN, restricts and locks a Kids profile; the PIN opens it."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from catalog.models import Rating
from tests.catalog.factories import GenreFactory, TitleFactory
from tests.conftest import GOOD_PIN
from tests.factories import PASSWORD, ProfileFactory

from .conftest import CHROME_LINUX, mark_page, screenshot, sign_in, still_same_page

pytestmark = pytest.mark.django_db(transaction=True)

PIN = "4826"  # not one of the common PINs the form refuses


@pytest.fixture
def kids(account):
    return ProfileFactory(user=account, name="Kids", is_kids=True, colour="green")


@pytest.fixture
def titles(transactional_db):
    animation = GenreFactory(slug="animation", name="Animation")
    adventure = GenreFactory(slug="adventure", name="Adventure")
    return {
        "little": TitleFactory(name="Bramble Bears", rating=Rating.TV_Y, genres=[animation]),
        "blocked": TitleFactory(name="Captain Kettle", rating=Rating.G, genres=[adventure]),
        "older": TitleFactory(name="Ninja Nana", rating=Rating.TV_Y7_FV, genres=[adventure]),
        "adult": TitleFactory(name="Blood Orange", rating=Rating.R, genres=[adventure]),
    }


def test_pin_restrictions_and_profile_lock_for_a_kids_profile(
    site, account, kids, titles, new_context
):
    page = new_context(user_agent=CHROME_LINUX).new_page()
    sign_in(page, site, account.email)

    # Account → "Parental PIN", behind "Confirm your password".
    page.goto(f"{site}/account/")
    page.get_by_role("link", name="Parental PIN").click()
    expect(page.get_by_role("heading", name="Confirm your password")).to_be_visible()
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", name="Parental PIN")).to_be_visible()
    page.get_by_label("New PIN", exact=True).fill(PIN)
    page.get_by_label("New PIN again").fill(PIN)
    page.get_by_role("button", name="Set PIN").click()
    expect(page.get_by_text("Parental PIN set.")).to_be_visible()

    # Account → "Parental controls" → the Kids profile's controls.
    page.get_by_role("link", name="Back to Account").click()
    page.get_by_role("link", name="Parental controls").click()
    page.get_by_role("link", name="Parental controls for Kids").click()
    expect(page.get_by_role("heading", name="Parental controls")).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text("Kids")

    maturity = page.get_by_role("group", name="Maturity level")
    maturity.get_by_role("radio", name=re.compile("^Little kids")).check()

    # Block a title through the search: the list updates in place.
    mark_page(page)
    page.get_by_label("Type a title's name").press_sequentially("kettle", delay=40)
    page.get_by_role("button", name="Add Captain Kettle").click()
    blocked = page.get_by_role("heading", name="Blocked on this profile").locator("..")
    expect(blocked.get_by_role("listitem")).to_have_count(1)
    expect(blocked.get_by_role("listitem")).to_contain_text("Captain Kettle")
    expect(blocked.get_by_role("button", name="Remove Captain Kettle")).to_be_visible()
    assert still_same_page(page)

    lock = page.get_by_label("Require the PIN to open this profile")
    lock.check()
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_text("Saved.")).to_be_visible()
    expect(maturity.get_by_role("radio", name=re.compile("^Little kids"))).to_be_checked()
    expect(page.get_by_label("Require the PIN to open this profile")).to_be_checked()
    expect(page.get_by_role("button", name="Remove Captain Kettle")).to_be_visible()

    # "Who's watching?": the Kids profile is locked; the PIN, typed on a keyboard, opens it.
    page.get_by_text("Account menu").click()
    page.get_by_role("link", name="Switch profile").click()
    expect(page.get_by_role("heading", name="Who's watching?")).to_be_visible()
    kids_button = page.get_by_role("button", name=re.compile(r"^Kids\b"))
    expect(kids_button).to_contain_text("Locked")
    expect(page.get_by_role("button", name=account.name)).not_to_contain_text("Locked")
    kids_button.click()

    expect(page.get_by_role("heading", name="Enter your PIN to open Kids")).to_be_visible()
    expect(page.get_by_role("group", name="PIN pad")).to_be_visible()
    pin_field = page.get_by_label("Parental PIN")
    pin_field.focus()
    page.keyboard.type(PIN, delay=60)  # the fourth digit submits

    expect(page.get_by_role("heading", name="Browse")).to_be_visible()
    expect(page.get_by_role("banner")).to_contain_text("Watching as Kids")
    main = page.get_by_role("main")
    expect(main.get_by_role("link", name="Bramble Bears")).to_be_visible()
    # Above "Little kids", or blocked: not offered on this profile.
    expect(main.get_by_role("link", name="Ninja Nana")).to_have_count(0)
    expect(main.get_by_role("link", name="Captain Kettle")).to_have_count(0)
    expect(main.get_by_role("link", name="Blood Orange")).to_have_count(0)


def test_leaving_a_kids_profile_takes_the_pin_typed_on_the_pad(site, household, new_context):
    """The child presses "Switch profile" on Kids; only the PIN, typed, opens another."""
    page = new_context(user_agent=CHROME_LINUX, viewport={"width": 320, "height": 800}).new_page()
    sign_in(page, site, household.adult.user.email)
    # A grown-up opened the (locked) Kids profile for the child.
    page.get_by_role("button", name=re.compile(r"^Kids\b")).click()
    page.get_by_label("Parental PIN").focus()
    page.keyboard.type(GOOD_PIN, delay=40)
    expect(page.get_by_role("banner")).to_contain_text("Watching as Kids")

    page.get_by_text("Account menu").click()
    # At 320 px the header keeps only the profile's avatar, a link named "Switch profile".
    page.get_by_role("link", name="Switch profile").first.click()
    page.get_by_role("button", name=household.adult.name).click()

    heading = page.get_by_role("heading", name=f"Enter your PIN to open {household.adult.name}")
    expect(heading).to_be_visible()
    expect(page.get_by_text("Leaving the Kids profile needs the parental PIN.")).to_be_visible()
    expect(page.get_by_role("link", name="Forgot PIN?")).to_be_visible()
    page.get_by_label("Parental PIN").focus()
    page.keyboard.type("9999", delay=40)
    expect(page.get_by_role("alert")).to_contain_text("That PIN is not right. 4 tries left.")
    screenshot(page, "leave-kids-wrong-pin-320")
    expect(page.get_by_role("banner")).to_contain_text("Watching as Kids")

    page.get_by_label("Parental PIN").focus()
    page.keyboard.type(GOOD_PIN, delay=40)  # the fourth digit submits

    expect(page.get_by_role("heading", name="Browse")).to_be_visible()
    expect(page.get_by_role("banner")).to_contain_text(f"Watching as {household.adult.name}")
