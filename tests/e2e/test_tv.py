"""A TV in one window pairs with a code from another, plays, and drops out when signed out."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.catalog.factories import GenreFactory, TitleFactory
from tests.conftest import CHROME_WINDOWS, SAMSUNG_TV
from tests.factories import PASSWORD

from .conftest import TV_SCREEN, screenshot, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def titles(transactional_db):
    drama = GenreFactory(slug="drama", name="Drama")
    return [TitleFactory(name=f"Harbour Lights {n}", rating="PG", genres=[drama]) for n in range(4)]


def _pair(site: str, tv: Page, web: Page, *, platform: str = "") -> None:
    tv.goto(f"{site}/tv/{platform}")
    expect(tv.get_by_role("heading", name="Sign in on your phone or computer")).to_be_visible()
    code = tv.locator(".tv-user-code").inner_text()
    assert re.fullmatch(r"[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}", code)
    web.goto(f"{site}/activate/")
    web.get_by_label("Code").fill(code.lower())
    web.get_by_role("button", name="Continue").click()
    # Approving a TV is behind the recent-authentication gate (open for 10 minutes).
    gate = web.get_by_role("heading", name="Confirm your password")
    expect(gate.or_(web.get_by_role("heading", name=re.compile("Sign in on")))).to_be_visible()
    if gate.is_visible():
        web.get_by_label("Password").fill(PASSWORD)
        web.get_by_role("button", name="Continue").click()
    expect(web.get_by_role("heading", name=re.compile("Sign in on"))).to_be_visible()
    web.get_by_role("button", name="Sign in", exact=True).click()
    # The TV's next poll (every 5 seconds) signs it in.
    expect(tv.get_by_role("heading", name="Who's watching?")).to_be_visible(timeout=15_000)


def test_tv_pairs_plays_and_drops_out_when_signed_out_from_the_web(
    site, account, titles, new_context
):
    web = new_context(user_agent=CHROME_WINDOWS).new_page()
    tv = new_context(user_agent=SAMSUNG_TV, viewport=TV_SCREEN).new_page()
    sign_in(web, site, account.email)
    tv.goto(f"{site}/tv/")
    screenshot(tv, "tv-code")

    _pair(site, tv, web)

    # Remote control only: Enter on the focused profile, arrows to a title, Enter to open it.
    tv.keyboard.press("ArrowRight")
    tv.get_by_role("button", name=account.name).focus()
    tv.keyboard.press("Enter")
    expect(tv.get_by_role("heading", name="Browse")).to_be_visible()
    tv.get_by_role("link", name="Harbour Lights 0").focus()
    tv.keyboard.press("ArrowRight")
    focused = tv.evaluate("document.activeElement.textContent")
    assert "Harbour Lights" in focused
    tv.keyboard.press("Enter")
    tv.get_by_role("button", name=re.compile("^Play")).first.click()
    expect(tv.get_by_text(re.compile("Playing on Samsung Smart TV"))).to_be_visible()

    web.goto(f"{site}/account/devices/")
    tv_row = web.get_by_role("listitem").filter(has_text="Samsung Smart TV")
    tv_row.get_by_role("button", name="Sign out").click()
    expect(tv_row).to_have_count(0)

    # The TV's heartbeat (every 10 seconds) notices.
    expect(tv.get_by_text("You've been signed out")).to_be_visible(timeout=15_000)
    expect(tv.locator(".tv-user-code")).to_have_text(re.compile(r"[A-Z]{4}-[A-Z]{4}"))


def test_tv_signs_itself_out_from_settings_and_with_the_key_sequence(
    site, account, titles, new_context
):
    web = new_context(user_agent=CHROME_WINDOWS).new_page()
    tv = new_context(user_agent=SAMSUNG_TV, viewport=TV_SCREEN).new_page()
    sign_in(web, site, account.email)
    _pair(site, tv, web)

    # Menu on the left, the cogwheel "Settings", "Sign out", then "No" keeps it signed in.
    tv.get_by_role("link", name="Settings").click()
    tv.get_by_role("button", name="Sign out").click()
    expect(tv.get_by_text("Sign out of StreamGuard on this device?")).to_be_visible()
    tv.keyboard.press("Escape")
    expect(tv.get_by_role("heading", name="Who's watching?")).to_be_visible()

    # Up, up, down, down, left, right, left, right, up, up, up, up opens the same dialog.
    for key in [
        "Up",
        "Up",
        "Down",
        "Down",
        "Left",
        "Right",
        "Left",
        "Right",
        "Up",
        "Up",
        "Up",
        "Up",
    ]:
        tv.keyboard.press(f"Arrow{key}")
    dialog = tv.get_by_role("dialog", name="Sign out")
    expect(dialog).to_be_visible()
    dialog.get_by_role("button", name="Yes").click()

    expect(tv.get_by_role("heading", name="Sign in on your phone or computer")).to_be_visible()


def test_console_flavour_has_get_help(site, account, titles, new_context):
    web = new_context(user_agent=CHROME_WINDOWS).new_page()
    console = new_context(user_agent=CHROME_WINDOWS, viewport=TV_SCREEN).new_page()
    sign_in(web, site, account.email)
    _pair(site, console, web, platform="?platform=playstation")

    console.get_by_role("link", name="Get help").click()
    console.get_by_role("button", name="Sign out").click()
    console.get_by_role("button", name="Yes").click()

    expect(console.get_by_role("heading", name="Sign in on your phone or computer")).to_be_visible()


def test_a_tv_without_javascript_signs_in_plays_and_signs_out(site, account, titles, new_context):
    web = new_context(user_agent=CHROME_WINDOWS).new_page()
    tv = new_context(
        user_agent=SAMSUNG_TV, viewport=TV_SCREEN, java_script_enabled=False
    ).new_page()
    sign_in(web, site, account.email)
    tv.goto(f"{site}/tv/")
    code = tv.locator(".tv-user-code").inner_text()

    # Pressed too early: the same code stays, and the TV says why nothing happened.
    tv.get_by_role("button", name="I've entered the code").click()
    expect(tv.get_by_text("Not signed in yet")).to_be_visible()
    expect(tv.locator(".tv-user-code")).to_have_text(code)

    web.goto(f"{site}/activate/")
    web.get_by_label("Code").fill(code)
    web.get_by_role("button", name="Continue").click()
    # Approving a TV is behind the recent-authentication gate.
    expect(web.get_by_role("heading", name="Confirm your password")).to_be_visible()
    web.get_by_label("Password").fill(PASSWORD)
    web.get_by_role("button", name="Continue").click()
    web.get_by_role("button", name="Sign in", exact=True).click()
    tv.get_by_role("button", name="I've entered the code").click()

    expect(tv.get_by_role("heading", name="Who's watching?")).to_be_visible()
    tv.get_by_role("button", name=account.name).click()
    expect(tv.get_by_role("heading", name="Browse")).to_be_visible()
    tv.get_by_role("link", name="Harbour Lights 0").first.click()
    tv.get_by_role("button", name=re.compile("^Play")).first.click()
    expect(tv.get_by_text(re.compile("Playing on Samsung Smart TV"))).to_be_visible()

    tv.get_by_role("link", name="Settings").click()
    tv.get_by_role("link", name="Sign out").click()
    expect(tv.get_by_role("heading", name="Sign out?")).to_be_visible()
    tv.get_by_role("button", name="Yes").click()
    expect(tv.get_by_role("heading", name="Sign in on your phone or computer")).to_be_visible()


def test_tv_polish_focus_starts_on_the_first_title_and_sign_out_on_no(
    site, account, titles, new_context
):
    web = new_context(user_agent=CHROME_WINDOWS).new_page()
    tv = new_context(user_agent=SAMSUNG_TV, viewport=TV_SCREEN).new_page()
    sign_in(web, site, account.email)
    _pair(site, tv, web)
    tv.get_by_role("button", name=account.name).click()
    expect(tv.get_by_role("heading", name="Browse")).to_be_visible()

    assert "Harbour Lights" in tv.evaluate("document.activeElement.textContent")

    tv.get_by_role("link", name="Settings").click()
    tv.get_by_role("button", name="Sign out").click()
    expect(tv.get_by_role("dialog", name="Sign out?")).to_be_visible()
    assert tv.evaluate("document.activeElement.textContent").strip() == "No"
    tv.keyboard.press("Enter")
    expect(tv.get_by_role("dialog", name="Sign out?")).to_be_hidden()
    expect(tv.get_by_role("heading", name="Browse")).to_be_visible()


def focused(tv: Page) -> str:
    return tv.evaluate("document.activeElement.textContent").strip()


def test_tv_by_keyboard_menu_stays_put_the_player_pauses_and_sign_out_is_said(
    site, account, titles, new_context
):
    web = new_context(user_agent=CHROME_WINDOWS).new_page()
    tv = new_context(user_agent=SAMSUNG_TV, viewport=TV_SCREEN).new_page()
    sign_in(web, site, account.email)
    _pair(site, tv, web)
    tv.get_by_role("button", name=account.name).focus()
    tv.keyboard.press("Enter")
    expect(tv.get_by_role("heading", name="Browse")).to_be_visible()
    assert "Harbour Lights 0" in focused(tv)

    # Left from the first poster: the menu's own item for this page, not "Settings".
    tv.keyboard.press("ArrowLeft")
    assert focused(tv) == "Home"
    # Down walks the menu and stops at its end; it never drops into the page.
    for _ in range(6):
        tv.keyboard.press("ArrowDown")
        assert tv.evaluate("Boolean(document.activeElement.closest('.tv-menu'))")
    assert "Settings" in focused(tv)
    for _ in range(6):
        tv.keyboard.press("ArrowUp")
    assert focused(tv) == "Profiles"
    tv.keyboard.press("ArrowDown")
    tv.keyboard.press("ArrowRight")
    assert "Harbour Lights" in focused(tv)

    # The player: Enter on a title, Enter on Play, Enter on Pause.
    tv.keyboard.press("Enter")
    expect(tv.get_by_role("button", name=re.compile("^Play"))).to_be_visible()
    tv.get_by_role("button", name=re.compile("^Play")).first.focus()
    tv.keyboard.press("Enter")
    expect(tv.get_by_role("button", name="Pause")).to_be_focused()
    tv.keyboard.press("Enter")
    expect(tv.get_by_text("Paused. “Play” carries on where you left off.")).to_be_visible()
    expect(tv.get_by_role("button", name=re.compile("^Play"))).to_be_visible()

    # Settings → Sign out → Yes, by keyboard: the code screen says it signed out.
    tv.get_by_role("link", name="Settings").focus()
    tv.keyboard.press("Enter")
    expect(tv.get_by_role("dialog", name="Settings")).to_be_visible()
    tv.get_by_role("button", name="Sign out").focus()
    tv.keyboard.press("Enter")
    expect(tv.get_by_role("dialog", name="Sign out?")).to_be_visible()
    tv.keyboard.press("ArrowLeft")
    assert focused(tv) == "Yes"
    tv.keyboard.press("Enter")
    expect(tv.get_by_text("You've been signed out")).to_be_visible()
    expect(tv.get_by_role("heading", name="Sign in on your phone or computer")).to_be_visible()
