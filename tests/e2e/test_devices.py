"""Two browser contexts are two devices of one account: one signs the other out."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.conftest import CHROME_WINDOWS, SAFARI_IPHONE

from .conftest import PHONE, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_one_browser_signs_the_other_out_without_a_page_load(site, account, new_context):
    laptop = new_context(user_agent=CHROME_WINDOWS).new_page()
    phone = new_context(user_agent=SAFARI_IPHONE, viewport=PHONE).new_page()
    sign_in(laptop, site, account.email)
    sign_in(phone, site, account.email)

    laptop.goto(f"{site}/account/devices/")
    phone_row = laptop.get_by_role("listitem").filter(has_text="Safari on iPhone")
    expect(phone_row).to_be_visible()
    expect(laptop.get_by_text("This device", exact=True)).to_be_visible()
    laptop.evaluate("window.__notReloaded = true")

    phone_row.get_by_role("button", name="Sign out").click()

    expect(phone_row).to_have_count(0)
    assert laptop.evaluate("window.__notReloaded") is True
    expect(laptop.get_by_role("table")).to_contain_text("Signed out remotely")
    # Said in the polite live region, which screen readers announce.
    expect(
        laptop.get_by_role("status").filter(has_text="Safari on iPhone was signed out.")
    ).to_be_visible()

    phone.goto(f"{site}/account/")
    expect(phone.get_by_role("heading", name="Sign in")).to_be_visible()
    expect(
        phone.get_by_text("You were signed out of this device from your account")
    ).to_be_visible()


def test_a_sign_out_from_an_out_of_date_tab_says_to_reload(site, account, new_context):
    context = new_context(user_agent=CHROME_WINDOWS)
    old_tab = context.new_page()
    phone = new_context(user_agent=SAFARI_IPHONE).new_page()
    sign_in(old_tab, site, account.email)
    sign_in(phone, site, account.email)
    old_tab.goto(f"{site}/account/devices/")
    # Signing out and in again in another tab gives the browser a new CSRF token.
    other_tab = context.new_page()
    other_tab.goto(f"{site}/account/")
    other_tab.get_by_text("Account menu").click()
    other_tab.get_by_role("button", name="Sign out").click()
    sign_in(other_tab, site, account.email)

    old_tab.get_by_role("listitem").filter(has_text="Safari on iPhone").get_by_role(
        "button", name="Sign out"
    ).click()

    expect(old_tab.get_by_role("alert")).to_contain_text("This page is out of date — reload it")
    old_tab.get_by_role("link", name="Reload").click()
    expect(old_tab.get_by_role("listitem").filter(has_text="Safari on iPhone")).to_be_visible()


def test_sign_out_of_all_other_devices_keeps_this_one(site, account, new_context):
    laptop = new_context(user_agent=CHROME_WINDOWS).new_page()
    phone = new_context(user_agent=SAFARI_IPHONE).new_page()
    sign_in(laptop, site, account.email)
    sign_in(phone, site, account.email)

    laptop.goto(f"{site}/account/devices/")
    laptop.get_by_role("link", name="Sign out of all devices").click()
    laptop.get_by_role("button", name="Sign out of all other devices").click()

    expect(laptop.get_by_text("All other devices were signed out.")).to_be_visible()
    phone.reload()
    expect(phone.get_by_role("heading", name="Sign in")).to_be_visible()


def test_sign_out_of_all_devices_lands_on_sign_in(site, account, new_context):
    laptop = new_context(user_agent=CHROME_WINDOWS).new_page()
    sign_in(laptop, site, account.email)

    laptop.goto(f"{site}/account/devices/sign-out-all/")
    laptop.get_by_role("button", name="Sign out of all devices").click()

    expect(laptop.get_by_role("heading", name="Sign in")).to_be_visible()


def test_sign_out_works_with_javascript_disabled(site, account, new_context):
    laptop = new_context(user_agent=CHROME_WINDOWS, java_script_enabled=False).new_page()
    phone = new_context(user_agent=SAFARI_IPHONE).new_page()
    sign_in(laptop, site, account.email)
    sign_in(phone, site, account.email)

    laptop.goto(f"{site}/account/devices/")
    laptop.get_by_role("listitem").filter(has_text="Safari on iPhone").get_by_role(
        "button", name="Sign out"
    ).click()

    expect(laptop.get_by_text("Safari on iPhone was signed out.")).to_be_visible()
    phone.reload()
    expect(phone.get_by_role("heading", name="Sign in")).to_be_visible()


def test_password_change_signs_the_other_browser_out(site, account, new_context):
    laptop = new_context(user_agent=CHROME_WINDOWS).new_page()
    phone = new_context(user_agent=SAFARI_IPHONE).new_page()
    sign_in(laptop, site, account.email)
    sign_in(phone, site, account.email)

    laptop.goto(f"{site}/account/password/")
    # Behind the recent-authentication gate: the password first, then the form.
    laptop.get_by_label("Password").fill("correct-horse-battery-staple")
    laptop.get_by_role("button", name="Continue").click()
    expect(laptop.get_by_label("Sign out of all other devices")).to_be_checked()
    # Just confirmed on the way here: the password is not asked a second time.
    expect(laptop.get_by_label("Old password")).to_have_count(0)
    laptop.get_by_label("New password", exact=True).fill("a-much-longer-secret-2026")
    laptop.get_by_label("New password confirmation").fill("a-much-longer-secret-2026")
    laptop.get_by_role("button", name="Save").click()

    expect(laptop.get_by_text("Your other devices were signed out.")).to_be_visible()
    phone.goto(f"{site}/account/")
    expect(phone.get_by_role("heading", name="Sign in")).to_be_visible()
