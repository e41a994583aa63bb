"""Recent device streaming activity: what played on the account, on which device, from where."""

from __future__ import annotations

import html
from datetime import timedelta

import pytest
from django.utils import timezone

from catalog.models import Viewing
from devices.services import remove_device
from tests.conftest import SAMSUNG_TV, reauthenticate
from tests.factories import ProfileFactory, UserFactory

from .conftest import device_of, make_viewings
from .factories import DeviceFactory, TitleFactory, ViewingFactory

pytestmark = pytest.mark.django_db

URL = "/account/streaming-activity/"


def text(response) -> str:
    return html.unescape(response.content.decode())


def test_lists_the_last_90_days_with_time_device_ip_location_and_profile(profile, watch_as):
    now = timezone.now()
    sam = ProfileFactory(user=profile.user, name="Sam")
    ViewingFactory(
        profile=sam,
        device_name="PlayStation 5",
        ip="94.63.200.8",
        city="Lisbon",
        country="PT",
        started_at=now - timedelta(days=2, hours=1),
    )
    ViewingFactory(profile=profile, device_name="Forgotten Laptop", started_at=now - timedelta(91))
    ViewingFactory(device_name="Neighbour's TV")
    browser = watch_as(profile)

    page = text(browser.get(URL))

    assert "Recent device streaming activity" in page
    for expected in ["PlayStation 5", "94.63.200.8", "Lisbon, Portugal", "Sam"]:
        assert expected in page
    assert (now - timedelta(days=2, hours=1)).strftime("%-d %b %Y, %H:%M") in page
    assert "Forgotten Laptop" not in page
    assert "Neighbour's TV" not in page


def test_the_first_viewing_from_a_new_country_is_marked(profile, watch_as):
    now = timezone.now()
    for days in (200, 60, 30, 10):
        ViewingFactory(profile=profile, country="GB", started_at=now - timedelta(days=days))
    ViewingFactory(profile=profile, country="PT", city="Lisbon", started_at=now - timedelta(20))
    ViewingFactory(profile=profile, country="PT", city="Porto", started_at=now - timedelta(5))
    ViewingFactory(country="IT")  # another account's first Italian viewing: not ours

    page = text(watch_as(profile).get(URL))

    assert page.count("New country") == 2  # the explanation above the table, and one badge
    row = page[page.index("Lisbon, Portugal") - 400 : page.index("Lisbon, Portugal") + 120]
    assert "New country</span>" in row
    assert "Porto, Portugal" in page


def test_a_country_seen_before_the_90_days_is_not_new(profile, watch_as):
    now = timezone.now()
    ViewingFactory(profile=profile, country="GB", started_at=now - timedelta(days=400))
    ViewingFactory(profile=profile, country="PT", started_at=now - timedelta(days=200))
    ViewingFactory(profile=profile, country="PT", started_at=now - timedelta(days=3))

    assert text(watch_as(profile).get(URL)).count("New country") == 1


def test_the_device_filter_shows_only_what_played_on_that_device(profile, watch_as, kids_title):
    tv = watch_as(profile, user_agent=SAMSUNG_TV, REMOTE_ADDR="81.2.69.142")
    tv.post(f"/watch/{kids_title.slug}/")
    ViewingFactory(profile=profile, device_name="Safari on iPhone")
    laptop = watch_as(profile)
    device = device_of(tv)

    page = text(laptop.get(URL, {"device": str(device.id)}))

    assert "Showing <strong>Samsung Smart TV</strong> only." in page
    assert "81.2.69.142" in page
    assert "Safari on iPhone" not in page


def test_the_devices_page_links_each_device_to_what_was_watched_on_it(profile, watch_as):
    laptop = watch_as(profile)
    device = device_of(laptop)

    page = text(laptop.get("/account/devices/"))

    assert f'href="{URL}?device={device.id}">What was watched on it' in page


@pytest.mark.parametrize("device_id", ["not-a-uuid", "00000000-0000-4000-8000-000000000000"])
def test_an_unknown_device_filter_is_not_found(profile, watch_as, device_id):
    assert watch_as(profile).get(URL, {"device": device_id}).status_code == 404


def test_another_accounts_device_is_not_found(profile, watch_as):
    theirs = DeviceFactory(user=UserFactory())
    ViewingFactory(device=theirs, device_name=theirs.name)

    assert watch_as(profile).get(URL, {"device": str(theirs.id)}).status_code == 404


