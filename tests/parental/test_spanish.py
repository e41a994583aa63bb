"""Parental controls, the PIN pages and the privacy pages in Spanish: no English product word.

What is read is the page's <title> and <main>, or the whole fragment (see
tests/catalog/spanish_helpers.py, whose checker this uses).
"""

from __future__ import annotations

import pytest

from accounts.models import Profile, User
from parental.models import ParentalPin, ProfileControls, ViewingWindow
from parental.services import controls_for
from tests.catalog.factories import TitleFactory
from tests.catalog.spanish_helpers import assert_spanish
from tests.conftest import GOOD_PIN
from tests.factories import PASSWORD, ProfileFactory, UserFactory

HTMX = {"HX-Request": "true"}
# The password field on "Delete account" is accounts' ConfirmPasswordForm, translated and
# tested with accounts.
PASSWORD_FIELD = (("for", "id_password"), ("id", "id_password"))
# The time zone page is a form_page.html page: its Cancel link is the shared layout's.
SHARED_CANCEL = (("href", "/account/"),)


@pytest.fixture
def spanish_user(db) -> User:
    return UserFactory(name="Marta", language="es", time_zone="Europe/Madrid")


@pytest.fixture
def kids(spanish_user: User) -> Profile:
    return ProfileFactory(user=spanish_user, name="Peques", is_kids=True)


@pytest.fixture
def es_confirmed(confirmed, spanish_user):
    return confirmed(spanish_user)


def _pin(user: User) -> None:
    from django.contrib.auth.hashers import make_password

    ParentalPin.objects.create(user=user, pin_hash=make_password(GOOD_PIN))


def test_parental_overview_in_spanish(es_confirmed, spanish_user, kids):
    controls = controls_for(kids)
    controls.daily_limit_minutes = 60
    controls.locked = True
    controls.save()
    ViewingWindow.objects.create(controls=controls, weekday=0)
    controls.blocked_titles.add(TitleFactory(name="Night Shift"))

    assert_spanish(
        es_confirmed.get("/account/parental/"),
        "Controles parentales",
        "No hay PIN parental",
        "Niños mayores (7+)",
        "Adultos (18+)",
        "El bloqueo necesita un PIN",
        "Lun 07:00–20:00",
        "60 minutos",
        "Cualquier hora",
    )
    _pin(spanish_user)
    assert_spanish(es_confirmed.get("/account/parental/"), "Hay un PIN parental", "Activado")


def test_profile_controls_and_their_errors_in_spanish(es_confirmed, kids):
    url = f"/profiles/{kids.public_id}/parental/"

    assert_spanish(
        es_confirmed.get(url),
        "Nivel de madurez",
        "Niños pequeños (todos los públicos) — TV-Y, TV-G, G",
        "Un perfil infantil solo puede tener uno de estos niveles.",
        "Bloqueo de perfil",
        "Pedir el PIN para abrir este perfil",
        "Horario de visualización",
        "Límite diario (minutos)",
        "Lunes: Limitar horario",
        "Restricciones de títulos",
        "Guardar",
    )
    invalid = es_confirmed.post(
        url,
        {
            "maturity": "7",
            "locked": "on",
            "daily_limit_minutes": "5",
            "day0-enabled": "on",
            "day0-starts": "09:00",
            "day0-ends": "08:00",
            "day1-enabled": "on",
            "day1-starts": "10:00",
            "day1-ends": "10:00",
            "day2-enabled": "on",
            "day2-starts": "",
            "day2-ends": "",
            "day3-enabled": "on",
            "day3-starts": "25:00",
            "day3-ends": "08:00",
        },
    )
    assert invalid.status_code == 400
    assert_spanish(
        invalid,
        "Primero configura un PIN parental",
        "Elige entre 15 y 1440 minutos",
        "Lunes: el fin (08:00) es anterior al inicio (09:00).",
        "Martes: el inicio y el fin son la misma hora.",
        "Miércoles: indica una hora de inicio y una de fin.",
        "Jueves, desde:",
    )
    preset = es_confirmed.post(url, {"maturity": "7", "apply": "weekdays"})
    assert_spanish(preset, "Horario rellenado. Revísalo y pulsa Guardar.")
    saved = es_confirmed.post(url, {"maturity": "0", "daily_limit_minutes": "30"}, follow=True)
    assert_spanish(saved, "Guardado.")
    same = es_confirmed.post(url, {"maturity": "0", "daily_limit_minutes": "30"}, follow=True)
    assert_spanish(same, "No ha cambiado nada.")


def test_title_restrictions_and_their_fragments_in_spanish(es_confirmed, kids):
    TitleFactory(slug="night-shift", name="Night Shift")
    base = f"/profiles/{kids.public_id}/parental/"

    assert_spanish(es_confirmed.get(f"{base}titles/?q=night", headers=HTMX), "Añadir", whole=True)
    assert_spanish(
        es_confirmed.get(f"{base}titles/?q=zzz", headers=HTMX), "Ningún título", whole=True
    )
    assert_spanish(
        es_confirmed.get(f"{base}titles/?q=z", headers=HTMX), "Escribe al menos 2", whole=True
    )
    block = es_confirmed.post(f"{base}titles/block/", {"title": "night-shift"}, headers=HTMX)
    assert_spanish(block, "Bloqueados en este perfil", "Quitar", whole=True)
    unblocked = es_confirmed.post(f"{base}titles/unblock/", {"title": "night-shift"}, follow=True)
    assert_spanish(unblocked, "Night Shift desbloqueado.", "No hay ningún título bloqueado.")
    blocked = es_confirmed.post(f"{base}titles/block/", {"title": "night-shift"}, follow=True)
    assert_spanish(blocked, "Night Shift bloqueado.")


