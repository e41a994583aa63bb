from __future__ import annotations

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from accounts.models import Profile, SecurityEvent, User
from devices.models import Device

PASSWORD = "correct-horse-battery-staple"


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"viewer{n}@example.com")
    name = factory.Faker("first_name")
    # Most tests are about a settled account; tests of verification set None.
    email_verified_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def password(self, create: bool, extracted: str | None, **kwargs) -> None:
        self.set_password(extracted or PASSWORD)
        if create:
            self.save(update_fields=["password"])

    @factory.post_generation
    def with_profile(self, create: bool, extracted: bool | None, **kwargs) -> None:
        if create and extracted is not False:
            ProfileFactory(user=self, name=self.name)


class ProfileFactory(DjangoModelFactory):
    class Meta:
        model = Profile

    user = factory.SubFactory(UserFactory, with_profile=False)
    name = factory.Sequence(lambda n: f"Profile {n}")
    colour = Profile.Colour.BLUE


class DeviceFactory(DjangoModelFactory):
    class Meta:
        model = Device

    user = factory.SubFactory(UserFactory)
    kind = Device.Kind.COMPUTER
    name = "Chrome on Windows"
    ip = "81.2.69.142"
    country = "GB"
    session_key = factory.Sequence(lambda n: f"untracked-{n:030d}")
    signed_in_at = factory.LazyFunction(timezone.now)
    last_seen_at = factory.LazyFunction(timezone.now)


class SecurityEventFactory(DjangoModelFactory):
    class Meta:
        model = SecurityEvent

    user = factory.SubFactory(UserFactory)
    kind = SecurityEvent.Kind.SIGNED_IN
