"""Each device card answers "who is this?": what plays on it, where it is, who used it, its name."""

from __future__ import annotations

import html
import re
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.utils import timezone

from accounts.events import event_detail
from accounts.models import SecurityEvent
from catalog.models import Viewing
from devices.emails import not_me_token
from devices.events import DeviceEvent
from devices.models import Device
from tests.catalog.conftest import HTMX, device_of, make_viewings
from tests.catalog.factories import DeviceFactory, TitleFactory, ViewingFactory
from tests.client import Client
from tests.conftest import CHROME_WINDOWS, SAFARI_IPHONE
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

URL = "/account/devices/"


def text(response) -> str:
    return html.unescape(response.content.decode())


def words(markup: str) -> str:
    """What a person reads: the markup without its tags."""
    return re.sub(r"<[^>]+>", "", markup)


def _card(page: str, name: str) -> str:
    """The device card (or signed-out row) that starts with this name."""
    start = page.index(f">{name}")
    return page[start : start + 1500]


def _marks(user) -> dict[str, str]:
    return {d.name: d.country_mark for d in Device.objects.for_account(user).with_country_marks()}


def test_country_marks_home_new_and_abroad(user):
    now = timezone.now()
    DeviceFactory(user=user, name="Home laptop", country="GB", first_seen_at=now - timedelta(400))
    DeviceFactory(user=user, name="Home TV", country="GB", first_seen_at=now - timedelta(10))
    DeviceFactory(user=user, name="Lisbon phone", country="PT", first_seen_at=now)
    DeviceFactory(user=user, name="Paris phone", country="FR", first_seen_at=now)
    DeviceFactory(user=user, name="Paris tablet", country="FR", first_seen_at=now)
    DeviceFactory(user=user, name="Somewhere", country="", ip=None, first_seen_at=now)
    DeviceFactory(user=UserFactory(), country="PT")  # another account's: changes nothing

    assert _marks(user) == {
        "Home laptop": "",
        "Home TV": "",
        "Lisbon phone": "new",
        "Paris phone": "abroad",
        "Paris tablet": "abroad",
        "Somewhere": "",
    }


def test_an_account_with_one_device_has_no_country_mark(user):
    DeviceFactory(user=user, name="Only one", country="PT")

    assert _marks(user) == {"Only one": ""}


def test_the_card_of_a_device_from_a_new_country_says_so(user, sign_in):
    laptop = sign_in(user, REMOTE_ADDR="81.2.69.142")
    DeviceFactory(user=user, name="PlayStation 5", ip="2.80.0.1", country="PT", city="Lisbon")

    page = text(laptop.get(URL))

    assert "New country" in _card(page, "PlayStation 5")
    assert "New country" not in _card(page, "Chrome on Windows")


def test_the_card_says_what_is_playing_on_the_device_now(user, watch_as, kids_title):
    tv_browser = watch_as(user.profiles.get(), user_agent=SAFARI_IPHONE)
    tv_browser.post(f"/watch/{kids_title.slug}/")
    laptop = watch_as(user.profiles.get())
    stopped = DeviceFactory(user=user, name="Old iPad")
    ViewingFactory(profile=user.profiles.get(), device=stopped, title=TitleFactory(name="Over"))

    page = text(laptop.get(URL))

    assert "Now watching Captain Kettle" in _card(page, "Safari on iPhone")
    assert "Now watching" not in _card(page, "Old iPad")


def test_a_24_hour_sign_in_shows_when_it_ends(user, sign_in, settings):
    laptop = sign_in(user)
    ends = timezone.now() + timedelta(hours=20)
    DeviceFactory(user=user, name="Hotel TV", kind=Device.Kind.TV, expires_at=ends)
    user.time_zone = "Asia/Tokyo"
    user.save()

    page = text(laptop.get(URL))

    local = timezone.localtime(ends, timezone=ZoneInfo("Asia/Tokyo"))
    assert (
        f"Signed in for 24 hours only — ends at {local:%H:%M}, {local.day} {local:%b %Y}"
        in words(_card(page, "Hotel TV"))
    )
    assert "Asia/Tokyo" in page


def test_the_last_profile_used_on_a_device_is_on_its_card(user, watch_as):
    laptop = watch_as(user.profiles.get())

    assert f"Profile: {user.profiles.get().name}" in _card(
        text(laptop.get(URL)), "Chrome on Windows"
    )


