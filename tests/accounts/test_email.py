"""E-mail verification on sign-up, and changing the sign-in address through both links."""

from __future__ import annotations

import re
import time

import pytest
import time_machine
from django.core import mail

from accounts.models import EmailChange, SecurityEvent, User
from devices.models import Device
from tests.accounts.email_helpers import link_in, request_change
from tests.client import Client
from tests.factories import PASSWORD, UserFactory


def signup(client: Client, email: str, *, capture) -> object:
    with capture(execute=True):
        return client.post(
            "/signup/", {"name": "Robin", "email": email, "password": "velvet-otter-marmalade"}
        )


# Verification on sign-up


def test_sign_up_sends_a_verification_link_and_the_banner_shows_until_it_is_used(
    client, db, django_capture_on_commit_callbacks
):
    signup(client, "robin@example.com", capture=django_capture_on_commit_callbacks)
    user = User.objects.get()
    assert user.email_verified_at is None
    assert mail.outbox[-1].to == ["robin@example.com"]
    link = link_in(mail.outbox[-1], "/email/verify/")
    client.post("/login/", {"username": user.email, "password": "velvet-otter-marmalade"})
    assert "Verify your e-mail address" in client.get("/account/").content.decode()

    assert "Verify e-mail address" in client.get(link).content.decode()  # GET changes nothing
    user.refresh_from_db()
    assert user.email_verified_at is None
    response = client.post(link, follow=True)

    user.refresh_from_db()
    assert user.email_verified_at is not None
    assert "E-mail address verified." in response.content.decode()
    assert "Verify your e-mail address" not in client.get("/account/").content.decode()
    assert SecurityEvent.objects.filter(user=user, kind="email_verified").exists()
    # Used twice: a clear message.
    assert client.get(link).status_code == 400
    assert "already used" in client.post(link).content.decode()


def test_a_verification_link_older_than_24_hours_is_refused(
    client, db, django_capture_on_commit_callbacks
):
    signup(client, "robin@example.com", capture=django_capture_on_commit_callbacks)
    link = link_in(mail.outbox[-1], "/email/verify/")

    with time_machine.travel(time.time() + 25 * 3600):
        response = client.post(link)

    assert response.status_code == 400
    assert User.objects.get().email_verified_at is None


@pytest.mark.parametrize("token", ["nonsense", "a" * 300, "eyJ1IjoxfQ:1abc:def"])
def test_a_forged_verification_link_is_a_clear_400(client, db, token):
    response = client.post(f"/email/verify/{token}/")

    assert response.status_code == 400
    assert "This link does not work" in response.content.decode()


def test_sign_up_with_an_address_in_use_looks_the_same_and_emails_the_owner(
    client, user, django_capture_on_commit_callbacks
):
    new = signup(Client(), "someone-new@example.com", capture=django_capture_on_commit_callbacks)
    mail.outbox.clear()

    taken = signup(client, user.email.upper(), capture=django_capture_on_commit_callbacks)

    def page(response) -> str:
        tokens = r"value=\"[^\"]+\"|\"X-CSRFToken\": \"\w+\"|[\w.+-]+@example\.com"
        return re.sub(tokens, "", response.content.decode())

    assert taken.status_code == new.status_code == 200
    assert page(taken) == page(new)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [user.email]
    assert "already has one" in mail.outbox[0].body
    assert User.objects.filter(email__iexact=user.email).count() == 1
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_security_alerts_say_the_address_is_not_verified(
    db, sign_in, django_capture_on_commit_callbacks
):
    user = UserFactory(email_verified_at=None)
    sign_in(user)
    with django_capture_on_commit_callbacks(execute=True):
        sign_in(user, user_agent="Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X)")

    assert "not verified yet" in mail.outbox[-1].body


def test_resending_the_verification_link(db, sign_in, django_capture_on_commit_callbacks):
    user = UserFactory(email_verified_at=None)
    browser = sign_in(user)

    with django_capture_on_commit_callbacks(execute=True):
        response = browser.post("/account/email/verify/", follow=True)

    assert f"We sent a new link to {user.email}" in response.content.decode()
    assert "/email/verify/" in mail.outbox[-1].body


# Changing the address


def test_change_email_needs_the_password_gate(user, sign_in):
    response = sign_in(user).post("/account/email/", {"email": "new@example.com"})

    assert response["Location"].startswith("/account/confirm-password/")
    assert not EmailChange.objects.exists()


