""" "This wasn't me" from the new-sign-in e-mail signs that device out and leads on to
"Secure my account"."""

from __future__ import annotations

import re

import pytest
from django.core import mail

from devices.emails import not_me_token
from devices.models import Device
from tests.client import Client
from tests.conftest import SAFARI_IPHONE
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

NEW = "a-brand-new-passphrase-42"


def _not_me_link(message) -> str:
    return re.search(r"https?://[^\s]+(/account/devices/not-me/[^\s]+/)", message.body).group(1)


def test_the_new_sign_in_e_mail_leads_through_this_wasnt_me_to_a_secured_account(user, sign_in):
    laptop = sign_in(user)
    stranger = sign_in(user, user_agent=SAFARI_IPHONE, REMOTE_ADDR="81.2.69.142")
    (notice,) = [m for m in mail.outbox if "New sign-in" in m.subject]
    assert "/account/checkup/" in notice.body
    link = _not_me_link(notice)

    response = laptop.post(link)

    assert response["Location"] == "/account/checkup/secure/"
    phone = Device.objects.get(user=user, name__contains="iPhone")
    assert phone.signed_out_reason == Device.SignOutReason.NOT_ME
    assert stranger.get("/account/").status_code == 302
    gate = laptop.get(response["Location"])
    assert gate["Location"].startswith("/account/confirm-password/")
    assert "secure_account" in gate["Location"]
    confirmed = laptop.post(gate["Location"], {"password": PASSWORD})
    assert confirmed["Location"] == "/account/checkup/secure/"
    done = laptop.post(confirmed["Location"], {"new_password1": NEW, "new_password2": NEW})
    assert done["Location"] == "/account/checkup/secure/two-step/"
    user.refresh_from_db()
    assert user.check_password(NEW)


def test_from_a_browser_not_signed_in_the_next_step_asks_to_sign_in_first(user, sign_in):
    sign_in(user)
    device = Device.objects.get(user=user)
    browser = Client()
    response = browser.post(f"/account/devices/not-me/{not_me_token(device)}/")

    assert response["Location"] == "/account/checkup/secure/"
    assert browser.get(response["Location"])["Location"].startswith("/login/")
