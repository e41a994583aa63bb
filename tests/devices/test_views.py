"""'Manage access and devices', its confirmations, and the security log page."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import SecurityEvent
from devices.emails import not_me_token
from devices.models import Device
from tests.client import Client
from tests.conftest import CHROME_WINDOWS, SAFARI_IPHONE, SAMSUNG_TV
from tests.factories import DeviceFactory, ProfileFactory, SecurityEventFactory

pytestmark = pytest.mark.django_db


def test_devices_page_lists_signed_in_devices_most_recent_first(user, sign_in):
    sign_in(user, user_agent=SAMSUNG_TV)
    laptop = sign_in(user, user_agent=CHROME_WINDOWS)

    response = laptop.get("/account/devices/")

    page = response.content.decode()
    assert "Manage access and devices" in page
    assert page.index("Chrome on Windows") < page.index("Samsung Smart TV")
    assert "This device" in page
    assert page.count("This device") == 1
    assert "Active now" in page
    assert "Sign out of all devices" in page


def test_devices_page_shows_location_ip_and_profile_last_used(user, sign_in):
    browser = sign_in(user, REMOTE_ADDR="81.2.69.142")
    profile = user.profiles.get()
    browser.post(f"/profiles/{profile.public_id}/pick/")

    page = browser.get("/account/devices/").content.decode()

    assert "United Kingdom" in page
    assert "81.2.69.142" in page
    assert f"Profile: {profile.name}" in page


def test_devices_page_runs_a_fixed_number_of_queries(user, sign_in, django_assert_max_num_queries):
    browser = sign_in(user)
    for n in range(40):
        DeviceFactory(user=user, last_profile=ProfileFactory(user=user) if n < 4 else None)
        DeviceFactory(user=user, signed_out_at=timezone.now(), signed_out_reason="remote")

    with django_assert_max_num_queries(6):
        response = browser.get("/account/devices/")

    assert response.content.decode().count("Remove device") >= 80


def test_devices_of_the_same_name_are_told_apart_on_the_devices_page(user, sign_in):
    browser = sign_in(user, user_agent=CHROME_WINDOWS)
    now = timezone.now()
    home = DeviceFactory(user=user, name="Firefox on Linux", city="Leeds", country="GB")
    stranger = DeviceFactory(
        user=user,
        name="Firefox on Linux",
        city="London",
        country="GB",
        signed_in_at=now - timedelta(days=2),
    )
    gone = DeviceFactory(
        user=user,
        name="Firefox on Linux",
        country="",
        signed_out_at=now,
        signed_out_reason="remote",
    )

    page = browser.get("/account/devices/").content.decode()

    def day(device: Device) -> str:
        return timezone.localtime(device.signed_in_at).strftime("%-d %b")

    stranger_label = f"Firefox on Linux · London · since {day(stranger)}"
    assert f'<h3 class="device-name">{stranger_label}' in page
    assert f'<h3 class="device-name">Firefox on Linux · Leeds · since {day(home)}' in page
    assert f'Sign out<span class="visually-hidden"> {stranger_label}</span>' in page
    assert f"Firefox on Linux · since {day(gone)}" in page.split("Signed-out devices")[1]
    assert '<h3 class="device-name">Chrome on Windows <span' in page  # no twin: the name alone

    response = browser.post(f"/account/devices/{stranger.id}/sign-out/", follow=True)
    assert f"{stranger_label} was signed out." in response.content.decode()


def test_htmx_sign_out_returns_only_the_device_list_fragment(user, sign_in):
    laptop = sign_in(user)
    sign_in(user, user_agent=SAFARI_IPHONE)
    phone = Device.objects.get(user=user, name="Safari on iPhone")

    response = laptop.post(f"/account/devices/{phone.id}/sign-out/", headers={"HX-Request": "true"})

    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="device-list">')
    assert "<html" not in html
    assert "HX-Request" in response["Vary"]
    signed_in_part = html.split("Signed-out devices")[0]
    # Its card is gone; the one mention left is the note said in the card's place.
    assert f'id="device-{phone.id}"' not in signed_in_part
    assert signed_in_part.count("Safari on iPhone") == 1
    assert (
        'role="status" tabindex="-1" data-focus-here>'
        '<p class="message message-success">Safari on iPhone was signed out.</p>'
    ) in signed_in_part
    assert "Signed out remotely" in html


def test_htmx_sign_out_says_so_where_the_card_stood(user, sign_in):
    laptop = sign_in(user)
    now = timezone.now()
    newer = DeviceFactory(user=user, name="Xbox", last_seen_at=now - timedelta(minutes=5))
    gone = DeviceFactory(user=user, name="Roku", last_seen_at=now - timedelta(minutes=10))
    older = DeviceFactory(user=user, name="Kindle", last_seen_at=now - timedelta(minutes=20))

    html = laptop.post(
        f"/account/devices/{gone.id}/sign-out/", headers={"HX-Request": "true"}
    ).content.decode()

    said = html.index("Roku was signed out.")
    assert html.index(f'id="device-{newer.id}"') < said < html.index(f'id="device-{older.id}"')


def test_devices_page_varies_on_htmx_header(user, sign_in):
    response = sign_in(user).get("/account/devices/")

    assert "HX-Request" in response["Vary"]


def test_sign_out_without_javascript_redirects_back_with_a_message(user, sign_in):
    laptop = sign_in(user)
    sign_in(user, user_agent=SAFARI_IPHONE)
    phone = Device.objects.get(user=user, name="Safari on iPhone")

    response = laptop.post(f"/account/devices/{phone.id}/sign-out/", follow=True)

    assert response.redirect_chain[-1][0] == "/account/devices/"
    assert "Safari on iPhone was signed out." in response.content.decode()


def test_signing_out_this_device_from_its_row_lands_on_sign_in(user, sign_in):
    laptop = sign_in(user)
    device = Device.objects.get(user=user)

    response = laptop.post(f"/account/devices/{device.id}/sign-out/")

    assert response["Location"] == "/login/"
    assert laptop.get("/account/").status_code == 302


def test_signed_out_devices_show_when_and_why(user, sign_in):
    browser = sign_in(user)
    DeviceFactory(user=user, name="Xbox", signed_out_at=timezone.now(), signed_out_reason="support")
    DeviceFactory(
        user=user,
        name="Ancient Phone",
        signed_out_at=timezone.now() - timedelta(days=120),
        signed_out_reason="remote",
    )

    page = browser.get("/account/devices/").content.decode()

    signed_out_part = page.split("Signed-out devices")[1]
    assert "Xbox" in signed_out_part
    assert "Signed out by support" in signed_out_part
    assert "Ancient Phone" not in page


@pytest.mark.parametrize(
    "url",
    [
        "/account/devices/{id}/sign-out/",
        "/account/devices/{id}/remove/",
    ],
)
def test_another_accounts_device_is_404_and_untouched(url, user, other_user, confirmed):
    browser = confirmed(user)
    theirs = DeviceFactory(user=other_user)

    response = browser.post(url.format(id=theirs.id))

    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.is_signed_in
    assert theirs.ip == "81.2.69.142"


@pytest.mark.parametrize(
    "url", ["/account/devices/not-a-uuid/sign-out/", "/account/devices/12345/remove/"]
)
def test_a_device_id_that_is_not_a_uuid_is_404(url, user, sign_in):
    assert sign_in(user).post(url).status_code == 404


def test_unknown_device_uuid_is_404(user, sign_in):
    response = sign_in(user).post(f"/account/devices/{uuid.uuid4()}/sign-out/")

    assert response.status_code == 404


@pytest.mark.parametrize("url", ["/account/devices/{id}/sign-out/"])
def test_get_on_a_sign_out_url_is_405(url, user, sign_in):
    browser = sign_in(user)
    device = Device.objects.get(user=user)

    assert browser.get(url.format(id=device.id)).status_code == 405
    assert browser.get("/logout/").status_code == 405
    device.refresh_from_db()
    assert device.is_signed_in


def test_missing_csrf_token_is_403_and_nothing_changes(user, password):
    browser = Client(enforce_csrf_checks=True, headers={"user-agent": SAFARI_IPHONE})
    login_page = browser.get("/login/")
    token = login_page.cookies["csrftoken"].value
    browser.post(
        "/login/", {"username": user.email, "password": password, "csrfmiddlewaretoken": token}
    )
    device = Device.objects.get(user=user)

    for url in (
        f"/account/devices/{device.id}/sign-out/",
        f"/account/devices/{device.id}/remove/",
        "/account/devices/sign-out-all/",
    ):
        assert browser.post(url).status_code == 403

    device.refresh_from_db()
    assert device.is_signed_in
    assert browser.get("/account/").status_code == 200


def test_remove_device_asks_first_and_warns_about_stolen_devices(user, confirmed):
    browser = confirmed(user)
    tv = DeviceFactory(user=user, name="Samsung Smart TV")

    page = browser.get(f"/account/devices/{tv.id}/remove/").content.decode()

    assert "Remove Samsung Smart TV?" in page
    assert "stolen" in page
    assert "Sign out" in page
    tv.refresh_from_db()
    assert tv.is_signed_in


def test_remove_device_signs_it_out_and_erases_its_addresses_everywhere(user, sign_in, confirmed):
    laptop = confirmed(user)
    phone = sign_in(user, user_agent=SAFARI_IPHONE, REMOTE_ADDR="81.2.69.142")
    device = Device.objects.get(user=user, name="Safari on iPhone")
    assert SecurityEvent.objects.filter(device=device, ip="81.2.69.142").exists()

    response = laptop.post(f"/account/devices/{device.id}/remove/", follow=True)

    assert "Safari on iPhone was removed" in response.content.decode()
    assert phone.get("/account/").status_code == 302
    device.refresh_from_db()
    assert (device.ip, device.city, device.country, device.user_agent) == (None, "", "", "")
    assert device.signed_out_reason == Device.SignOutReason.REMOVED
    assert not SecurityEvent.objects.filter(user=user, ip="81.2.69.142").exists()
    assert SecurityEvent.objects.filter(device=device, device_name="Safari on iPhone").exists()
    assert "81.2.69.142" not in laptop.get("/account/security/").content.decode()
    assert "81.2.69.142" not in laptop.get("/account/devices/").content.decode()


def test_sign_out_all_page_offers_both_choices(user, sign_in):
    page = sign_in(user).get("/account/devices/sign-out-all/").content.decode()

    assert "Sign out of all devices" in page
    assert "Sign out of all other devices" in page


def test_sign_out_all_is_logged_for_the_account_holder(user, sign_in):
    browser = sign_in(user)
    sign_in(user, user_agent=SAFARI_IPHONE)

    browser.post("/account/devices/sign-out-all/", {"scope": "others"})

    page = browser.get("/account/security/").content.decode()
    assert "Signed out of all devices" in page


def test_security_activity_lists_events_newest_first_and_paginates(user, sign_in):
    browser = sign_in(user)
    now = timezone.now()
    for n in range(30):
        SecurityEventFactory(
            user=user,
            kind=SecurityEvent.Kind.SIGN_IN_FAILED,
            created_at=now - timedelta(days=1, minutes=n),
            detail=f"attempt {n:02d}",
        )

    first = browser.get("/account/security/").content.decode()
    second = browser.get("/account/security/?page=2").content.decode()

    assert first.index("Signed in") < first.index("attempt 00") < first.index("attempt 01")
    assert "Page 1 of 2" in first
    assert "attempt 29" in second
    assert browser.get("/account/security/?page=999").status_code == 200
    assert browser.get("/account/security/?page=abc").status_code == 200


def test_security_activity_shows_only_this_accounts_events(user, other_user, sign_in):
    SecurityEventFactory(user=other_user, detail="someone-elses-event")

    page = sign_in(user).get("/account/security/").content.decode()

    assert "someone-elses-event" not in page


def test_security_activity_runs_a_fixed_number_of_queries(
    user, sign_in, django_assert_max_num_queries
):
    browser = sign_in(user)
    SecurityEventFactory.create_batch(60, user=user)

    with django_assert_max_num_queries(5):
        browser.get("/account/security/")


def test_not_me_link_shows_the_device_and_signs_it_out_on_post(user, sign_in):
    sign_in(user)
    phone = sign_in(user, user_agent=SAFARI_IPHONE)
    device = Device.objects.get(user=user, name="Safari on iPhone")
    stranger = Client()
    url = f"/account/devices/not-me/{not_me_token(device)}/"

    page = stranger.get(url).content.decode()
    assert "Safari on iPhone" in page
    assert device.is_signed_in

    response = stranger.post(url)

    # The next step takes the account back: "Secure my account".
    assert response["Location"] == "/account/checkup/secure/"
    assert phone.get("/account/").status_code == 302
    device.refresh_from_db()
    assert device.signed_out_reason == Device.SignOutReason.NOT_ME


def test_tampered_not_me_link_is_a_clear_page_and_signs_nothing_out(user, sign_in):
    phone = sign_in(user, user_agent=SAFARI_IPHONE)
    device = Device.objects.get(user=user)
    token = not_me_token(device)

    response = Client().post(f"/account/devices/not-me/{token[:-2]}xx/")

    assert response.status_code == 400
    assert "expired or is not valid" in response.content.decode()
    assert phone.get("/account/").status_code == 200


def test_expired_not_me_link_signs_nothing_out(user, sign_in):
    import time_machine

    phone = sign_in(user, user_agent=SAFARI_IPHONE)
    device = Device.objects.get(user=user)
    token = not_me_token(device)

    with time_machine.travel(timezone.now() + timedelta(days=7, minutes=1)):
        response = Client().post(f"/account/devices/not-me/{token}/")

    assert response.status_code == 400
    device.refresh_from_db()
    assert device.signed_out_at is None
    assert phone.get("/account/").status_code == 200


def test_not_me_for_a_device_already_signed_out_offers_only_the_next_step(user, sign_in):
    laptop = sign_in(user)
    device = DeviceFactory(
        user=user,
        name="Samsung Smart TV",
        ip=None,
        country="",
        signed_out_at=timezone.now(),
        signed_out_reason="remote",
    )
    url = f"/account/devices/not-me/{not_me_token(device)}/"

    page = Client().get(url).content.decode()

    assert "This device is already signed out." in page
    assert "Sign out this device" not in page
    assert "Secure my account</button>" in page
    assert "Near Unknown location" not in page

    response = laptop.post(url, follow=True)

    assert response.redirect_chain[0][0] == "/account/checkup/secure/"
    assert "Samsung Smart TV was already signed out. Now secure your account." in (
        response.content.decode()
    )
    device.refresh_from_db()
    assert device.signed_out_reason == Device.SignOutReason.NOT_ME
    assert laptop.get("/account/").status_code == 200
