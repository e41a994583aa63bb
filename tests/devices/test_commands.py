from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from devices.models import Device
from tests.conftest import SAFARI_IPHONE, SAMSUNG_TV
from tests.factories import DeviceFactory

pytestmark = pytest.mark.django_db


def _run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_signout_all_signs_every_device_out(user, sign_in):
    laptop = sign_in(user)
    tv = sign_in(user, user_agent=SAMSUNG_TV)

    output = _run("signout_all", user.email.upper())

    assert "Signed out 2 device(s)" in output
    assert laptop.get("/account/").status_code == 302
    assert tv.get("/account/").status_code == 302


def test_signout_all_can_keep_one_device(user, sign_in):
    laptop = sign_in(user)
    phone = sign_in(user, user_agent=SAFARI_IPHONE)
    keep = Device.objects.get(user=user, name="Safari on iPhone")

    output = _run("signout_all", user.email, "--keep-device", str(keep.id))

    assert "kept Safari on iPhone" in output
    assert phone.get("/account/").status_code == 200
    assert laptop.get("/account/").status_code == 302


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["nobody@example.com"], "No account uses"),
        (["{email}", "--keep-device", "not-a-uuid"], "is not a device id"),
        (["{email}", "--keep-device", "00000000-0000-0000-0000-000000000000"], "has no device"),
    ],
)
def test_signout_all_refuses_bad_input_and_changes_nothing(args, message, user, sign_in):
    laptop = sign_in(user)

    with pytest.raises(CommandError, match=message):
        _run("signout_all", *[a.format(email=user.email) for a in args])

    assert laptop.get("/account/").status_code == 200


def test_devices_prints_a_table(user, sign_in):
    sign_in(user, user_agent=SAMSUNG_TV)

    output = _run("devices", user.email)

    header, row = output.splitlines()[:2]
    assert header.split()[:3] == ["ID", "KIND", "NAME"]
    assert "Samsung Smart TV" in row
    assert "signed in" in row


def test_devices_finds_a_mixed_case_address(user, sign_in):
    sign_in(user, user_agent=SAMSUNG_TV)

    output = _run("devices", user.email.title())

    assert "Samsung Smart TV" in output.splitlines()[1]


@pytest.mark.parametrize("command", ["devices", "signout_all"])
def test_commands_name_an_unknown_address_the_same_way(command, user):
    with pytest.raises(CommandError, match=r"^No account uses nobody@example\.com\.$"):
        _run(command, "nobody@example.com")


def test_prune_devices_marks_expired_and_deletes_old_signed_out(user, settings):
    now = timezone.now()
    stale = DeviceFactory(
        user=user, last_seen_at=now - timedelta(days=settings.SESSION_IDLE_DAYS + 1)
    )
    old = DeviceFactory(
        user=user, signed_out_at=now - timedelta(days=100), signed_out_reason="remote"
    )
    recent = DeviceFactory(
        user=user, signed_out_at=now - timedelta(days=5), signed_out_reason="remote"
    )
    live = DeviceFactory(user=user)

    output = _run("prune_devices", "--days", "90", "--batch-size", "1")

    assert "Marked 1 expired device(s); deleted 1 old device(s) and 0 spent app code(s)" in output
    stale.refresh_from_db()
    assert stale.signed_out_reason == Device.SignOutReason.EXPIRED
    assert not Device.objects.filter(pk=old.pk).exists()
    assert Device.objects.filter(pk__in=[recent.pk, live.pk]).count() == 2


def test_prune_devices_deletes_spent_tv_codes(user):
    from devices.models import PairingCode

    now = timezone.now()
    old = PairingCode.objects.create(
        user_code="BCDFGHJK", secret_hash="a" * 64, expires_at=now - timedelta(days=2), kind="tv"
    )
    fresh = PairingCode.objects.create(
        user_code="BCDFGHJL", secret_hash="b" * 64, expires_at=now + timedelta(minutes=5), kind="tv"
    )

    _run("prune_devices")

    assert not PairingCode.objects.filter(pk=old.pk).exists()
    assert PairingCode.objects.filter(pk=fresh.pk).exists()
