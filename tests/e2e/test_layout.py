"""From a 360 px phone to a 1920 px TV: no sideways scrolling, no controls on top of each other.

The same walk takes the README's screenshots (scripts/screenshots refreshes docs/screenshots/).
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from .conftest import CHROME_LINUX, DESKTOP, PHONE, TV_SCREEN, confirm_password, screenshot, sign_in

pytestmark = pytest.mark.django_db(transaction=True)

# Screenshots are taken at the phone and desktop widths; 1920 is only checked.
WIDTHS = {
    "phone": PHONE,
    "desktop": DESKTOP,
    "tv": TV_SCREEN,
}
SCREENSHOT_AT = {"phone", "desktop"}

# Pairs of visible controls inside <main> whose boxes overlap by more than a pixel each way
# (one inside the other, like a button in a link, is nesting, not overlap).
OVERLAPS = """() => {
    const controls = [...document.querySelectorAll(
        "main a[href], main button, main input:not([type=hidden]), main select, main textarea"
    )].filter((el) => {
        const box = el.getBoundingClientRect();
        return el.checkVisibility({visibilityProperty: true, opacityProperty: true})
            && box.width > 1 && box.height > 1;
    });
    const name = (el) => `${el.tagName.toLowerCase()} "${
        (el.innerText || el.value || el.getAttribute("aria-label") || el.name || "").trim()
    }"`;
    const found = [];
    for (let i = 0; i < controls.length; i++) {
        for (let j = i + 1; j < controls.length; j++) {
            const [a, b] = [controls[i], controls[j]];
            if (a.contains(b) || b.contains(a)) continue;
            const r = a.getBoundingClientRect(), s = b.getBoundingClientRect();
            const x = Math.min(r.right, s.right) - Math.max(r.left, s.left);
            const y = Math.min(r.bottom, s.bottom) - Math.max(r.top, s.top);
            if (x > 1 && y > 1) found.push(`${name(a)} overlaps ${name(b)}`);
        }
    }
    return found;
}"""


def layout_problems(page: Page, label: str) -> list[str]:
    problems = []
    scroll_width, inner_width = page.evaluate(
        "[document.documentElement.scrollWidth, window.innerWidth]"
    )
    if scroll_width > inner_width:
        problems.append(f"{label}: scrolls sideways ({scroll_width} px wide in {inner_width})")
    problems.extend(f"{label}: {overlap}" for overlap in page.evaluate(OVERLAPS))
    return problems


def settle(page: Page) -> None:
    """Lazy posters load only once scrolled into view: load them all before measuring."""
    page.evaluate(
        """() => Promise.all([...document.images].map((img) => {
            img.loading = "eager";
            return img.complete ? null : img.decode().catch(() => null);
        }))"""
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
    visit("/account/", "Account", "account")
    visit("/account/devices/", "Manage access and devices", "devices")
    visit("/account/streaming-activity/", "Recent device streaming activity", "streaming-activity")
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
