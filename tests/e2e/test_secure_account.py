"""Someone else signed in: on a 320 px phone the account holder follows the new-sign-in
e-mail's "This wasn't me" to a secured account (the stranger out, a new password, two-step
verification offered, a summary), in English and in Spanish; the checkup at 1280 px too."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from django.core import mail
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from tests.conftest import CHROME_WINDOWS, SAFARI_IPHONE
from tests.factories import PASSWORD, UserFactory
from tests.mfa.twostep_helpers import totp_code

from .checks import layout_problems, serious_violations
from .conftest import CHROME_LINUX, DESKTOP, screenshot

pytestmark = pytest.mark.django_db(transaction=True)

PHONE_320 = {"width": 320, "height": 720}
NEW_PASSWORD = "a-brand-new-passphrase-42"


@dataclass(frozen=True)
class Words:
    language: str
    locale: str
    profiles: str
    signed_in_button: str
    not_me: str
    sign_out_device: str
    confirm: str
    secure: str
    submit: str
    two_step_offer: str
    not_now: str
    secured: str
    summary: str
    checkup: str


ENGLISH = Words(
    language="en",
    locale="en-GB",
    profiles="Who's watching?",
    signed_in_button="Sign in",
    not_me="This wasn't me",
    sign_out_device="Sign out this device",
    confirm="Continue",
    secure="Secure my account",
    submit="Sign out the others and set the new password",
    two_step_offer="One more step: two-step verification",
    not_now="Not now",
    secured="Your account is secured",
    summary="1 other device signed out, browsers and apps alike.",
    checkup="Security checkup",
)
SPANISH = Words(
    language="es",
    locale="es-ES",
    profiles="¿Quién está viendo?",
    signed_in_button="Iniciar sesión",
    not_me="No fui yo",
    sign_out_device="Cerrar sesión en este dispositivo",
    confirm="Continuar",
    secure="Proteger mi cuenta",
    submit="Cerrar la sesión de los demás y poner la contraseña nueva",
    two_step_offer="Un paso más: la verificación en dos pasos",
    not_now="Ahora no",
    secured="Tu cuenta está protegida",
    summary="Sesión cerrada en 1 dispositivo más, navegadores y aplicaciones por igual.",
    checkup="Revisión de seguridad",
)


def _checked(page: Page, label: str, found: list[str]) -> None:
    found.extend(layout_problems(page, f"{label} at 320 px"))
    found.extend(serious_violations(page))


def _sign_in(page: Page, site: str, email: str, words: Words) -> None:
    page.goto(f"{site}/login/")
    page.locator("[name=username]").fill(email)
    page.locator("[name=password]").fill(PASSWORD)
    page.get_by_role("button", name=words.signed_in_button, exact=True).click()
    expect(page.get_by_role("heading", name=words.profiles)).to_be_visible()


@pytest.mark.parametrize("words", [ENGLISH, SPANISH], ids=["english", "spanish"])
def test_from_the_new_sign_in_e_mail_to_a_secured_account_on_a_phone(site, new_context, words):
    user = UserFactory(email="holder@example.com", name="Robin", language=words.language)
    phone = new_context(
        viewport=PHONE_320, locale=words.locale, user_agent=CHROME_LINUX, is_mobile=True
    ).new_page()
    _sign_in(phone, site, user.email, words)
    stranger = new_context(user_agent=SAFARI_IPHONE, locale=words.locale).new_page()
    _sign_in(stranger, site, user.email, words)
    # The stranger's second browser, which the e-mail did not name.
    laptop = new_context(user_agent=CHROME_WINDOWS, locale=words.locale).new_page()
    _sign_in(laptop, site, user.email, words)
    found: list[str] = []

    (notice,) = [m for m in mail.outbox if "iPhone" in m.subject]
    link = re.search(r"https?://\S+/account/devices/not-me/\S+/", notice.body).group(0)
    assert "/account/checkup/" in notice.body

    phone.goto(link)
    expect(phone.get_by_role("heading", name=words.not_me)).to_be_visible()
    _checked(phone, "this wasn't me", found)
    phone.get_by_role("button", name=words.sign_out_device).click()

    # The password check names what it guards, then the flow goes on without asking it again.
    phone.locator("[name=password]").fill(PASSWORD)
    _checked(phone, "confirm your password", found)
    phone.get_by_role("button", name=words.confirm, exact=True).click()
    expect(phone.get_by_role("heading", name=words.secure)).to_be_visible()
    _checked(phone, "secure my account", found)
    screenshot(phone, f"secure-account-320-{words.language}")
    phone.locator("[name=new_password1]").fill(NEW_PASSWORD)
    phone.locator("[name=new_password2]").fill(NEW_PASSWORD)
    phone.get_by_role("button", name=words.submit).click()

    expect(phone.get_by_role("heading", name=words.two_step_offer)).to_be_visible()
    _checked(phone, "two-step offer", found)
    phone.get_by_role("link", name=words.not_now).click()
    expect(phone.get_by_role("heading", name=words.secured)).to_be_visible()
    expect(phone.get_by_text(words.summary)).to_be_visible()
    _checked(phone, "summary", found)
    screenshot(phone, f"secured-320-{words.language}")

    # The stranger is out; the holder's phone stays in with the new password.
    for page in (stranger, laptop):
        page.reload()
        expect(page).to_have_url(re.compile(r"/login/"))
    phone.get_by_role("link", name=words.checkup).click()
    expect(phone.get_by_role("heading", name=words.checkup)).to_be_visible()
    _checked(phone, "checkup", found)
    screenshot(phone, f"checkup-320-{words.language}")
    phone.set_viewport_size(DESKTOP)
    screenshot(phone, f"checkup-1280-{words.language}")
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    secured = [m for m in mail.outbox if m.subject == words.secured or "secured" in m.subject]
    assert len(secured) == 1, [m.subject for m in mail.outbox]
    assert found == []


def test_two_step_turned_on_from_the_offer_ends_on_the_summary_on_a_phone(site, new_context):
    user = UserFactory(email="holder@example.com", name="Robin")
    phone = new_context(viewport=PHONE_320, user_agent=CHROME_LINUX, is_mobile=True).new_page()
    _sign_in(phone, site, user.email, ENGLISH)
    found: list[str] = []

    phone.goto(f"{site}/account/checkup/secure/")
    phone.locator("[name=password]").fill(PASSWORD)
    phone.get_by_role("button", name=ENGLISH.confirm, exact=True).click()
    phone.locator("[name=new_password1]").fill(NEW_PASSWORD)
    phone.locator("[name=new_password2]").fill(NEW_PASSWORD)
    phone.get_by_role("button", name=ENGLISH.submit).click()
    phone.get_by_role("link", name="Turn on two-step verification").click()

    expect(phone.get_by_role("heading", name="Turn on two-step verification")).to_be_visible()
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    phone.get_by_label("Code").fill(totp_code(device))
    phone.get_by_role("button", name="Turn on").click()
    expect(phone.get_by_role("heading", name="Recovery codes")).to_be_visible()
    _checked(phone, "recovery codes after securing", found)
    phone.get_by_role("link", name="Done").click()

    expect(phone.get_by_role("heading", name=ENGLISH.secured)).to_be_visible()
    expect(phone.get_by_text("Two-step verification: On")).to_be_visible()
    _checked(phone, "summary with two-step on", found)
    screenshot(phone, "secured-two-step-on-320-en")
    assert found == []