def test_streaming_activity_runs_a_fixed_number_of_queries(
    profile, watch_as, django_assert_max_num_queries
):
    sam = ProfileFactory(user=profile.user)
    device = DeviceFactory(user=profile.user)
    titles = [TitleFactory() for _ in range(20)]
    make_viewings(profile, 700, titles=titles, device=device)
    make_viewings(sam, 700, titles=titles)
    Viewing.objects.filter(pk__in=Viewing.objects.filter(profile=sam).values("pk")[:50]).update(
        country="PT"
    )
    browser = watch_as(profile)
    browser.get(URL)

    # The filter form's device and profile choices are one query each; the device filter
    # is found among them.
    deep = Viewing.objects.for_account(profile.user).order_by("-started_at", "-id")[1000]
    # A page 1,000 rows deep: the same queries as the first, plus the one that finds its row.
    with django_assert_max_num_queries(8):
        everything = browser.get(URL, {"before": str(deep.public_id)})
    with django_assert_max_num_queries(8):
        one_device = browser.get(URL, {"device": str(device.id)})

    assert text(everything).count("<tr>") == 51
    assert text(one_device).count("<tr>") == 51


def test_removing_a_device_erases_ip_and_location_from_its_viewings(profile, watch_as):
    device = DeviceFactory(user=profile.user, name="Samsung Smart TV")
    title = TitleFactory(name="Ward Nine")
    started_at = timezone.now() - timedelta(days=1)
    on_tv = ViewingFactory(
        profile=profile,
        title=title,
        device=device,
        device_name=device.name,
        ip="94.63.200.8",
        city="Lisbon",
        country="PT",
        started_at=started_at,
    )
    elsewhere = ViewingFactory(profile=profile, ip="81.2.69.142", country="GB")

    remove_device(device=device)

    on_tv.refresh_from_db()
    assert (on_tv.ip, on_tv.city, on_tv.country) == (None, "", "")
    assert (on_tv.title, on_tv.started_at, on_tv.device_name) == (
        title,
        started_at,
        "Samsung Smart TV",
    )
    elsewhere.refresh_from_db()
    assert (elsewhere.ip, elsewhere.country) == ("81.2.69.142", "GB")
    browser = watch_as(profile)
    page = text(browser.get(URL))
    assert "94.63.200.8" not in page
    assert "Lisbon" not in page
    assert "Ward Nine" in text(browser.get(f"/profiles/{profile.public_id}/activity/"))


def test_removing_a_device_through_the_devices_page_erases_its_viewings_locations(
    profile, watch_as, kids_title
):
    tv = watch_as(profile, user_agent=SAMSUNG_TV, REMOTE_ADDR="81.2.69.142")
    tv.post(f"/watch/{kids_title.slug}/")
    laptop = reauthenticate(watch_as(profile))

    laptop.post(f"/account/devices/{device_of(tv).id}/remove/")

    viewing = Viewing.objects.get()
    assert (viewing.ip, viewing.country, viewing.device_name) == (None, "", "Samsung Smart TV")


def test_a_deleted_device_leaves_its_name_on_the_history(profile, watch_as):
    device = DeviceFactory(user=profile.user, name="PlayStation 5")
    ViewingFactory(profile=profile, device=device, device_name=device.name)

    device.delete()

    viewing = Viewing.objects.get()
    assert viewing.device is None
    assert "PlayStation 5" in text(watch_as(profile).get(URL))


def test_every_row_names_the_title_and_links_to_it(profile, watch_as):
    ViewingFactory(profile=profile, title=TitleFactory(name="Ward Nine", slug="ward-nine"))

    page = text(watch_as(profile).get(URL))

    assert '<td data-label="Title"><a href="/title/ward-nine/">Ward Nine</a></td>' in page


def test_the_profile_and_country_filters_work_as_plain_links_and_a_form(profile, watch_as):
    sam = ProfileFactory(user=profile.user, name="Sam")
    ViewingFactory(profile=profile, title=TitleFactory(name="Mine in London"), country="GB")
    ViewingFactory(profile=sam, title=TitleFactory(name="Sam in London"), country="GB")
    ViewingFactory(profile=sam, title=TitleFactory(name="Sam in Lisbon"), country="PT")
    browser = watch_as(profile)

    everything = text(browser.get(URL))
    only_sam = text(browser.get(URL, {"profile": str(sam.public_id)}))
    sam_in_portugal = text(browser.get(URL, {"profile": str(sam.public_id), "country": "pt"}))

    assert '<select name="profile" id="filter-profile">' in everything
    assert f'href="?profile={sam.public_id}"' in everything
    assert 'href="?country=PT"' in everything
    assert "Mine in London" not in only_sam
    assert "Sam in London" in only_sam
    assert "Sam in Lisbon" in only_sam
    assert "Showing profile <strong>Sam</strong> from <strong>Portugal</strong> only." in (
        sam_in_portugal
    )
    assert "Sam in London" not in sam_in_portugal
    assert "Sam in Lisbon" in sam_in_portugal


