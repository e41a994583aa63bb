"""What a household notices: filters that name things, devices told apart, a confirmation
where the person is."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

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
