from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from accounts.models import Profile
from catalog.models import Title, Viewing
from devices.models import Device
from tests.client import Client

HTMX = {"HX-Request": "true"}


def device_of(browser: Client) -> Device:
    """The Device row of a signed-in test browser."""
    from devices.sessions import SESSION_DEVICE_KEY

    return Device.objects.get(id=browser.session[SESSION_DEVICE_KEY]["id"])


def make_viewings(
    profile: Profile, count: int, *, titles: list[Title], device: Device | None = None
) -> list[Viewing]:
    """count past viewings of the profile, one a minute back from now, in one INSERT batch."""
    now = timezone.now()
    return Viewing.objects.bulk_create(
        (
            Viewing(
                user=profile.user,
                profile=profile,
                title=titles[n % len(titles)],
                device=device,
                device_name=device.name if device else "Chrome on Windows",
                ip="81.2.69.142",
                city="London",
                country="GB",
                started_at=now - timedelta(minutes=n + 1),
                last_heartbeat_at=now - timedelta(minutes=n + 1),
                position_seconds=60,
                stopped_at=now - timedelta(minutes=n + 1),
                stop_reason=Viewing.StopReason.STOPPED,
            )
            for n in range(count)
        ),
        batch_size=500,
    )
