from __future__ import annotations

import pytest

from accounts.models import SecurityEvent
from devices.events import DeviceEvent
from devices.models import Device
from tests.client import Client
from tests.conftest import SAFARI_IPHONE, admin_sign_in
from tests.factories import DeviceFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def support_agent() -> Client:
    agent = UserFactory(email="agent@streamguard.example", is_staff=True, is_superuser=True)
    return admin_sign_in(Client(), agent)


def test_support_signs_selected_devices_out_with_the_same_service(user, sign_in, support_agent):
    phone = sign_in(user, user_agent=SAFARI_IPHONE)
    device = Device.objects.get(user=user)

    response = support_agent.post(
        "/admin/devices/device/",
        {"action": "sign_out_selected", "_selected_action": [str(device.id)]},
        follow=True,
    )

    assert "Signed out 1 device(s)." in response.content.decode()
    assert phone.get("/account/").status_code == 302
    device.refresh_from_db()
    assert device.signed_out_reason == Device.SignOutReason.SUPPORT
    event = SecurityEvent.objects.get(user=user, kind=DeviceEvent.DEVICE_SIGNED_OUT)
    assert event.actor == "agent@streamguard.example"


def test_device_admin_filters_by_kind_and_signed_in_and_searches_by_email(user, support_agent):
    DeviceFactory(user=user, name="Living room TV", kind=Device.Kind.TV)
    DeviceFactory(user=UserFactory(email="someone@else.example"), name="Office PC")

    by_kind = support_agent.get("/admin/devices/device/?kind__exact=tv").content.decode()
    by_email = support_agent.get(f"/admin/devices/device/?q={user.email}").content.decode()
    signed_in = support_agent.get("/admin/devices/device/?signed_in=yes")

    assert "Living room TV" in by_kind
    assert "Office PC" not in by_kind
    assert "Living room TV" in by_email
    assert "Office PC" not in by_email
    assert signed_in.status_code == 200


def test_security_events_are_read_only_in_admin(user, support_agent):
    event = SecurityEvent.objects.create(user=user, kind=SecurityEvent.Kind.SIGNED_IN)

    assert support_agent.get("/admin/accounts/securityevent/add/").status_code == 403
    page = support_agent.get(f"/admin/accounts/securityevent/{event.pk}/change/")
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()


def test_device_admin_never_shows_the_session_key(user, sign_in, support_agent):
    sign_in(user)
    device = Device.objects.get(user=user)

    page = support_agent.get(f"/admin/devices/device/{device.id}/change/").content.decode()

    assert device.session_key not in page
