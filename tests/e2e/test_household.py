"""What a household notices: filters that name things, devices told apart, a confirmation
where the person is."""

from __future__ import annotations

import re
import time
from datetime import timedelta

import pytest
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from devices.emails import not_me_token
from devices.models import Device
from tests.catalog.factories import DeviceFactory, ViewingFactory
from tests.conftest import GOOD_PIN
from tests.factories import PASSWORD
from tests.mfa.twostep_helpers import totp_code

from .conftest import DESKTOP, confirm_password, pick_profile, screenshot, sign_in

pytestmark = pytest.mark.django_db(transaction=True)

PHONE_320 = {"width": 320, "height": 640}


@pytest.mark.parametrize("viewport", [PHONE_320, DESKTOP], ids=["320", "1280"])
def test_the_activity_filters_name_every_profile_and_tell_twin_devices_apart(
    site, account, household, new_context, viewport
):
    twin = DeviceFactory(
        user=account,
        kind=Device.Kind.TV,
        name="Samsung Smart TV",
        city="Lisbon",
        country="PT",
        signed_in_at=timezone.now() - timedelta(days=1),
    )
    ViewingFactory(profile=household.adult, device=twin, device_name=twin.name)
    page = new_context(viewport=viewport).new_page()
    sign_in(page, site, account.email)
    pick_profile(page, site, household.adult.name)

    page.goto(f"{site}/account/streaming-activity/")

    profiles = page.get_by_label("Profile").locator("option").all_inner_texts()
    assert profiles == ["Every profile", household.adult.name, "Kids", "Sam"]
    devices = page.get_by_label("Device", exact=True).locator("option").all_inner_texts()
    assert len(devices) == len(set(devices)) == 7  # "Every device" and six devices
    assert [d for d in devices if d.startswith("Samsung Smart TV · ")] == [
        d for d in devices if d.startswith("Samsung Smart TV")
    ]
    assert any(d.startswith("Samsung Smart TV · Lisbon · since ") for d in devices)
    screenshot(page, f"household-activity-filters-{viewport['width']}")


@pytest.mark.parametrize("viewport", [PHONE_320, DESKTOP], ids=["320", "1280"])
def test_a_sign_out_is_said_in_the_cards_place_with_the_focus_on_it(
    site, account, new_context, viewport
):
    now = timezone.now()
    for n in range(8):
        DeviceFactory(
            user=account, name=f"Smart TV {n}", last_seen_at=now - timedelta(minutes=10 + n)
        )
    page = new_context(viewport=viewport).new_page()
    sign_in(page, site, account.email)
    page.goto(f"{site}/account/devices/")
    card = page.get_by_role("listitem").filter(has_text="Smart TV 6")
    card.scroll_into_view_if_needed()
    top_before = card.bounding_box()["y"]

    card.get_by_role("button", name="Sign out").click()

    said = page.get_by_role("status").filter(has_text="Smart TV 6 was signed out.")
    expect(said).to_be_focused()
    expect(said).to_be_in_viewport()
    expect(card).to_have_count(0)
    assert abs(said.bounding_box()["y"] - top_before) < viewport["height"] / 2
    next_card = page.get_by_role("listitem").filter(has_text="Smart TV 7")
    assert said.bounding_box()["y"] < next_card.bounding_box()["y"]
    screenshot(page, f"household-signed-out-in-place-{viewport['width']}")


@pytest.mark.parametrize("viewport", [PHONE_320, DESKTOP], ids=["320", "1280"])
def test_a_blocked_title_tells_the_child_what_it_is_and_why(site, household, new_context, viewport):
    page = new_context(viewport=viewport).new_page()
    sign_in(page, site, household.adult.user.email)
    page.get_by_role("button", name=re.compile(r"^Kids\b")).click()
    page.get_by_label("Parental PIN").focus()
    page.keyboard.type(GOOD_PIN, delay=40)
    expect(page.get_by_role("banner")).to_contain_text("Watching as Kids")

    response = page.goto(f"{site}/title/{household.titles[2].slug}/")

    assert response is not None
    assert response.status == 403
    expect(page.get_by_role("heading", name="Captain Kettle")).to_be_visible()
    expect(page.get_by_text("Blocked on this profile", exact=True)).to_be_visible()
    expect(page.get_by_text("This title is blocked on this profile.")).to_be_visible()
    expect(page.get_by_role("button", name="Play")).to_have_count(0)
    screenshot(page, f"household-blocked-title-{viewport['width']}")