def test_signed_out_devices_keep_ip_location_when_and_why(user, sign_in):
    laptop = sign_in(user)
    gone = DeviceFactory(
        user=user,
        name="Firefox on Mac",
        ip="2.80.0.1",
        city="Lisbon",
        country="PT",
        signed_out_at=timezone.now() - timedelta(days=89),
        signed_out_reason=Device.SignOutReason.REMOTE,
    )
    DeviceFactory(
        user=user,
        name="Ancient laptop",
        signed_out_at=timezone.now() - timedelta(days=91),
        signed_out_reason=Device.SignOutReason.REMOTE,
    )

    row = _card(text(laptop.get(URL)).split("Signed-out devices")[1], "Firefox on Mac")

    for expected in ["2.80.0.1", "Lisbon, Portugal", "Signed out remotely"]:
        assert expected in row
    assert f"{gone.signed_out_at:%H:%M}" in row
    assert "Ancient laptop" not in text(laptop.get(URL))


def test_rename_keeps_the_name_across_sign_ins_and_shows_it_everywhere(
    user, sign_in, watch_as, kids_title, django_capture_on_commit_callbacks
):
    phone = watch_as(user.profiles.get(), user_agent=SAFARI_IPHONE)
    phone.post(f"/watch/{kids_title.slug}/")
    device = device_of(phone)
    laptop = sign_in(user)

    response = laptop.post(f"{URL}{device.id}/rename/", {"name": "  Robin's phone  "})

    assert response.status_code == 302
    device.refresh_from_db()
    assert device.name == "Robin's phone"
    assert "Robin&#x27;s phone" in laptop.get(URL).content.decode()
    assert Viewing.objects.get().device_name == "Robin's phone"
    assert set(
        SecurityEvent.objects.filter(device=device).values_list("device_name", flat=True)
    ) == {"Robin's phone"}
    # The same browser signs out and in again: still Robin's phone, and one device.
    phone.post("/logout/")
    with django_capture_on_commit_callbacks(execute=True):
        phone.post("/login/", {"username": user.email, "password": PASSWORD})
    assert Device.objects.filter(user=user, name="Robin's phone").count() == 1
    assert "Robin's phone" in text(laptop.get("/account/streaming-activity/"))


@pytest.mark.parametrize(
    ("name", "message"),
    [("", "Give the device a name."), ("   ", "Give the device a name."), ("x" * 41, "at most 40")],
)
def test_a_bad_name_is_explained_and_changes_nothing(user, sign_in, name, message):
    laptop = sign_in(user)
    device = device_of(laptop)

    response = laptop.post(f"{URL}{device.id}/rename/", {"name": name})

    assert response.status_code == 400
    assert message in text(response)
    device.refresh_from_db()
    assert device.name == "Chrome on Windows"


def test_a_name_is_escaped_where_it_is_shown(user, sign_in):
    laptop = sign_in(user)
    device = device_of(laptop)

    laptop.post(f"{URL}{device.id}/rename/", {"name": "<script>x</script>"})

    for page in (laptop.get(URL), laptop.get("/account/security/")):
        assert "<script>x" not in page.content.decode()
        assert "&lt;script&gt;x" in page.content.decode()