def test_change_email_takes_effect_only_when_the_new_address_confirms(
    user, confirmed, django_capture_on_commit_callbacks
):
    old = user.email
    browser = confirmed(user)

    response = request_change(browser, "new@example.com", django_capture_on_commit_callbacks)

    assert "We sent a link to" in response.content.decode()
    to_new = next(m for m in mail.outbox if m.to == ["new@example.com"])
    to_old = next(m for m in mail.outbox if m.to == [old])
    assert "If this wasn't you, tap this link" in to_old.body
    user.refresh_from_db()
    assert user.email == old
    link = link_in(to_new, "/email/change/")

    anonymous = Client()
    assert "Confirm new e-mail address" in anonymous.get(link).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        anonymous.post(link)

    user.refresh_from_db()
    assert user.email == "new@example.com"
    assert user.email_verified_at is not None
    assert mail.outbox[-1].to == [old]
    assert "is now new@example.com" in mail.outbox[-1].body
    kinds = set(SecurityEvent.objects.filter(user=user).values_list("kind", flat=True))
    assert {"email_change_requested", "email_changed"} <= kinds
    assert (
        Client().post("/login/", {"username": "new@example.com", "password": PASSWORD})["Location"]
        == "/profiles/"
    )
    # Single use.
    response = anonymous.post(link)
    assert response.status_code == 400
    assert "already used or has expired" in response.content.decode()


def test_a_change_link_older_than_24_hours_changes_nothing(
    user, confirmed, django_capture_on_commit_callbacks
):
    request_change(confirmed(user), "new@example.com", django_capture_on_commit_callbacks)
    link = link_in(next(m for m in mail.outbox if m.to == ["new@example.com"]), "/email/change/")

    with time_machine.travel(time.time() + 25 * 3600):
        response = Client().post(link)

    assert response.status_code == 400
    user.refresh_from_db()
    assert user.email != "new@example.com"


def test_this_wasnt_me_stops_the_change_signs_everything_out_and_locks_changes(
    user, confirmed, sign_in, django_capture_on_commit_callbacks
):
    browser = confirmed(user)
    other = sign_in(user)
    old = user.email
    request_change(browser, "thief@example.com", django_capture_on_commit_callbacks)
    confirm_link = link_in(
        next(m for m in mail.outbox if m.to == ["thief@example.com"]), "/email/change/"
    )
    notice = next(m for m in mail.outbox if m.to == [old] and "being changed" in m.subject)
    not_me = link_in(notice, "/email/not-me/")

    response = Client().post(not_me)

    assert response["Location"] == "/password-reset/"
    for client in (browser, other):
        assert client.get("/account/").status_code == 302
    assert not Device.objects.filter(user=user, signed_out_at=None).exists()
    assert Client().post(confirm_link).status_code == 400
    user.refresh_from_db()
    assert user.email == old
    assert user.email_change_locked
    assert SecurityEvent.objects.filter(user=user, kind="email_change_reported").exists()
    # Locked until a new password.
    again = confirmed(user)
    assert again.post("/account/email/", {"email": "x@example.com"}).status_code == 403
    again.post(
        "/account/password/",
        {
            "old_password": PASSWORD,
            "new_password1": "a-brand-new-passphrase",
            "new_password2": "a-brand-new-passphrase",
        },
    )
    user.refresh_from_db()
    assert not user.email_change_locked


def test_changing_to_an_address_with_an_account_emails_that_owner_and_confirms_nothing(
    user, other_user, confirmed, django_capture_on_commit_callbacks
):
    response = request_change(confirmed(user), other_user.email, django_capture_on_commit_callbacks)

    assert "We sent a link to" in response.content.decode()
    to_owner = next(m for m in mail.outbox if m.to == [other_user.email])
    assert "/email/change/" not in to_owner.body
    user.refresh_from_db()
    assert user.email != other_user.email


@pytest.mark.parametrize(
    ("email", "message"),
    [("not-an-address", "Enter a valid email address."), ("", "This field is required.")],
)
def test_change_email_bad_input_gets_a_message(user, confirmed, email, message):
    response = confirmed(user).post("/account/email/", {"email": email})

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not EmailChange.objects.exists()


def test_change_email_to_the_same_address_is_refused(user, confirmed):
    response = confirmed(user).post("/account/email/", {"email": user.email.upper()})

    assert "That is already your e-mail address." in response.content.decode()


def test_a_confirm_token_does_not_work_as_a_not_me_token(
    user, confirmed, django_capture_on_commit_callbacks
):
    request_change(confirmed(user), "new@example.com", django_capture_on_commit_callbacks)
    link = link_in(next(m for m in mail.outbox if m.to == ["new@example.com"]), "/email/change/")
    token = link.rstrip("/").rsplit("/", 1)[1]

    assert Client().post(f"/email/not-me/{token}/").status_code == 400
    user.refresh_from_db()
    assert not user.email_change_locked


def test_verifying_from_another_browser_asks_no_sign_in_and_keeps_this_one_signed_in(
    client, db, django_capture_on_commit_callbacks
):
    signup(client, "robin@example.com", capture=django_capture_on_commit_callbacks)
    link = link_in(mail.outbox[-1], "/email/verify/")
    laptop = client
    laptop.post("/login/", {"username": "robin@example.com", "password": "velvet-otter-marmalade"})
    assert laptop.get("/account/").status_code == 200
    phone = Client()  # the mail app's browser: nobody signed in there

    response = phone.post(link)

    assert response.status_code == 200
    assert "E-mail address verified." in response.content.decode()
    assert "/login/" not in response.get("Location", "")
    assert User.objects.get().email_verified_at is not None
    account = laptop.get("/account/")
    assert account.status_code == 200
    assert "Verify your e-mail address" not in account.content.decode()
