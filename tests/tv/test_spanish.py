"""The TV client in Spanish: the browser's language before pairing, the account's after."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from devices import pairing
from devices.models import PairingCode
from parental.models import ParentalPin
from tests.client import Client
from tests.conftest import GOOD_PIN, SAMSUNG_TV
from tests.devices.pairing_helpers import approve, code_on_screen, poll
from tests.devices.spanish_helpers import assert_spanish, english_words
from tests.factories import ProfileFactory, UserFactory
from tests.html import visible_text

pytestmark = pytest.mark.django_db

SPANISH = "es-ES,es;q=0.9"
ENGLISH = "en-US,en;q=0.9"


def _tv(language: str) -> Client:
    return Client(
        headers={"user-agent": SAMSUNG_TV, "accept-language": language},
        REMOTE_ADDR="81.2.69.142",
    )


def _code(tv: Client) -> PairingCode:
    return PairingCode.objects.get(secret_hash=pairing.secret_hash(tv.cookies["sg_tv"].value))


def test_before_pairing_the_code_screen_follows_the_browsers_spanish():
    tv = _tv(SPANISH)

    page = tv.get("/tv/")

    assert_spanish(
        page,
        "Inicia sesión en tu teléfono u ordenador",
        "El código caduca en",
        "Escanea para iniciar sesión",
        "Esperando a que inicies sesión…",
        root=None,
    )
    html = page.content.decode()
    assert '<html lang="es">' in html
    assert 'aria-label="Código de inicio de sesión ' in html
    assert page["Content-Language"] == "es"


def test_before_pairing_a_browser_asking_for_english_gets_english():
    tv = _tv(ENGLISH)

    html = tv.get("/tv/").content.decode()

    assert '<html lang="en">' in html
    assert "Sign in on your phone or computer" in html
    assert "Code expires in" in html


def test_the_code_screens_answers_to_polls_are_spanish():
    tv = _tv(SPANISH)
    tv.get("/tv/")

    waiting = poll(tv)
    assert_spanish(waiting, "Esperando a que inicies sesión…", root=None)
    too_fast = tv.post("/tv/poll/", headers={"HX-Request": "true"})
    assert_spanish(too_fast, "se comprueba cada 10 segundos", root=None)
    assert too_fast["Content-Language"] == "es"

    PairingCode.objects.filter(pk=_code(tv).pk).update(expires_at=timezone.now() - timedelta(1))
    expired = poll(tv)
    assert_spanish(expired, "Este código ha caducado. Obteniendo uno nuevo…", root=None)


def test_a_cancelled_code_and_the_no_javascript_wait_are_spanish():
    tv = _tv(SPANISH)
    tv.get("/tv/")
    waiting = tv.post("/tv/poll/", follow=True)
    assert_spanish(waiting, "Aún no has iniciado sesión.", "Ya he introducido el código", root=None)

    PairingCode.objects.filter(pk=_code(tv).pk).update(status=PairingCode.Status.CANCELLED)
    cancelled = poll(tv)
    assert_spanish(cancelled, "Se canceló el inicio de sesión.", root=None)


def test_too_many_codes_is_spanish():
    for _ in range(30):
        _tv(SPANISH).get("/tv/")  # a new TV each time: each one draws a code

    page = _tv(SPANISH).get("/tv/")

    assert page.status_code == 429
    assert_spanish(page, "Demasiados códigos de inicio de sesión", root=None)


@pytest.fixture
def spanish_account(db):
    account = UserFactory(name="Lucía", language="es")
    ProfileFactory(user=account, name="Niños", is_kids=True)
    return account


@pytest.fixture
def tv_paired_in_english(spanish_account, sign_in) -> Client:
    """A TV whose browser asks for English, paired to an account that chose Spanish."""
    tv = _tv(ENGLISH)
    approve(sign_in(spanish_account), code_on_screen(tv))
    assert poll(tv)["HX-Redirect"] == "/tv/"
    return tv


def test_after_pairing_the_tv_follows_the_accounts_language_not_the_browsers(
    tv_paired_in_english,
):
    home = tv_paired_in_english.get("/tv/")

    assert_spanish(home, "¿Quién está viendo?", "Ajustes", "¿Cerrar sesión?", "Sí", root=None)
    assert '<html lang="es">' in home.content.decode()
    assert home["Content-Language"] == "es"


def test_the_tvs_settings_and_sign_out_pages_are_spanish(tv_paired_in_english):
    settings_page = tv_paired_in_english.get("/tv/settings/")
    assert_spanish(settings_page, "Ajustes", "Cerrar sesión", "Volver", root=None)

    sign_out = tv_paired_in_english.get("/tv/sign-out/")
    assert_spanish(
        sign_out, "¿Cerrar sesión de StreamGuard en este dispositivo?", "Sí", "No", root=None
    )


def test_the_tvs_htmx_requests_answer_in_the_accounts_language(tv_paired_in_english):
    heartbeat = tv_paired_in_english.get("/tv/heartbeat/", headers={"HX-Request": "true"})

    assert heartbeat.status_code == 204
    assert heartbeat["Content-Language"] == "es"


def test_the_tvs_pin_screen_and_its_menu_are_spanish(spanish_account, tv_paired_in_english):
    ParentalPin.objects.create(user=spanish_account, pin_hash=make_password(GOOD_PIN))
    kids = spanish_account.profiles.get(is_kids=True)
    adult = spanish_account.profiles.exclude(pk=kids.pk).get()
    tv_paired_in_english.post(f"/tv/profiles/{kids.public_id}/")

    page = tv_paired_in_english.get(f"/tv/profiles/{adult.public_id}/")

    html = page.content.decode()
    # The PIN pad itself is the parental app's; the screen around it is the TV's.
    for part in ("title", "h1", "nav"):
        assert english_words(html, root=part) == [], visible_text(html, within=part)
    assert "Introduce tu PIN para abrir Lucía" in visible_text(html, within="h1")
    assert "Para salir del perfil Niños hace falta el PIN parental." in visible_text(
        html, within="main"
    )
    assert "Volver" in visible_text(html, within="main")


def test_the_catalog_on_the_tv_has_a_spanish_menu(spanish_account, tv_paired_in_english):
    adult = spanish_account.profiles.exclude(is_kids=True).get()
    browse = tv_paired_in_english.post(f"/tv/profiles/{adult.public_id}/", follow=True)

    nav = visible_text(browse.content.decode(), within="nav")
    assert english_words(browse.content.decode(), root="nav") == [], nav
    assert "Perfiles" in nav
    assert "Inicio" in nav
    assert "Buscar" in nav


def test_a_tv_signed_out_from_the_web_says_so_in_its_browsers_language(spanish_account, sign_in):
    tv = _tv(SPANISH)
    web = sign_in(spanish_account)
    approve(web, code_on_screen(tv))
    poll(tv)
    web.post("/account/devices/sign-out-all/", {"scope": "others"})

    heartbeat = tv.get("/tv/heartbeat/", headers={"HX-Request": "true"})
    assert heartbeat["HX-Redirect"] == "/tv/?signed_out=1"
    page = tv.get("/tv/?signed_out=1")

    assert_spanish(page, "Se ha cerrado tu sesión", root=None)