@pytest.mark.parametrize("viewport", [PHONE_320, DESKTOP], ids=["320", "1280"])
def test_blocking_a_title_confirms_in_the_row_and_the_overview_names_it(
    site, household, new_context, viewport
):
    page = new_context(viewport=viewport).new_page()
    sign_in(page, site, household.adult.user.email)
    confirm_password(page, site)
    page.goto(f"{site}/profiles/{household.kids.public_id}/parental/")
    assert "AM" not in page.get_by_label("Monday: starts").inner_text()
    page.get_by_role("button", name="Weekdays 07:00–20:00").click()
    expect(page.get_by_label("Monday: starts").locator("option:checked")).to_have_text("07:00")
    expect(page.get_by_label("Monday: ends").locator("option:checked")).to_have_text("20:00")

    page.get_by_label("Type a title's name").fill("Robo")
    row = page.locator("#results li").filter(has_text="Robo Rascals")
    row.get_by_role("button", name="Add Robo Rascals").click()

    said = row.get_by_role("status")
    expect(said).to_contain_text("Blocked")
    expect(said).to_be_focused()
    expect(said).to_be_in_viewport()
    expect(row.get_by_role("button", name="Add Robo Rascals")).to_have_count(0)
    expect(page.locator("#blocked-titles")).to_contain_text("Robo Rascals blocked.")
    screenshot(page, f"household-title-blocked-{viewport['width']}")

    page.goto(f"{site}/account/parental/")
    kids_card = page.get_by_role("listitem").filter(has_text="Kids")
    expect(kids_card).to_contain_text("Captain Kettle, Robo Rascals")


@pytest.mark.parametrize("viewport", [PHONE_320, DESKTOP], ids=["320", "1280"])
def test_this_wasnt_me_for_a_device_already_signed_out_offers_only_the_next_step(
    site, account, new_context, viewport
):
    device = DeviceFactory(
        user=account,
        name="Samsung Smart TV",
        ip=None,
        country="",
        signed_out_at=timezone.now(),
        signed_out_reason=Device.SignOutReason.REMOTE,
    )
    page = new_context(viewport=viewport).new_page()

    page.goto(f"{site}/account/devices/not-me/{not_me_token(device)}/")

    expect(page.get_by_text("This device is already signed out.")).to_be_visible()
    expect(page.get_by_role("main").get_by_role("button")).to_have_count(1)
    expect(page.get_by_role("button", name="Secure my account")).to_be_visible()
    expect(page.get_by_text("Unknown location")).to_have_count(0)
    screenshot(page, f"household-not-me-signed-out-{viewport['width']}")


@pytest.mark.parametrize("viewport", [PHONE_320, DESKTOP], ids=["320", "1280"])
def test_two_step_setup_opens_the_app_and_copies_the_recovery_codes(
    site, account, new_context, viewport
):
    context = new_context(viewport=viewport)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site)
    page = context.new_page()
    sign_in(page, site, account.email)
    page.goto(f"{site}/account/two-step/setup/")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Continue").click()

    link = page.get_by_role("link", name="Open in authenticator app")
    expect(link).to_be_visible()
    assert (link.get_attribute("href") or "").startswith("otpauth://totp/")
    device = TOTPDevice.objects.get(user=account)
    page.get_by_label("Code").fill("000000")
    page.get_by_role("button", name="Turn on").click()
    page.get_by_label("Code").fill(totp_code(device))
    page.get_by_role("button", name="Turn on").click()
    expect(page.get_by_text("Wait a few seconds and try again.")).to_be_visible()
    screenshot(page, f"household-two-step-setup-{viewport['width']}")

    time.sleep(1.2)
    page.get_by_label("Code").fill(totp_code(device))
    page.get_by_role("button", name="Turn on").click()
    expect(page.get_by_role("heading", name="Recovery codes")).to_be_visible()
    page.get_by_role("button", name="Copy").click()
    expect(page.get_by_role("status").filter(has_text="Copied")).to_be_visible()
    copied = page.evaluate("navigator.clipboard.readText()")
    codes = page.locator("#recovery-codes code").all_inner_texts()
    assert copied.split() == codes
    assert len(codes) == 10
    screenshot(page, f"household-recovery-codes-{viewport['width']}")


def test_without_javascript_the_recovery_codes_offer_no_dead_copy_button(
    site, account, new_context
):
    page = new_context(java_script_enabled=False).new_page()
    sign_in(page, site, account.email)
    page.goto(f"{site}/account/two-step/setup/")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Continue").click()
    device = TOTPDevice.objects.get(user=account)
    page.get_by_label("Code").fill(totp_code(device))
    page.get_by_role("button", name="Turn on").click()

    expect(page.get_by_role("heading", name="Recovery codes")).to_be_visible()
    expect(page.get_by_role("button", name="Copy")).to_have_count(0)
    expect(page.get_by_role("button", name="Download as a text file")).to_be_visible()


@pytest.mark.parametrize("viewport", [PHONE_320, DESKTOP], ids=["320", "1280"])
def test_in_spanish_the_picker_names_each_language_in_itself_and_django_says_tu(
    site, account, new_context, viewport
):
    page = new_context(viewport=viewport, locale="es-ES").new_page()
    page.goto(f"{site}/signup/")

    options = page.locator("#footer-language option").all_inner_texts()
    assert options == ["English", "Español"]
    page.get_by_label("Correo electrónico").fill("not-an-address")
    page.get_by_label("Correo electrónico").evaluate("el => el.type = 'text'")
    page.get_by_role("button", name=re.compile("Crear")).click()
    expect(
        page.get_by_text("Introduce una dirección de correo electrónico válida.")
    ).to_be_visible()
    expect(page.get_by_role("main")).not_to_contain_text("Introduzca")
    screenshot(page, f"household-spanish-signup-{viewport['width']}")
