"""The parental PIN flow once in Spanish, in a browser whose language is Spanish.

The parental pages are found by their Spanish words. The sign-in and password pages are
the accounts app's: they are reached by their fields, whatever their language.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.factories import PASSWORD, ProfileFactory

from .checks import serious_violations
from .conftest import CHROME_LINUX

pytestmark = pytest.mark.django_db(transaction=True)

PIN = "4826"  # not one of the common PINs the form refuses
NARROW = {"width": 320, "height": 720}


def sign_in_by_fields(page: Page, site: str, email: str) -> None:
    page.goto(f"{site}/login/")
    page.locator("#id_username").fill(email)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    expect(page).to_have_url(re.compile(r"/profiles/$"))


def sideways_scroll(page: Page) -> str:
    """Empty if the page fits the viewport's width, else how wide it is."""
    scroll_width, inner_width = page.evaluate(
        "[document.documentElement.scrollWidth, window.innerWidth]"
    )
    return f"{page.url}: {scroll_width} px in {inner_width}" if scroll_width > inner_width else ""


def test_parental_pin_lock_and_pin_pad_in_spanish(site, account, new_context):
    ProfileFactory(user=account, name="Peques", is_kids=True, colour="green")
    page = new_context(user_agent=CHROME_LINUX, locale="es-ES").new_page()
    found: list[str] = []
    too_wide: list[str] = []
    sign_in_by_fields(page, site, account.email)

    # "PIN parental", behind the password.
    page.goto(f"{site}/account/confirm-password/?next=/account/parental-pin/")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    expect(page.get_by_role("heading", name="PIN parental")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "es")
    found.extend(serious_violations(page))
    page.get_by_label("PIN nuevo", exact=True).fill(PIN)
    page.get_by_label("Repite el PIN nuevo").fill(PIN)
    page.get_by_role("button", name="Configurar PIN").click()
    expect(page.get_by_text("PIN parental configurado.")).to_be_visible()
    found.extend(serious_violations(page))
    page.set_viewport_size(NARROW)
    too_wide.append(sideways_scroll(page))

    # "Controles parentales" → Peques: lock the profile.
    page.goto(f"{site}/account/parental/")
    expect(page.get_by_role("heading", name="Controles parentales", exact=True)).to_be_visible()
    too_wide.append(sideways_scroll(page))
    page.get_by_role("link", name="Controles parentales de Peques").click()
    page.get_by_label("Pedir el PIN para abrir este perfil").check()
    page.get_by_role("button", name="Guardar", exact=True).click()
    expect(page.get_by_text("Guardado.")).to_be_visible()
    expect(page.get_by_label("Pedir el PIN para abrir este perfil")).to_be_checked()
    too_wide.append(sideways_scroll(page))

    # The locked profile asks for the PIN; typed on the pad, it opens.
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{site}/profiles/")
    page.get_by_role("button", name=re.compile(r"^Peques\b")).click()
    expect(page.get_by_role("heading", name="Introduce tu PIN para abrir Peques")).to_be_visible()
    pad = page.get_by_role("group", name="Teclado del PIN")
    expect(pad).to_be_visible()
    expect(page.get_by_role("link", name="¿Olvidaste el PIN?")).to_be_visible()
    found.extend(serious_violations(page))
    page.set_viewport_size(NARROW)
    too_wide.append(sideways_scroll(page))
    page.get_by_label("PIN parental").fill("")
    for digit in PIN:  # the fourth digit submits
        pad.get_by_role("button", name=digit, exact=True).click()

    expect(page.get_by_role("heading", name="Explorar")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "es")
    too_wide.append(sideways_scroll(page))

    assert not found, "\n".join(found)
    assert not any(too_wide), "\n".join(filter(None, too_wide))
