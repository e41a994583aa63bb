"""What a support agent sees in the Django admin for accounts."""

from __future__ import annotations

import pytest

from accounts.models import SecurityEvent, User
from tests.client import Client
from tests.conftest import admin_sign_in
from tests.factories import PASSWORD, ProfileFactory, SecurityEventFactory


@pytest.fixture
def agent(db) -> Client:
    superuser = User.objects.create_superuser(
        email="agent@streamguard.example", password=PASSWORD, name="Agent"
    )
    return admin_sign_in(Client(), superuser)


def test_superuser_sees_the_user_list(agent, user, other_user):
    response = agent.get("/admin/accounts/user/")

    assert response.status_code == 200
    page = response.content.decode()
    assert user.email in page
    assert other_user.email in page


def test_user_change_page_shows_the_profiles_inline(agent, user):
    ProfileFactory(user=user, name="Juniper")
    ProfileFactory(user=user, name="Kestrel", is_kids=True)

    response = agent.get(f"/admin/accounts/user/{user.pk}/change/")

    assert response.status_code == 200
    page = response.content.decode()
    assert user.email in page
    for name in [user.name, "Juniper", "Kestrel"]:
        assert f'value="{name}"' in page


def test_user_search_by_email_finds_that_user_only(agent, user, other_user):
    response = agent.get("/admin/accounts/user/", {"q": user.email.upper()})

    assert response.status_code == 200
    page = response.content.decode()
    assert user.email in page
    assert other_user.email not in page


def test_user_add_page_asks_for_email_name_and_password(agent):
    response = agent.get("/admin/accounts/user/add/")

    assert response.status_code == 200
    page = response.content.decode()
    for field in ["email", "name", "password1", "password2"]:
        assert f'name="{field}"' in page


def test_security_events_can_be_read(agent, user):
    event = SecurityEventFactory(user=user, kind=SecurityEvent.Kind.PASSWORD_CHANGED)

    listing = agent.get("/admin/accounts/securityevent/")
    detail = agent.get(f"/admin/accounts/securityevent/{event.pk}/change/")

    assert listing.status_code == 200
    assert user.email in listing.content.decode()
    assert detail.status_code == 200
    assert "Password changed" in detail.content.decode()


def test_security_events_cannot_be_added(agent, user):
    page = agent.get("/admin/accounts/securityevent/add/")
    post = agent.post("/admin/accounts/securityevent/add/", {"user": user.pk, "kind": "signed_in"})

    assert page.status_code == 403
    assert post.status_code == 403
    assert not SecurityEvent.objects.filter(user=user).exists()


def test_security_events_cannot_be_changed_or_deleted(agent, user):
    event = SecurityEventFactory(user=user, kind=SecurityEvent.Kind.SIGNED_IN, detail="kept")

    change = agent.post(
        f"/admin/accounts/securityevent/{event.pk}/change/",
        {"user": user.pk, "kind": "signed_out", "detail": "rewritten"},
    )
    delete = agent.post(f"/admin/accounts/securityevent/{event.pk}/delete/", {"post": "yes"})

    assert change.status_code == 403
    assert delete.status_code == 403
    event.refresh_from_db()
    assert (event.kind, event.detail) == ("signed_in", "kept")


def test_a_non_staff_user_is_kept_out_of_the_admin(user, sign_in):
    response = sign_in(user).get("/admin/accounts/user/")

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_user_change_form_saves_a_new_name(agent, user):
    response = agent.post(
        f"/admin/accounts/user/{user.pk}/change/",
        {
            "email": user.email,
            "name": "Renamed by support",
            "is_active": "on",
            "profiles-TOTAL_FORMS": "0",
            "profiles-INITIAL_FORMS": "0",
            "profiles-MIN_NUM_FORMS": "0",
            "profiles-MAX_NUM_FORMS": "1000",
        },
    )

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.name == "Renamed by support"
    assert user.check_password(PASSWORD)
    assert user.profiles.count() == 1
