"""A Spanish-speaking browser signs in, picks a profile and opens the Account hub, all in
Spanish: lang="es", axe clean, and nothing off-screen on a 320 px phone."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.factories import PASSWORD, ProfileFactory, UserFactory

from .checks import layout_problems, serious_violations
from .conftest import CHROME_LINUX

pytestmark = pytest.mark.django_db(transaction=True)

PHONE_320 = {"width": 320, "height": 720}


def page_checks(page: Page, label: str, found: list[str]) -> None:
    assert page.locator("html").get_attribute("lang") == "es", label
    found.extend(serious_violations(page))
    page.set_viewport_size(PHONE_320)
    found.extend(layout_problems(page, f"{label} at 320 px"))
    page.set_viewport_size({"width": 1280, "height": 900})


def test_signing_in_and_the_account_hub_in_spanish(site, new_context):
    user = UserFactory(email="hogar@example.com", name="Robin", with_profile=False)
    ProfileFactory(user=user, name="Robin")
    page = new_context(locale="es-ES", user_agent=CHROME_LINUX).new_page()
    found: list[str] = []

    page.goto(f"{site}/login/")
    expect(page.get_by_role("heading", name="Iniciar sesión")).to_be_visible()
    page_checks(page, "sign-in", found)
    page.get_by_label("Correo electrónico").fill(user.email)
    page.get_by_label("Contraseña").fill(PASSWORD)
    page.get_by_role("button", name="Iniciar sesión", exact=True).click()

    expect(page.get_by_role("heading", name="¿Quién está viendo?")).to_be_visible()
    page_checks(page, "profiles", found)
    page.get_by_role("button", name="Robin").click()
    page.wait_for_url(f"{site}/browse/")

    page.goto(f"{site}/account/")
    expect(page.get_by_role("heading", name="Cuenta", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Gestionar acceso y dispositivos").first).to_be_visible()
    page_checks(page, "account", found)
    page.locator(".account-menu summary", has_text="Menú").click()
    expect(page.get_by_role("button", name="Cerrar sesión")).to_be_visible()

    assert found == [], "\n".join(found)
