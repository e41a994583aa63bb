from __future__ import annotations

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from catalog.models import Genre, Rating, Title, Viewing
from tests import factories
from tests.factories import ProfileFactory


class DeviceFactory(factories.DeviceFactory):
    # The shared factory's keys have 42 characters: PostgreSQL refuses them (max_length=40).
    session_key = factory.Sequence(lambda n: f"catalog-session-{n:020d}")


class GenreFactory(DjangoModelFactory):
    class Meta:
        model = Genre
        django_get_or_create = ["slug"]

    slug = factory.Sequence(lambda n: f"genre-{n}")
    name = factory.Sequence(lambda n: f"Genre {n}")


class TitleFactory(DjangoModelFactory):
    class Meta:
        model = Title
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"title-{n}")
    name = factory.Sequence(lambda n: f"Title {n}")
    kind = Title.Kind.FILM
    year = 2020
    synopsis = "Something happens to someone somewhere."
    rating = Rating.PG_13
    runtime_minutes = 100

    @factory.post_generation
    def genres(self, create: bool, extracted, **kwargs) -> None:
        if create and extracted:
            self.genres.set(extracted)


class ViewingFactory(DjangoModelFactory):
    """A past viewing, stopped; playing ones come from catalog.services.playback_start."""

    class Meta:
        model = Viewing

    profile = factory.SubFactory(ProfileFactory)
    user = factory.SelfAttribute("profile.user")
    title = factory.SubFactory(TitleFactory)
    device_name = "Chrome on Windows"
    ip = "81.2.69.142"
    city = "London"
    country = "GB"
    started_at = factory.LazyFunction(timezone.now)
    last_heartbeat_at = factory.SelfAttribute("started_at")
    position_seconds = 600
    stopped_at = factory.SelfAttribute("started_at")
    stop_reason = Viewing.StopReason.STOPPED