def test_renaming_another_accounts_device_is_not_found(user, sign_in):
    theirs = DeviceFactory(user=UserFactory(), name="Theirs")

    laptop = sign_in(user)

    assert laptop.post(f"{URL}{theirs.id}/rename/", {"name": "Mine"}).status_code == 404
    assert laptop.get(f"{URL}{theirs.id}/rename/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.name == "Theirs"


def test_rename_needs_csrf_and_an_old_page_gets_the_friendly_csrf_page(user, sign_in):
    signed_in = sign_in(user)
    device = device_of(signed_in)
    laptop = Client(enforce_csrf_checks=True, headers={"user-agent": CHROME_WINDOWS})
    laptop.cookies = signed_in.cookies

    response = laptop.post(f"{URL}{device.id}/rename/", {"name": "Mine"})

    assert response.status_code == 403
    assert "This page is out of date — reload it" in text(response)
    assert 'href="/">Go to StreamGuard' in text(response)
    device.refresh_from_db()
    assert device.name == "Chrome on Windows"


def test_devices_page_queries_stay_constant_with_50_devices_and_10000_viewings(
    user, sign_in, django_assert_max_num_queries
):
    # The issue's own figures; inserting 10,000 rows is most of this test's few seconds.
    laptop = sign_in(user)
    profile = user.profiles.get()
    titles = [TitleFactory() for _ in range(10)]
    now = timezone.now()
    countries = ["GB", "PT", "FR", "ES", "DE"]
    devices = Device.objects.bulk_create(
        Device(
            user=user,
            name=f"Device {n}",
            country=countries[n % 5],
            first_seen_at=now - timedelta(days=n),
            session_key=f"bulk-{n:030d}",
            expires_at=now + timedelta(hours=3) if n % 7 == 0 else None,
            last_profile=profile,
        )
        for n in range(50)
    )
    for device in devices:
        make_viewings(profile, 200, titles=titles, device=device)
    Viewing.objects.filter(
        device__in=devices[:10], started_at__gte=now - timedelta(minutes=2)
    ).update(stopped_at=None, stop_reason="", last_heartbeat_at=now)
    assert Viewing.objects.count() == 10_000

    with django_assert_max_num_queries(8):
        page = text(laptop.get(URL))

    assert page.count('class="card device"') == 51
    assert page.count("Now watching") == 10
    assert "Abroad" in page
    assert page.count("Signed in for 24 hours only") == 8


def test_htmx_sign_out_is_announced_in_the_polite_live_region(user, sign_in):
    laptop = sign_in(user)
    sign_in(user, user_agent=SAFARI_IPHONE)
    phone = Device.objects.get(user=user, name="Safari on iPhone")

    fragment = laptop.post(f"{URL}{phone.id}/sign-out/", headers=HTMX).content.decode()
    page = laptop.get(URL).content.decode()

    # Said in the device card's place, in a polite live region (role="status") that takes
    # the focus, so it is read where the person is.
    assert (
        '<div class="card device-said" id="device-said" role="status" tabindex="-1" '
        'data-focus-here><p class="message message-success">Safari on iPhone was signed out.</p>'
    ) in fragment
    assert '<div id="live-status" class="live-status" role="status" aria-live="polite">' in page


def test_the_feedback_script_handles_failed_htmx_requests(client):
    from django.contrib.staticfiles import finders

    script = open(finders.find("js/feedback.js"), encoding="utf-8").read()  # noqa: SIM115

    for event in ("htmx:responseError", "htmx:sendError"):
        assert event in script
    assert "This page is out of date — reload it." in script
    assert 'src="/static/js/feedback.js"' in client.get("/login/").content.decode()


def test_sign_out_of_all_other_devices_suggests_changing_the_password(user, sign_in):
    laptop = sign_in(user)

    response = laptop.post(f"{URL}sign-out-all/", {"scope": "others"}, follow=True)

    page = text(response)
    assert "All other devices were signed out." in page
    assert 'href="/account/password/">Change your password too</a>' in page


def test_sign_out_of_all_devices_suggests_changing_the_password_on_the_sign_in_page(user, sign_in):
    laptop = sign_in(user)

    response = laptop.post(f"{URL}sign-out-all/", {"scope": "all"}, follow=True)

    page = text(response)
    assert "Every device was signed out." in page
    assert 'href="/password-reset/">Change your password too</a>' in page


def test_a_browser_signed_out_from_the_account_is_told_on_its_sign_in_page(user, sign_in):
    laptop = sign_in(user)
    phone = sign_in(user, user_agent=SAFARI_IPHONE)
    device = Device.objects.get(user=user, name="Safari on iPhone")
    laptop.post(f"{URL}{device.id}/sign-out/")

    response = phone.get("/account/devices/", follow=True)

    assert response.redirect_chain[-1][0].startswith("/login/")
    assert "You were signed out of this device from your account" in text(response)
    # Signing in again clears the mark.
    phone.post("/login/", {"username": user.email, "password": PASSWORD})
    phone.post("/logout/")
    assert "You were signed out of this device" not in text(phone.get("/login/"))


def test_a_browser_that_signed_itself_out_gets_no_such_notice(user, sign_in):
    phone = sign_in(user, user_agent=SAFARI_IPHONE)

    phone.post("/logout/")

    assert "You were signed out of this device" not in text(phone.get("/login/"))
    assert "You were signed out of this device" not in text(phone.get("/account/", follow=True))


@pytest.mark.parametrize(
    "reason", [Device.SignOutReason.REMOTE, Device.SignOutReason.EXPIRED, Device.SignOutReason.SELF]
)
def test_this_wasnt_me_disowns_a_device_whatever_its_state(
    user, sign_in, reason, django_capture_on_commit_callbacks
):
    sign_in(user)
    phone = sign_in(user, user_agent=SAFARI_IPHONE)
    device = Device.objects.get(user=user, name="Safari on iPhone")
    Device.objects.filter(pk=device.pk).update(
        signed_out_at=timezone.now(), signed_out_reason=reason
    )
    mail.outbox.clear()

    Client().post(f"/account/devices/not-me/{not_me_token(device)}/")

    device.refresh_from_db()
    assert device.signed_out_reason == Device.SignOutReason.NOT_ME
    reported = SecurityEvent.objects.filter(device=device, kind=DeviceEvent.DEVICE_SIGNED_OUT)
    assert "reported as not you" in [event_detail(event) for event in reported]
    # That browser signs in again: a new device, with the e-mail that says so.
    with django_capture_on_commit_callbacks(execute=True):
        phone.post("/login/", {"username": user.email, "password": PASSWORD})
    assert [m.subject for m in mail.outbox] == ["New sign-in on Safari on iPhone"]


def test_the_devices_page_and_the_sign_in_page_pages_name_the_time_zone(user, sign_in):
    user.time_zone = "Europe/Lisbon"
    user.save()

    assert "Europe/Lisbon" in text(sign_in(user).get(URL))
