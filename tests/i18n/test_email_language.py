"""Every e-mail is worded in the account's language, whoever sends it and whatever language
the sender runs in (a request in another language, the admin, a command, background work)."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.test import RequestFactory
from django.utils import translation
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from accounts import emails
from accounts.models import EmailChange, User
from accounts.origin import Origin
from devices import emails as device_emails
from mfa import services as mfa_services
from parental import services as parental_services
from privacy import services as privacy_services
from security import services as security_services
from tests.client import Client
from tests.conftest import admin_sign_in
from tests.factories import PASSWORD, DeviceFactory, UserFactory

# The product's own English words: none may be left in a Spanish e-mail (links aside).
ENGLISH = [
    "Hi ",
    "Sign in",
    "sign in",
    "Sign out",
    "signed out",
    "signed in",
    "Password",
    "password",
    "Device",
    "device",
    "Account",
    "account",
    "PIN entry",
    "changed",
    "Security",
    "security",
    "e-mail",
    "address",
    "If you did not",
    "If this wasn't",
    "Parental controls",
    "wrong PIN",
    "profile",
    "passkey",
    "Two-step",
    "Someone",
    "link",
    " at ",
    " the ",
]
LINK = re.compile(r"https?://\S+")


def english_left(message: mail.EmailMessage) -> list[str]:
    text = LINK.sub("", f"{message.subject}\n{message.body}")
    return [word for word in ENGLISH if word in text]


@pytest.fixture
def spanish(db) -> User:
    return UserFactory(language="es", name="Lucía", time_zone="Europe/Madrid")


@pytest.fixture
def english(db) -> User:
    return UserFactory(language="en", name="Sam", time_zone="Europe/London")


# Where a parental change came from: an address, no device or profile.
ORIGIN = Origin(ip="81.2.69.142")


def _request(user: User | None = None):
    request = RequestFactory().post("/", REMOTE_ADDR="81.2.69.142")
    request.user = user or AnonymousUser()
    request.session = {}
    return request


def _change(user: User) -> EmailChange:
    return EmailChange.objects.create(
        user=user, old_email=user.email, new_email="nueva@example.com"
    )


def _passkey(user: User) -> WebAuthnCredential:
    return WebAuthnCredential.objects.create(
        user=user, name="Móvil", credential_id=b"x" * 16, public_key=b"k", confirmed=True
    )


SENDERS: dict[str, Callable[[User], None]] = {
    "verify": lambda user: emails.verification_send(user=user),
    "signup_existing": lambda user: emails.signup_existing_send(user=user),
    "change_confirm": lambda user: emails.change_confirm_send(change=_change(user)),
    "change_taken": lambda user: emails.change_taken_send(
        change=_change(UserFactory()), owner=user
    ),
    "change_notice": lambda user: emails.change_notice_send(change=_change(user)),
    "changed": lambda user: emails.changed_send(change=_change(user)),
    "two_step_on": lambda user: mfa_services.two_step_enable(
        user=user, device=TOTPDevice.objects.create(user=user, name="app"), ip=None
    ),
    "two_step_off": lambda user: mfa_services.two_step_disable(user=user, ip=None),
    "passkey_added": lambda user: mfa_services.passkey_added(
        device=_passkey(user), name="Móvil", ip=None
    ),
    "new_device": lambda user: device_emails.new_device_send(
        device=DeviceFactory(user=user, name="Bravia", city="Madrid", country="ES")
    ),
    "password_changed": lambda user: security_services.password_changed(
        user=user, origin=Origin(ip="81.2.69.142"), sign_out_others=True
    ),
    "password_set_by_support": lambda user: security_services.password_set_by_support(
        user=user, actor="agente"
    ),
    "pin_set": lambda user: parental_services.pin_set(origin=ORIGIN, user=user, pin="2580"),
    "pin_locked": lambda user: [
        parental_services.pin_set(origin=ORIGIN, user=user, pin="2580"),
        mail.outbox.clear(),
        *(
            parental_services.pin_verify(origin=ORIGIN, user=user, pin="0000")
            for _ in range(parental_services.MAX_WRONG_PINS)
        ),
    ],
    "time_zone_set": lambda user: parental_services.time_zone_set(
        origin=ORIGIN, user=user, time_zone="America/Bogota"
    ),
    "account_deleted": lambda user: privacy_services.account_delete(user=user),
}


@pytest.mark.parametrize("name", SENDERS)
def test_a_spanish_account_gets_every_email_in_spanish_from_an_english_sender(
    name, spanish, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        SENDERS[name](spanish)

    assert mail.outbox, name
    message = mail.outbox[-1]
    assert message.body.startswith("Hola, Lucía:"), message.body
    assert english_left(message) == [], (message.subject, message.body)
    # The sender's own language is back once the e-mail is out.
    assert translation.get_language() == "en"


@pytest.mark.parametrize("name", SENDERS)
def test_an_english_account_gets_every_email_in_english_from_a_spanish_sender(
    name, english, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with translation.override("es"), django_capture_on_commit_callbacks(execute=True):
        SENDERS[name](english)

    message = mail.outbox[-1]
    assert message.body.startswith("Hi Sam,"), message.body
    assert "StreamGuard" in message.body
    assert "Hola" not in message.body


def test_exact_spanish_subjects(spanish, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        SENDERS["pin_locked"](spanish)
        SENDERS["password_set_by_support"](spanish)
        device_emails.new_device_send(device=DeviceFactory(user=spanish, name="Bravia", country=""))
    subjects = {m.subject: m for m in mail.outbox}
    assert {
        "Controles parentales cambiados: PIN parental establecido",
        "5 intentos de PIN incorrectos en un dispositivo desconocido",
        "Se ha cambiado la contraseña de tu cuenta de StreamGuard",
        "Nuevo inicio de sesión en Bravia",
    } <= set(subjects)
    assert (
        "(establecida por el servicio de asistencia; sesión cerrada en todos los dispositivos)"
        in subjects["Se ha cambiado la contraseña de tu cuenta de StreamGuard"].body
    )


def test_the_new_device_email_shows_the_time_on_the_accounts_clock_in_its_language(
    spanish, english
):
    at = datetime(2026, 12, 1, 6, 45, tzinfo=UTC)
    for user in (spanish, english):
        device_emails.new_device_send(device=DeviceFactory(user=user, signed_in_at=at))
    to_spanish, to_english = mail.outbox[-2:]
    assert "Hora: 1 dic 2026, 07:45 (Europe/Madrid)" in to_spanish.body
    assert "Time: 1 Dec 2026, 06:45 (Europe/London)" in to_english.body


def test_the_password_reset_email_follows_the_account_not_the_browser(spanish, english):
    for user, accept in ((spanish, "en"), (english, "es")):
        Client(headers={"accept-language": accept}).post("/password-reset/", {"email": user.email})
    to_spanish, to_english = mail.outbox[-2:]
    assert to_spanish.subject == "Restablece tu contraseña de StreamGuard"
    assert english_left(to_spanish) == []
    assert "/password-reset/" in to_spanish.body
    assert to_english.subject == "Reset your StreamGuard password"
    assert to_english.body.startswith("Hi Sam,")


def test_the_admins_set_password_emails_the_account_in_its_language(
    spanish, django_capture_on_commit_callbacks
):
    agent = User.objects.create_superuser(email="agent@example.com", password=PASSWORD, name="A")
    browser = Client()
    admin_sign_in(browser, agent)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        response = browser.post(
            f"/admin/accounts/user/{spanish.pk}/password/",
            {
                "password1": "Un-nuevo-secreto-42",
                "password2": "Un-nuevo-secreto-42",
                "usable_password": "true",
            },
        )

    assert response.status_code == 302
    (message,) = mail.outbox
    assert message.subject == "Se ha cambiado la contraseña de tu cuenta de StreamGuard"
    assert english_left(message) == []


def test_background_work_with_no_language_active_uses_the_accounts(
    spanish, django_capture_on_commit_callbacks
):
    translation.deactivate_all()
    try:
        with django_capture_on_commit_callbacks(execute=True):
            security_services.password_set_by_support(user=spanish, actor="operator")
    finally:
        translation.activate("en")
    assert english_left(mail.outbox[-1]) == []


def test_an_account_with_no_language_gets_the_sites(db, django_capture_on_commit_callbacks):
    user = UserFactory(language="", name="Sam")
    with translation.override("es"):
        emails.verification_send(user=user)
    assert mail.outbox[-1].subject == "Verify your StreamGuard e-mail address"


def test_no_management_command_sends_mail_in_the_wrong_language(spanish):
    """The commands that act on an account (signout_all, disable_account) send no e-mail
    today; what they log is worded when read, so it reads in the account's language."""
    from django.core.management import call_command

    DeviceFactory(user=spanish)
    mail.outbox.clear()
    call_command("signout_all", spanish.email, stdout=io.StringIO())
    assert mail.outbox == []
    event = spanish.security_events.get(kind="all_signed_out")
    with translation.override("es"):
        from accounts.events import event_description

        assert event_description(event) == (
            "Sesión cerrada en todos los dispositivos (todos los dispositivos) "
            "por el servicio de asistencia"
        )
