"""A Spanish-speaking household pairs a TV and signs it out again, in Spanish, in a browser."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.conftest import CHROME_WINDOWS, SAMSUNG_TV
from tests.factories import PASSWORD, UserFactory

from .checks import layout_problems, serious_violations
from .conftest import TV_SCREEN, screenshot

pytestmark = pytest.mark.django_db(transaction=True)

# The sign-in and password pages belong to the accounts app: found by either language's
# words, so this test holds before and after they are translated.
EMAIL = re.compile(r"^(Email|Correo electrónico)$")
PASSWORD_LABEL = re.compile(r"^(Password|Contraseña)$")
SIGN_IN = re.compile(r"^(Sign in|Iniciar sesión)$")
CONTINUE = re.compile(r"^(Continue|Continuar)$")
CONFIRM_PASSWORD = re.compile(r"^(Confirm your password|Confirma tu contraseña)$")
WHO_IS_WATCHING = re.compile(r"^(Who's watching\?|¿Quién está viendo\?)$")


def _sign_in(page: Page, site: str, email: str) -> None:
    page.goto(f"{site}/login/")
    page.get_by_label(EMAIL).fill(email)
    page.get_by_label(PASSWORD_LABEL).fill(PASSWORD)
    page.get_by_role("button", name=SIGN_IN).click()
    expect(page.get_by_role("heading", name=WHO_IS_WATCHING)).to_be_visible()


def test_a_spanish_household_pairs_a_tv_and_signs_it_out_in_spanish(site, new_context):
    account = UserFactory(email="hogar@example.com", name="Lucía", language="es")
    web = new_context(locale="es-ES", user_agent=CHROME_WINDOWS).new_page()
    tv = new_context(locale="es-ES", user_agent=SAMSUNG_TV, viewport=TV_SCREEN).new_page()
    found: list[str] = []

    # Before pairing, the TV speaks its browser's language.
    tv.goto(f"{site}/tv/")
    heading = tv.get_by_role("heading", name="Inicia sesión en tu teléfono u ordenador")
    expect(heading).to_be_visible()
    expect(tv.locator("html")).to_have_attribute("lang", "es")
    expect(tv.get_by_text("Esperando a que inicies sesión…")).to_be_visible()
    found.extend(serious_violations(tv))
    screenshot(tv, "tv-code-es")
    code = tv.locator(".tv-user-code").inner_text()

    _sign_in(web, site, account.email)
    web.goto(f"{site}/activate/")
    expect(web.locator("html")).to_have_attribute("lang", "es")
    web.get_by_label("Código").fill(code.lower())
    web.get_by_role("button", name="Continuar").click()
    gate = web.get_by_role("heading", name=CONFIRM_PASSWORD)
    asking = web.get_by_role("heading", name=re.compile("Iniciar sesión en"))
    expect(gate.or_(asking)).to_be_visible()
    if gate.is_visible():
        web.get_by_label(PASSWORD_LABEL).fill(PASSWORD)
        web.get_by_role("button", name=CONTINUE).click()
    expect(asking).to_be_visible()
    expect(web.get_by_text("TV · Samsung Smart TV")).to_be_visible()
    web.get_by_role("button", name="Iniciar sesión", exact=True).click()
    expect(web.get_by_text("está iniciando sesión")).to_be_visible()

    # The TV's next poll signs it in, and from then on it speaks the account's language.
    expect(tv.get_by_role("heading", name="¿Quién está viendo?")).to_be_visible(timeout=15_000)
    expect(tv.locator("html")).to_have_attribute("lang", "es")

    web.goto(f"{site}/account/devices/")
    expect(web.get_by_role("heading", name="Gestionar acceso y dispositivos")).to_be_visible()
    expect(web.locator("html")).to_have_attribute("lang", "es")
    expect(web.get_by_text("Este dispositivo", exact=True)).to_be_visible()
    found.extend(serious_violations(web))
    tv_card = web.get_by_role("listitem").filter(has_text="Samsung Smart TV")
    tv_card.get_by_role("button", name="Cerrar sesión").click()
    expect(tv_card).to_have_count(0)
    expect(web.get_by_text("Se cerró la sesión en Samsung Smart TV.")).to_be_visible()

    # The TV's heartbeat (every 10 seconds) notices, and says so in its browser's language.
    expect(tv.get_by_text("Se ha cerrado tu sesión")).to_be_visible(timeout=15_000)
    expect(tv.locator(".tv-user-code")).to_have_text(re.compile(r"[A-Z]{4}-[A-Z]{4}"))

    # The longer Spanish words still fit a 320 px phone.
    web.set_viewport_size({"width": 320, "height": 640})
    web.goto(f"{site}/account/devices/")
    expect(web.get_by_role("heading", name="Gestionar acceso y dispositivos")).to_be_visible()
    screenshot(web, "devices-es-320")
    scroll_width, inner_width = web.evaluate(
        "[document.documentElement.scrollWidth, window.innerWidth]"
    )
    assert scroll_width <= inner_width, f"{scroll_width} px wide in {inner_width}"
    problems = layout_problems(web, "devices 320")
    assert not problems, "\n".join(problems)

    assert not found, "\n".join(found)
