from __future__ import annotations

import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from accounts.management.lookup import account_for_email
from accounts.models import User

pytestmark = pytest.mark.django_db

UNKNOWN = "nobody@example.com"


def test_account_for_email_ignores_the_case_of_the_address(user):
    assert account_for_email(user.email.title()) == user
    assert list(User.objects.by_email(user.email.upper())) == [user]


def test_account_for_email_names_an_unknown_address(user):
    with pytest.raises(CommandError, match=f"^{re.escape(f'No account uses {UNKNOWN}.')}$"):
        account_for_email(UNKNOWN)


def test_disable_account_finds_a_mixed_case_address(user, sign_in):
    browser = sign_in(user)
    out = StringIO()

    call_command("disable_account", user.email.title(), stdout=out)

    assert "Disabled" in out.getvalue()
    user.refresh_from_db()
    assert not user.is_active
    assert browser.get("/account/").status_code == 302


def test_disable_account_refuses_an_unknown_address_and_changes_nothing(user):
    with pytest.raises(CommandError, match=f"^{re.escape(f'No account uses {UNKNOWN}.')}$"):
        call_command("disable_account", UNKNOWN, stdout=StringIO())

    user.refresh_from_db()
    assert user.is_active