def test_the_parental_pin_pages_in_spanish(es_confirmed, spanish_user, kids):
    controls_for(kids)
    ProfileControls.objects.filter(profile=kids).update(locked=True)

    assert_spanish(
        es_confirmed.get("/account/parental-pin/"),
        "PIN parental",
        "Configura un PIN de 4 cifras",
        "1 bloqueo de perfil necesita un PIN",
        "PIN nuevo",
        "Configurar PIN",
    )
    errors = es_confirmed.post("/account/parental-pin/", {"pin": "1234", "pin_again": "12a"})
    assert_spanish(errors, "Ese PIN es de los más comunes", "Introduce exactamente 4 cifras.")
    mismatch = es_confirmed.post("/account/parental-pin/", {"pin": "4826", "pin_again": "4827"})
    assert_spanish(mismatch, "Los dos PIN no coinciden.")
    done = es_confirmed.post(
        "/account/parental-pin/", {"pin": GOOD_PIN, "pin_again": GOOD_PIN}, follow=True
    )
    assert_spanish(done, "PIN parental configurado.", "Cambiar PIN", "Quitar PIN")
    assert_spanish(
        es_confirmed.get("/account/parental-pin/remove/"),
        "¿Quitar el PIN parental?",
        "Es decir: Peques.",
        "Cancelar",
    )
    removed = es_confirmed.post("/account/parental-pin/remove/", follow=True)
    assert_spanish(removed, "PIN parental quitado.")


def test_the_time_zone_page_in_spanish(es_confirmed):
    assert_spanish(
        es_confirmed.get("/account/time-zone/"),
        "Zona horaria",
        "Ahora: Europe/Madrid",
        "La zona horaria de este navegador es",
        "Usarla",
        foreign=SHARED_CANCEL,
    )
    wrong = es_confirmed.post("/account/time-zone/", {"time_zone": "Mars/Olympus"})
    assert wrong.status_code == 400
    assert_spanish(wrong, "StreamGuard no conoce esa zona horaria.", foreign=SHARED_CANCEL)
    done = es_confirmed.post(
        "/account/time-zone/", {"time_zone": "America/Mexico_City"}, follow=True
    )
    assert "Zona horaria cambiada a America/Mexico_City." in done.content.decode()


def test_opening_a_locked_profile_asks_for_the_pin_in_spanish(sign_in, spanish_user, kids):
    _pin(spanish_user)
    ProfileControls.objects.update_or_create(profile=kids, defaults={"locked": False})
    browser = sign_in(spanish_user)
    browser.post(f"/profiles/{kids.public_id}/pick/")
    adult = spanish_user.profiles.get(is_kids=False)

    pad = browser.post(f"/profiles/{adult.public_id}/pick/", follow=True)
    assert_spanish(
        pad,
        "Introduce tu PIN para abrir Marta",
        "Para salir del perfil Peques hace falta el PIN parental.",
        "Volver a ¿Quién está viendo?",
    )
    url = f"/profiles/{adult.public_id}/unlock/"
    for left in (4, 3, 2, 1):
        wrong = browser.post(url, {"pin": "0000"})
        expected = f"Te quedan {left} intentos." if left > 1 else "Te queda 1 intento."
        assert_spanish(wrong, expected)
    locked = browser.post(url, {"pin": "0000"})
    assert_spanish(locked, "Demasiados PIN incorrectos.", "Esperar no la desbloquea.")
    again = browser.get(url)
    assert_spanish(again, "bloqueada desde las")


def test_the_password_lifts_the_pin_lock_in_spanish(sign_in, spanish_user):
    from django.utils import timezone

    _pin(spanish_user)
    ParentalPin.objects.filter(user=spanish_user).update(locked_at=timezone.now())
    browser = sign_in(spanish_user)

    response = browser.post(
        "/account/confirm-password/?next=/account/parental-pin/",
        {"password": PASSWORD},
        follow=True,
    )

    assert "La introducción del PIN vuelve a estar desbloqueada" in response.content.decode()


def test_data_download_and_account_deletion_pages_in_spanish(es_confirmed):
    assert_spanish(
        es_confirmed.get("/account/data/"),
        "Descargar tus datos",
        "Un archivo ZIP",
        "Cancelar",
    )
    assert_spanish(
        es_confirmed.get("/account/delete/"),
        "Eliminar cuenta",
        "1 perfil y sus controles parentales",
        "(0 visualizaciones)",
        "1 dispositivo con sus direcciones IP",
        "0 llaves de acceso",
        "Descargar tus datos",
        foreign=PASSWORD_FIELD,
    )
    wrong = es_confirmed.post("/account/delete/", {"password": "not-it"})
    assert_spanish(wrong, "Eliminar cuenta", foreign=PASSWORD_FIELD)
    es_confirmed.post("/account/delete/", {"password": PASSWORD})
    # The account is gone, so its language with it: the browser's is what is left.
    gone = es_confirmed.get("/account/deleted/", HTTP_ACCEPT_LANGUAGE="es")
    assert_spanish(gone, "Cuenta eliminada", "Crear cuenta")
