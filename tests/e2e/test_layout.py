"""From a 320 px phone to a 1920 px TV: nothing off-screen, no controls on top of each other,
the header on one row and every item of the account menu reachable.

The same walk takes the README's screenshots (scripts/screenshots refreshes docs/screenshots/).
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from devices.models import Device
from tests.catalog.factories import ViewingFactory

from .checks import OFF_SCREEN, layout_problems
from .conftest import CHROME_LINUX, DESKTOP, TV_SCREEN, confirm_password, screenshot, sign_in

pytestmark = pytest.mark.django_db(transaction=True)

# WCAG 2.2 reflow asks for 320 CSS px. Screenshots are taken at the phone and desktop
# widths; 768 and 1920 are only checked.
WIDTHS = {
    "phone": {"width": 320, "height": 720},
    "tablet": {"width": 768, "height": 1024},
    "desktop": DESKTOP,
    "tv": TV_SCREEN,
}
SCREENSHOT_AT = {"phone", "desktop"}


def account_menu_problems(page: Page, label: str) -> list[str]:
    """Open the account menu: each of its items must be on screen and the one hit there."""
    page.get_by_text("Account menu").click()
    menu = page.locator(".account-menu ul")
    expect(menu).to_be_visible()
    problems = [f"{label} account menu: {item}" for item in page.evaluate(OFF_SCREEN)]
    problems += page.evaluate(
        """() => [...document.querySelectorAll(".account-menu li > a, .account-menu li button")]
            .filter((el) => {
                const box = el.getBoundingClientRect();
                const [x, y] = [box.left + box.width / 2, box.top + box.height / 2];
                const hit = document.elementFromPoint(x, y);
                return !(hit && (hit === el || el.contains(hit)));
            }).map((el) => `account menu item "${el.innerText.trim()}" cannot be reached`)"""
    )
    page.get_by_text("Account menu").click()
    return problems


def settle(page: Page) -> None:
    """Lazy posters load only once scrolled into view: load them all before measuring."""
    page.evaluate(
        """() => Promise.all([...document.images].map((img) => {
            img.loading = "eager";
            return img.complete ? null : img.decode().catch(() => null);
        }))"""
    )


def _something_playing_and_a_24_hour_tv(household) -> None:
    """The devices page as it looks mid-evening: a stream on the phone, a hotel-style TV."""
    now = timezone.now()
    phone = Device.objects.get(user=household.adult.user, name="Safari on iPhone")
    ViewingFactory(
        profile=household.adult,
        title=household.titles[0],
        device=phone,
        device_name=phone.name,
        started_at=now - timedelta(minutes=20),
        last_heartbeat_at=now,
        stopped_at=None,
        stop_reason="",
    )
    Device.objects.filter(user=household.adult.user, name="Samsung Smart TV").update(
        signed_in_at=now - timedelta(hours=3),
        last_seen_at=now - timedelta(hours=1),
        expires_at=now + timedelta(hours=21),
    )


@pytest.mark.parametrize("width", WIDTHS)
def test_main_pages_fit_the_screen_without_overlapping_controls(
    site, household, new_context, width
):
    account = household.adult.user
    viewport = WIDTHS[width]
    page = new_context(user_agent=CHROME_LINUX, viewport=viewport).new_page()
    problems: list[str] = []

    def visit(path: str, heading: str, shot: str | None) -> None:
        page.goto(f"{site}{path}")
        expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible()
        settle(page)
        problems.extend(layout_problems(page, f"{path} at {viewport['width']} px"))
        if shot and width in SCREENSHOT_AT:
            screenshot(page, f"{shot}-{width}")

    sign_in(page, site, account.email)
    visit("/profiles/", "Who's watching?", "whos-watching")
    page.get_by_role("button", name=account.name).click()
    expect(page.get_by_role("heading", name="Browse")).to_be_visible()
    visit("/browse/", "Browse", "browse")
    problems.extend(account_menu_problems(page, f"/browse/ at {viewport['width']} px"))
    if width == "phone":
        page.get_by_text("Account menu").click()
        screenshot(page, "account-menu-phone")
        page.get_by_text("Account menu").click()
    visit("/account/", "Account", "account")
    _something_playing_and_a_24_hour_tv(household)
    visit("/account/devices/", "Manage access and devices", "devices")
    visit("/account/streaming-activity/", "Recent device streaming activity", "streaming-activity")
    visit("/account/security/", "Security activity", None)
    visit(f"/profiles/{household.adult.public_id}/activity/", "Viewing activity", None)
    confirm_password(page, site)
    visit(f"/profiles/{household.kids.public_id}/parental/", "Parental controls", None)
    # With a search's results in place, as the page looks while blocking a title.
    page.get_by_label("Type a title's name").press_sequentially("bear", delay=40)
    expect(page.get_by_role("button", name="Add Bramble Bears")).to_be_visible()
    problems.extend(layout_problems(page, f"parental controls search at {viewport['width']} px"))
    if width in SCREENSHOT_AT:
        screenshot(page, f"parental-controls-{width}")

    tv = new_context(viewport=viewport).new_page()
    tv.goto(f"{site}/tv/")
    expect(tv.get_by_role("heading", name="Sign in on your phone or computer")).to_be_visible()
    problems.extend(layout_problems(tv, f"/tv/ at {viewport['width']} px"))
    if width in SCREENSHOT_AT:
        screenshot(tv, f"tv-code-{width}")

    assert not problems, "\n".join(problems)
