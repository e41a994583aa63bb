"""The strict Content-Security-Policy breaks nothing: no page, the TV client or the admin
included, reports a violation in the browser's console."""

from __future__ import annotations

import pytest
from playwright.sync_api import ConsoleMessage, Page, expect

from tests.conftest import SAMSUNG_TV
from tests.factories import UserFactory
from tests.mfa.twostep_helpers import totp_code, two_step_on

from .conftest import CHROME_LINUX, confirm_password, pick_profile, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def _watch_console(page: Page) -> list[str]:
    violations: list[str] = []

    def seen(message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text:
            violations.append(f"{page.url}: {message.text}")

    page.on("console", seen)
    return violations


def _visit(page: Page, url: str) -> None:
    response = page.goto(url)
    assert response is not None
    assert response.status < 500, url
    assert "script-src 'self'" in response.headers["content-security-policy"], url
    page.wait_for_load_state("networkidle")


def test_no_page_reports_a_csp_violation(site, household, new_context):
    page = new_context(user_agent=CHROME_LINUX).new_page()
    violations = _watch_console(page)
    for path in ("/login/", "/signup/", "/password-reset/"):
        _visit(page, f"{site}{path}")
    sign_in(page, site, household.adult.user.email)
    pick_profile(page, site, household.adult.name)
    title = household.titles[0]
    adult, kids = household.adult.public_id, household.kids.public_id
    for path in (
        "/browse/",
        "/search/?q=harbour",
        f"/title/{title.slug}/",
        f"/watch/{title.slug}/",
        "/account/",
        "/account/devices/",
        "/account/devices/sign-out-all/",
        "/account/security/",
        "/account/streaming-activity/",
        f"/profiles/{adult}/activity/",
        "/profiles/",
        "/profiles/manage/",
        "/activate/",
    ):
        _visit(page, f"{site}{path}")
    page.goto(f"{site}/watch/{title.slug}/")
    page.get_by_role("button", name=f"Play {title.name}").click()  # the player's script runs
    expect(page.get_by_role("progressbar", name="Progress")).to_be_visible()
    confirm_password(page, site)
    for path in ("/account/password/", "/account/parental-pin/", f"/profiles/{kids}/parental/"):
        _visit(page, f"{site}{path}")
    page.get_by_label("Type a title's name").press_sequentially("bear", delay=40)  # htmx swap
    expect(page.get_by_role("button", name="Add Bramble Bears")).to_be_visible()
    _visit(page, f"{site}/profiles/{kids}/unlock/")  # the PIN pad and its script

    assert not violations, "\n".join(violations)


def test_the_tv_client_reports_no_csp_violation(site, household, new_context):
    tv = new_context(user_agent=SAMSUNG_TV).new_page()
    violations = _watch_console(tv)
    _visit(tv, f"{site}/tv/")  # the code screen with its QR code
    expect(tv.locator(".tv-user-code")).to_be_visible()
    _visit(tv, f"{site}/tv/?platform=playstation")
    sign_in(tv, site, household.adult.user.email)
    _visit(tv, f"{site}/tv/")  # "Who's watching?" in the TV layout

    assert not violations, "\n".join(violations)


def test_the_admin_reports_no_csp_violation(site, household, new_context):
    staff = UserFactory(email="support@example.com", is_staff=True, is_superuser=True)
    device, _codes = two_step_on(staff)  # the admin opens only past a second step
    page = new_context().new_page()
    violations = _watch_console(page)
    _visit(page, f"{site}/admin/login/")
    page.get_by_label("Email").fill(staff.email)
    page.get_by_label("Password").fill("correct-horse-battery-staple")
    page.get_by_role("button", name="Log in").click()
    page.get_by_label("Code").fill(totp_code(device))
    page.get_by_role("button", name="Verify").click()
    expect(page.get_by_role("heading", name="Site administration")).to_be_visible()
    for path in (
        "/admin/",
        "/admin/accounts/user/",
        f"/admin/accounts/user/{household.adult.user.pk}/change/",
        "/admin/accounts/securityevent/",
        "/admin/devices/device/",
    ):
        _visit(page, f"{site}{path}")

    assert not violations, "\n".join(violations)
