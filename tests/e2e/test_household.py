"""What a household notices: filters that name things, devices told apart, a confirmation
where the person is."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from devices.models import Device
from tests.catalog.factories import DeviceFactory, ViewingFactory

from .conftest import DESKTOP, pick_profile, screenshot, sign_in

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
