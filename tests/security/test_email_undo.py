"""For 7 days the old address's "This wasn't me" undoes a confirmed e-mail change: the old
address signs in again, every device is signed out, and the link to set a new password goes
to the restored address, never to the one that took the account."""

from __future__ import annotations

import time

import pytest
import time_machine
from django.core import mail

from accounts.events import event_description
from accounts.models import SecurityEvent
from devices.models import Device
from security.events import SecurityFlowEvent
from tests.accounts.email_helpers import link_in, request_change
from tests.client import Client
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

THIEF = "thief@example.com"


@pytest.fixture
def moved(user, confirmed, sign_in, django_capture_on_commit_callbacks):
    """The account moved to the thief's address, confirmed from there; two browsers in."""
    browsers = [confirmed(user), sign_in(user)]
    request_change(browsers[0], THIEF, django_capture_on_commit_callbacks)
    confirm = link_in(next(m for m in mail.outbox if m.to == [THIEF]), "/email/change/")
    with django_capture_on_commit_callbacks(execute=True):
        Client().post(confirm)
    user.refresh_from_db()
    assert user.email == THIEF
    return browsers


def _old_address_links(old: str) -> tuple[str, str]:
    notice = next(m for m in mail.outbox if m.to == [old] and "being changed" in m.subject)
    changed = next(m for m in mail.outbox if m.to == [old] and "was changed" in m.subject)
    return link_in(notice, "/email/not-me/"), link_in(changed, "/email/not-me/")


def test_the_old_address_undoes_a_confirmed_change_and_gets_the_reset_link(
    user, moved, django_capture_on_commit_callbacks
):
    old = user.email_changes.get().old_email
    _notice_link, undo = _old_address_links(old)
    mail.outbox.clear()

    page = Client().get(undo).content.decode()
    assert "Undo the change and sign out everywhere" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = Client().post(undo)

    assert response.status_code == 200
    assert "Your address is back" in response.content.decode()
    user.refresh_from_db()
    assert user.email == old
    assert user.email_change_locked
    for browser in moved:
        assert browser.get("/account/").status_code == 302
    assert not Device.objects.for_account(user).signed_in().exists()
    (event,) = SecurityEvent.objects.filter(user=user, kind=SecurityFlowEvent.EMAIL_CHANGE_UNDONE)
    assert event_description(event) == (
        f"E-mail change undone (back to {old}, every device signed out)"
    )
    (reset,) = mail.outbox
    assert reset.to == [old]
    assert reset.subject == "Reset your StreamGuard password"
    # The link sets a new password, which unlocks e-mail changes again.
    link = link_in(reset, "/password-reset/")
    form = Client()
    page = form.get(link, follow=True)
    new = "a-brand-new-passphrase-42"
    done = form.post(page.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password(new)
    assert not user.email_change_locked
    # The thief's address signs in no more.
    thief = Client().post("/login/", {"username": THIEF, "password": PASSWORD})
    assert thief.status_code == 200


def test_the_notice_sent_before_confirmation_undoes_it_too(user, moved):
    old = user.email_changes.get().old_email
    notice_link, _undo = _old_address_links(old)

    assert Client().post(notice_link).status_code == 200

    user.refresh_from_db()
    assert user.email == old


def test_once_undone_the_link_is_spent(user, moved):
    _notice, undo = _old_address_links(user.email_changes.get().old_email)
    Client().post(undo)

    response = Client().post(undo)

    assert response.status_code == 400
    assert "already used or has expired" in response.content.decode()


def test_after_seven_days_the_change_stays(user, moved):
    _notice, undo = _old_address_links(user.email_changes.get().old_email)

    with time_machine.travel(time.time() + 7 * 24 * 3600 + 60):
        response = Client().post(undo)

    assert response.status_code == 400
    user.refresh_from_db()
    assert user.email == THIEF


def test_an_old_address_taken_since_by_another_account_is_not_given_back(user, moved):
    old = user.email_changes.get().old_email
    _notice, undo = _old_address_links(old)
    UserFactory(email=old)

    response = Client().post(undo)

    assert response.status_code == 400
    assert "belongs to another account" in response.content.decode()
    user.refresh_from_db()
    assert user.email == THIEF


def test_while_the_change_can_be_undone_a_reset_goes_to_both_addresses(
    user, moved, django_capture_on_commit_callbacks
):
    old = user.email_changes.get().old_email
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        Client().post("/password-reset/", {"email": THIEF})

    assert sorted(m.to[0] for m in mail.outbox) == sorted([THIEF, old])
    assert {m.subject for m in mail.outbox} == {"Reset your StreamGuard password"}
    mail.outbox.clear()
    with time_machine.travel(time.time() + 7 * 24 * 3600 + 60):
        Client().post("/password-reset/", {"email": THIEF})
    assert [m.to for m in mail.outbox] == [[THIEF]]
