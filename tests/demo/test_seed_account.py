"""seed_demo: the demo account an operator prints and hands out."""

from __future__ import annotations

import re
from io import StringIO

from django.core.management import call_command

from accounts.models import User
from tests.client import Client


def seed_demo() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def printed_credentials(output: str) -> tuple[str, str]:
    email = re.search(r"Email:\s+(\S+)", output)
    password = re.search(r"Password:\s+(\S+)", output)
    assert email, output
    assert password, output
    return email[1], password[1]


def test_seed_demo_twice_makes_one_demo_account_with_four_profiles_one_for_kids(db):
    seed_demo()
    output = seed_demo()

    email, _password = printed_credentials(output)
    user = User.objects.get(email=email)
    assert User.objects.count() == 1
    assert user.profiles.count() == 4
    assert list(user.profiles.filter(is_kids=True).values_list("name", flat=True)) == ["Kids"]


def test_seed_demo_prints_the_email_and_password(db):
    output = seed_demo()

    email, password = printed_credentials(output)
    assert email == "demo@streamguard.example"
    assert password
    assert "Demo account ready." in output


def test_seed_demo_password_signs_in_on_the_sign_in_page(db):
    email, password = printed_credentials(seed_demo())

    browser = Client()
    response = browser.post("/login/", {"username": email, "password": password})

    assert response.status_code == 302
    assert response["Location"] == "/profiles/"
    page = browser.get("/profiles/").content.decode()
    for name in ["Alex", "Sam", "Jordan", "Kids"]:
        assert name in page


def test_seed_demo_restores_a_changed_demo_password(db):
    email, password = printed_credentials(seed_demo())
    user = User.objects.get(email=email)
    user.set_password("someone-changed-it-42")
    user.save()

    seed_demo()

    user.refresh_from_db()
    assert user.check_password(password)
    assert user.profiles.count() == 4


def test_seed_demo_leaves_other_accounts_alone(user):
    seed_demo()

    assert User.objects.count() == 2
    assert user.profiles.count() == 1
