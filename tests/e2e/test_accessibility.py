"""axe-core finds nothing serious on any page, and the keyboard reaches every control visibly."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from .checks import serious_violations
from .conftest import CHROME_LINUX, confirm_password, pick_profile, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def check(page: Page, url: str, heading: str, found: list[str]) -> None:
    page.goto(url)
    expect(page.get_by_role("heading", name=heading, exact=True).first).to_be_visible()
    found.extend(serious_violations(page))


def test_pages_before_sign_in_have_no_serious_violations(site, new_context):
    page = new_context(user_agent=CHROME_LINUX).new_page()
    found: list[str] = []

    check(page, f"{site}/login/", "Sign in", found)
    # A form with errors, as a person who mistyped sees it.
    page.get_by_label("Email").fill("nobody@example.com")
    page.get_by_label("Password").fill("wrong")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_be_visible()
    found.extend(serious_violations(page))

    check(page, f"{site}/signup/", "Create account", found)
    check(page, f"{site}/tv/", "Sign in on your phone or computer", found)

    assert not found, "\n".join(found)


def test_signed_in_pages_have_no_serious_violations(site, household, new_context):
    account = household.adult.user
    page = new_context(user_agent=CHROME_LINUX).new_page()
    found: list[str] = []
    sign_in(page, site, account.email)
    found.extend(serious_violations(page))  # "Who's watching?"

    # A locked profile's PIN pad.
    page.get_by_role("button", name="Kids").click()
    expect(page.get_by_role("heading", name="Enter your PIN to open Kids")).to_be_visible()
    found.extend(serious_violations(page))

    pick_profile(page, site, account.name)
    found.extend(serious_violations(page))  # Browse
    title = household.titles[0]
    check(page, f"{site}/search/?q=harb", "1 title for “harb”", found)
    check(page, f"{site}/title/{title.slug}/", title.name, found)
    check(page, f"{site}/watch/{title.slug}/", title.name, found)
    page.get_by_role("button", name=f"Play {title.name}").click()
    expect(page.get_by_role("progressbar", name="Progress")).to_be_visible()
    found.extend(serious_violations(page))  # the player

    check(page, f"{site}/account/", "Account", found)
    check(page, f"{site}/account/devices/", "Manage access and devices", found)
    check(page, f"{site}/account/devices/sign-out-all/", "Sign out of all devices", found)
    check(page, f"{site}/account/security/", "Security activity", found)
    check(page, f"{site}/account/streaming-activity/", "Recent device streaming activity", found)
    check(page, f"{site}/profiles/{household.adult.public_id}/activity/", "Viewing activity", found)
    check(page, f"{site}/account/confirm-password/", "Confirm your password", found)
    confirm_password(page, site)
    found.extend(serious_violations(page))  # "Parental PIN"
    # "Change password" is behind the recent-authentication gate just passed.
    check(page, f"{site}/account/password/", "Change password", found)
    check(page, f"{site}/profiles/{household.kids.public_id}/parental/", "Parental controls", found)
    page.get_by_label("Type a title's name").press_sequentially("bear", delay=40)
    expect(page.get_by_role("button", name="Add Bramble Bears")).to_be_visible()
    found.extend(serious_violations(page))  # with search results swapped in
    check(page, f"{site}/activate/", "Enter the code shown on your TV", found)

    assert not found, "\n".join(found)


FOCUSABLE = "a[href], button, input:not([type=hidden]), select, textarea, summary"


def test_keyboard_reaches_every_control_on_devices_with_a_visible_focus(
    site, household, new_context
):
    account = household.adult.user
    page = new_context(user_agent=CHROME_LINUX).new_page()
    sign_in(page, site, account.email)
    page.goto(f"{site}/account/devices/")
    expect(page.get_by_role("heading", name="Manage access and devices")).to_be_visible()

    controls = page.evaluate(
        """(selector) => [...document.querySelectorAll(selector)]
            .filter((el) => !el.disabled && el.checkVisibility())
            .map((el, i) => {
                el.dataset.e2eIndex = i;
                return (el.innerText || el.value || el.getAttribute("aria-label") || "").trim();
            })""",
        FOCUSABLE,
    )
    assert len(controls) >= 10, controls  # header, four devices, the signed-out table

    reached: dict[int, dict] = {}
    for _ in range(len(controls) + 5):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            """() => {
                const el = document.activeElement;
                if (!el || el === document.body) return null;
                const style = getComputedStyle(el);
                return {
                    index: el.dataset.e2eIndex === undefined ? -1 : Number(el.dataset.e2eIndex),
                    text: (el.innerText || el.value || "").trim(),
                    outline: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0,
                    shadow: style.boxShadow !== "none",
                };
            }"""
        )
        if focused is None or focused["index"] in reached:
            break
        reached[focused["index"]] = focused

    missed = [text for i, text in enumerate(controls) if i not in reached]
    assert not missed, f"not reachable with Tab: {missed}"
    unmarked = [f["text"] for f in reached.values() if not (f["outline"] or f["shadow"])]
    assert not unmarked, f"no visible focus on: {unmarked}"
