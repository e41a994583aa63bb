"""accounts.services and the querysets beside it, called as views and commands call them."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from accounts import services
from accounts.models import MAX_PROFILES, Profile, SecurityEvent, User
from tests.factories import PASSWORD, ProfileFactory, SecurityEventFactory, UserFactory


def test_account_create_makes_the_user_a_first_profile_and_a_log_entry(db):
    user = services.account_create(
        email="Robin@Example.COM", password="velvet-otter-marmalade", name="Robin"
    )

    assert user.email == "Robin@example.com"
    assert user.check_password("velvet-otter-marmalade")
    assert [(p.name, p.is_kids) for p in user.profiles.all()] == [("Robin", False)]
    assert list(user.security_events.values_list("kind", flat=True)) == ["signed_up"]


def test_account_create_cuts_a_long_name_to_fit_the_first_profile(db):
    user = services.account_create(email="long@example.com", password=PASSWORD, name="L" * 60)

    assert user.name == "L" * 60
    assert user.profiles.get().name == "L" * 30


def test_account_create_with_an_email_taken_in_another_case_saves_nothing(user):
    with pytest.raises(IntegrityError), transaction.atomic():
        services.account_create(email=user.email.upper(), password=PASSWORD, name="Copy")

    assert User.objects.count() == 1
    assert Profile.objects.count() == 1


def test_create_user_without_email_is_refused(db):
    with pytest.raises(ValueError, match="e-mail address is required"):
        User.objects.create_user(email="", password=PASSWORD)


def test_get_by_natural_key_ignores_case(user):
    assert User.objects.get_by_natural_key(user.email.upper()) == user


def test_create_superuser_is_staff_and_superuser(db):
    admin = User.objects.create_superuser(email="boss@example.com", password=PASSWORD, name="B")

    assert admin.is_staff
    assert admin.is_superuser
    assert admin.check_password(PASSWORD)


def test_profile_create_adds_a_profile_and_logs_it(user):
    profile = services.profile_create(user=user, name="Pip", colour="green", is_kids=True)

    assert (profile.user, profile.name, profile.colour, profile.is_kids) == (
        user,
        "Pip",
        "green",
        True,
    )
    event = user.security_events.get(kind=SecurityEvent.Kind.PROFILE_ADDED)
    assert event.detail == "Pip"


def test_profile_create_refuses_a_sixth_profile(user):
    ProfileFactory.create_batch(MAX_PROFILES - 1, user=user)

    with pytest.raises(ValidationError) as excinfo:
        services.profile_create(user=user, name="Sixth", colour="red", is_kids=False)

    assert excinfo.value.code == "profile_limit"
    assert "up to 5 profiles" in excinfo.value.messages[0]
    assert user.profiles.count() == MAX_PROFILES
    assert not user.security_events.filter(kind=SecurityEvent.Kind.PROFILE_ADDED).exists()


def test_profile_create_refuses_a_name_used_in_another_case(user):
    ProfileFactory(user=user, name="Juniper")

    with pytest.raises(ValidationError, match="already have a profile with this name"):
        services.profile_create(user=user, name="jUNIPER", colour="red", is_kids=False)

    assert user.profiles.count() == 2


def test_profile_create_refuses_an_unknown_colour(user):
    with pytest.raises(ValidationError):
        services.profile_create(user=user, name="Pip", colour="plaid", is_kids=False)

    assert not user.profiles.filter(name="Pip").exists()


def test_profile_limit_counts_only_this_accounts_profiles(user, other_user):
    ProfileFactory.create_batch(MAX_PROFILES - 1, user=other_user)

    services.profile_create(user=user, name="Second", colour="red", is_kids=False)

    assert user.profiles.count() == 2


def test_profile_update_renames_recolours_and_logs(user):
    profile = ProfileFactory(user=user, name="Pip", colour="blue")

    services.profile_update(profile=profile, name="Pippa", colour="teal", is_kids=True)

    profile.refresh_from_db()
    assert (profile.name, profile.colour, profile.is_kids) == ("Pippa", "teal", True)
    assert user.security_events.get(kind=SecurityEvent.Kind.PROFILE_CHANGED).detail == "Pippa"


def test_profile_update_may_keep_its_own_name_in_another_case(user):
    profile = ProfileFactory(user=user, name="Pip")

    services.profile_update(profile=profile, name="PIP", colour="blue", is_kids=False)

    profile.refresh_from_db()
    assert profile.name == "PIP"


def test_profile_delete_removes_the_profile_and_logs_it(user):
    profile = ProfileFactory(user=user, name="Pip")

    services.profile_delete(profile=profile)

    assert not Profile.objects.filter(pk=profile.pk).exists()
    assert user.security_events.get(kind=SecurityEvent.Kind.PROFILE_DELETED).detail == "Pip"


def test_profile_delete_keeps_the_last_profile(user):
    (profile,) = user.profiles.all()

    with pytest.raises(ValidationError) as excinfo:
        services.profile_delete(profile=profile)

    assert excinfo.value.code == "last_profile"
    assert Profile.objects.filter(pk=profile.pk).exists()


def test_security_event_log_cuts_a_long_detail_to_200_characters(user):
    event = services.security_event_log(
        user=user, kind=SecurityEvent.Kind.PROFILE_ADDED, detail="x" * 500
    )

    event.refresh_from_db()
    assert event.detail == "x" * 200


def test_security_events_read_newest_first_for_one_account(user, other_user):
    older = SecurityEventFactory(user=user, kind=SecurityEvent.Kind.SIGNED_IN)
    newer = SecurityEventFactory(user=user, kind=SecurityEvent.Kind.SIGNED_OUT)
    SecurityEventFactory(user=other_user)

    events = list(SecurityEvent.objects.for_account(user).newest_first())

    assert events == [newer, older]


def test_profiles_for_account_are_only_that_accounts(user, other_user):
    ProfileFactory(user=other_user, name="Theirs")

    assert [p.name for p in Profile.objects.for_account(user)] == [user.name]


def test_two_users_cannot_share_an_email_in_different_cases(user):
    with pytest.raises(IntegrityError), transaction.atomic():
        UserFactory(email=user.email.upper(), with_profile=False)