def test_the_pager_keeps_the_filters(profile, watch_as):
    make_viewings(profile, 60, titles=[TitleFactory()])
    browser = watch_as(profile)

    page = text(browser.get(URL, {"profile": str(profile.public_id)}))

    fiftieth = Viewing.objects.filter(profile=profile).order_by("-started_at", "-id")[49]
    older = f"?profile={profile.public_id}&before={fiftieth.public_id}"
    assert f'href="{older}">Older</a>' in page
    second = text(browser.get(URL + older))
    assert second.count("<tr>") == 11  # the header and the 10 older rows
    assert f'href="?profile={profile.public_id}">Back to the newest</a>' in second
    assert ">Older</a>" not in second


def test_an_older_page_of_another_accounts_viewing_is_not_found(profile, watch_as):
    theirs = ViewingFactory(profile=ProfileFactory(user=UserFactory()))

    assert watch_as(profile).get(URL, {"before": str(theirs.public_id)}).status_code == 404


@pytest.mark.parametrize(
    ("key", "value"), [("profile", "not-a-uuid"), ("country", "ZZ"), ("profile", None)]
)
def test_an_unknown_or_another_accounts_filter_is_not_found(profile, watch_as, key, value):
    theirs = ProfileFactory(user=UserFactory())
    value = value or str(theirs.public_id)

    assert watch_as(profile).get(URL, {key: value}).status_code == 404


def test_times_are_in_the_accounts_time_zone_and_say_which(profile, watch_as):
    started = timezone.now() - timedelta(hours=5)
    ViewingFactory(profile=profile, started_at=started)
    profile.user.time_zone = "America/New_York"
    profile.user.save()

    page = text(watch_as(profile).get(URL))

    from zoneinfo import ZoneInfo

    local = timezone.localtime(started, ZoneInfo("America/New_York"))
    assert local.strftime("%-d %b %Y, %H:%M") in page
    assert 'Date and time <span class="muted">(America/New_York)</span>' in page


def test_the_profile_filter_names_every_profile(profile, watch_as):
    ProfileFactory(user=profile.user, name="Sam")

    page = text(watch_as(profile).get(URL))

    select = page[
        page.index('id="filter-profile"') : page.index(
            "</select>", page.index('id="filter-profile"')
        )
    ]
    assert f'">{profile.name}</option>' in select
    assert '">Sam</option>' in select
    assert "></option>" not in select


def test_two_devices_of_the_same_name_are_told_apart_in_the_filter_and_the_rows(profile, watch_as):
    now = timezone.now()
    home = DeviceFactory(
        user=profile.user,
        name="Firefox on Linux",
        city="Leeds",
        country="GB",
        signed_in_at=now - timedelta(days=30),
    )
    stranger = DeviceFactory(
        user=profile.user,
        name="Firefox on Linux",
        city="London",
        country="GB",
        signed_in_at=now - timedelta(days=2),
    )
    DeviceFactory(user=profile.user, name="Kitchen iPad", given_name="Kitchen iPad")
    ViewingFactory(profile=profile, device=stranger, device_name=stranger.name)
    ViewingFactory(profile=profile, device=home, device_name=home.name)

    page = text(watch_as(profile).get(URL))

    def since(device) -> str:
        return f"since {timezone.localtime(device.signed_in_at).strftime('%-d %b')}"

    stranger_label = f"Firefox on Linux · London · {since(stranger)}"
    home_label = f"Firefox on Linux · Leeds · {since(home)}"
    assert f'<option value="{stranger.id}">{stranger_label}</option>' in page
    assert f'<option value="{home.id}">{home_label}</option>' in page
    assert ">Kitchen iPad</option>" in page  # a name the account holder gave, unique: alone
    assert f'title="Only this device">{stranger_label}</a>' in page
    assert f'title="Only this device">{home_label}</a>' in page

    filtered = text(watch_as(profile).get(URL, {"device": str(stranger.id)}))
    assert f"Showing <strong>{stranger_label}</strong> only." in filtered
