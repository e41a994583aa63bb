from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from accounts.models import Profile, User
from catalog.models import Genre, Rating, Title, Viewing
from devices.models import Device
from tests.factories import ProfileFactory

from .factories import GenreFactory, TitleFactory

HTMX = {"HX-Request": "true"}


@pytest.fixture
def profile(user: User) -> Profile:
    """The adult profile every factory-made account starts with."""
    return user.profiles.get()


@pytest.fixture
def kids_profile(user: User) -> Profile:
    return ProfileFactory(user=user, name="Kids", is_kids=True)


@pytest.fixture
def comedy() -> Genre:
    return GenreFactory(slug="comedy", name="Comedy")


@pytest.fixture
def kids_title(comedy: Genre) -> Title:
    return TitleFactory(
        slug="captain-kettle", name="Captain Kettle", rating=Rating.G, genres=[comedy]
    )


@pytest.fixture
def adult_title(comedy: Genre) -> Title:
    return TitleFactory(
        slug="blood-orange", name="Blood Orange", rating=Rating.NC_17, genres=[comedy]
    )


@pytest.fixture
def watch_as(sign_in) -> Callable[..., Client]:
    """A new browser signed into the profile's account with that profile picked."""

    def _watch_as(profile: Profile, **kwargs) -> Client:
        browser = sign_in(profile.user, **kwargs)
        response = browser.post(f"/profiles/{profile.public_id}/pick/")
        assert response.status_code == 302, response.content
        return browser

    return _watch_as


def device_of(browser: Client) -> Device:
    """The Device row of a signed-in test browser."""
    from devices.services import SESSION_DEVICE_KEY

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
