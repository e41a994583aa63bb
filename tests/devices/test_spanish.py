"""Every devices page and answer in Spanish: no English product word is left on it.

The check reads what a person meets (tests/html.py): the visible text, without tags, scripts
or styles, and the words in attributes. Pages built on base.html are read from <title> and
<main>: the header and footer around them belong to the base layout.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone, translation

from devices.emails import not_me_token
from devices.models import Device, PairingCode
from devices.names import device_name_shown
from tests.catalog.factories import ViewingFactory
from tests.client import Client
from tests.conftest import CHROME_WINDOWS, SAFARI_IPHONE, SAMSUNG_TV, admin_sign_in
from tests.factories import PASSWORD, DeviceFactory, UserFactory
from tests.html import visible_text

from .spanish_helpers import assert_spanish, english_words

pytestmark = pytest.mark.django_db


def test_the_reader_finds_english_in_text_and_attributes_but_not_in_scripts():
    html = (
        "<html><head><title>Quitar</title><script>var x = 'Sign out';</script></head>"
        "<body><header>Settings</header><main><p>Hola <b>Device</b></p>"
        '<input placeholder="Code"><span aria-label="Remove it"></span></main></body></html>'
    )

    assert english_words(html) == ["Device", "Code", "Remove"]
    assert "Settings" not in visible_text(html, within="main")
    assert "Settings" in visible_text(html, within=None)


@pytest.fixture
def spanish_user(db):
    return UserFactory(name="Lucía", language="es")


@pytest.fixture
def web(spanish_user, sign_in) -> Client:
    """The account holder's laptop, in an account that chose Spanish (the browser asks
    for nothing in particular)."""
    return sign_in(spanish_user, user_agent=CHROME_WINDOWS)


@pytest.fixture
def household(spanish_user, web) -> dict[str, Device]:
    """Devices of every sort on the list: here, abroad, in a new country, for 24 hours,
    watching, signed out for every reason."""
    now = timezone.now()
    Device.objects.filter(user=spanish_user).update(
        country="GB", first_seen_at=now - timedelta(days=400)
    )
    profile = spanish_user.profiles.get()
    devices = {
        "phone": DeviceFactory(
            user=spanish_user,
            name="Safari on iPhone",
            kind=Device.Kind.PHONE,
            country="PT",
            city="Lisbon",
            last_profile=profile,
            last_seen_at=now - timedelta(hours=3),
        ),
        "tablet": DeviceFactory(
            user=spanish_user, name="iPad", kind=Device.Kind.TABLET, country="FR"
        ),
        "tablet_too": DeviceFactory(
            user=spanish_user, name="iPad mini", kind=Device.Kind.TABLET, country="FR"
        ),
        "console": DeviceFactory(
            user=spanish_user,
            name="PlayStation 5",
            kind=Device.Kind.CONSOLE,
            expires_at=now + timedelta(hours=20),
        ),
        "mystery": DeviceFactory(user=spanish_user, name="Xyz", kind=Device.Kind.UNKNOWN),
        "hotel": DeviceFactory(user=spanish_user, name="Hotel TV", kind=Device.Kind.TV),
    }
    ViewingFactory(
        profile=profile,
        device=devices["hotel"],
        stopped_at=None,
        stop_reason="",
        title__name="El faro",
    )
    for number, reason in enumerate(Device.SignOutReason):
        DeviceFactory(
            user=spanish_user,
            name=f"Portátil {number}",
            kind=Device.Kind.COMPUTER,
            signed_out_at=now - timedelta(days=2),
            signed_out_reason=reason,
            session_key=None,
        )
    return devices


def test_manage_access_and_devices_is_spanish(web, household):
    words = assert_spanish(
        web.get("/account/devices/"),
        "Gestionar acceso y dispositivos",
        "Este dispositivo",
        "País nuevo",
        "En el extranjero",
        "Ordenador",
        "Teléfono",
        "Tableta",
        "Consola de videojuegos",
        "Dispositivo desconocido",
        "Viendo ahora El faro",
        "Sesión iniciada solo por 24 horas",
        "Cerrar sesión en todos los dispositivos",
        "Quitar dispositivo",
        "Perfil: Lucía",
        "Sesión cerrada a distancia",
        "Marcado como «No fui yo»",
        "Direcciones borradas",
        "Lisbon, Portugal",
    )
    # Dates in Spanish: "1 dic 2026", not "1 Dec 2026".
    month = timezone.localtime(timezone.now()).strftime("%b")
    if month not in ("Jan", "Apr", "May"):  # no English month abbreviation shows in Spanish
        assert f" {month} " not in words
    assert "hace" in words


def test_the_device_list_fragment_after_a_sign_out_is_spanish(web, household):
    phone = household["phone"]

    response = web.post(f"/account/devices/{phone.id}/sign-out/", headers={"HX-Request": "true"})

    assert response.status_code == 200
    assert_spanish(
        response,
        "Se cerró la sesión en Safari en iPhone.",
        "Dispositivos con la sesión cerrada",
        root=None,
    )


def test_signing_a_device_out_without_javascript_says_so_in_spanish(web, household):
    response = web.post(f"/account/devices/{household['phone'].id}/sign-out/", follow=True)

    assert_spanish(response, "Se cerró la sesión en Safari en iPhone.")


def test_naming_a_device_is_spanish_and_so_are_its_errors(web, household):
    url = f"/account/devices/{household['phone'].id}/rename/"

    assert_spanish(web.get(url), "Pon nombre a este dispositivo", "Guardar nombre", "Cancelar")
    assert_spanish(web.post(url, {"name": "  "}), "Ponle un nombre al dispositivo.")
    assert_spanish(web.post(url, {"name": "x" * 41}), "Usa como máximo 40 caracteres.")
    renamed = web.post(url, {"name": "iPhone de Lucía"}, follow=True)
    assert_spanish(renamed, "El dispositivo ahora se llama iPhone de Lucía.")


def test_removing_a_device_is_spanish(web, household):
    web.post("/account/confirm-password/", {"password": PASSWORD})
    url = f"/account/devices/{household['tablet'].id}/remove/"

    assert_spanish(web.get(url), "¿Quitar iPad?", "¿Te han robado este dispositivo?", "Cancelar")
    removed = web.post(url, follow=True)
    assert_spanish(removed, "Se quitó iPad y se borraron sus ubicaciones.")


def test_sign_out_of_all_devices_is_spanish(web, household):
    page = web.get("/account/devices/sign-out-all/")

    assert_spanish(page, "Cerrar sesión en todos los demás dispositivos", "Cancelar")


def test_this_wasnt_me_pages_are_spanish(spanish_user, household):
    stranger = Client()  # the e-mail link opens in any browser; the account's language is not
    url = f"/account/devices/not-me/{not_me_token(household['phone'])}/"

    assert_spanish(
        stranger.get(url, headers={"accept-language": "es"}),
        "No fui yo",
        "Cerrar sesión en este dispositivo",
        "Cerca de Lisbon, Portugal",
    )
    assert_spanish(
        stranger.get("/account/devices/not-me/nonsense/", headers={"accept-language": "es"}),
        "Este enlace ha caducado o no es válido",
    )


def _tv_code(user_agent: str = SAMSUNG_TV, **fields) -> PairingCode:
    now = timezone.now()
    values = {
        "user_code": "BCDFGHJK",
        "secret_hash": f"{len(fields):064d}",
        "expires_at": now + PairingCode.LIFETIME,
        "kind": Device.Kind.TV,
        "name": "Samsung Smart TV",
        "user_agent": user_agent,
        "ip": "2.80.0.1",
        "country": "PT",
        "city": "Lisbon",
    }
    values.update(fields)
    return PairingCode.objects.create(**values)


def test_activate_and_its_errors_are_spanish(web):
    assert_spanish(web.get("/activate/"), "Introduce el código que aparece en tu TV", "Continuar")
    assert_spanish(
        web.post("/activate/", {"code": "BCDF-GHJK"}),
        "Ese código no es correcto o ha caducado. Comprueba el código de tu TV.",
    )
    assert_spanish(web.post("/activate/", {"code": "BCD"}), "El código tiene 8 letras")
    assert_spanish(web.post("/activate/", {"code": "AEIOUAEI"}), "solo llevan consonantes")
    for _ in range(5):
        web.post("/activate/", {"code": "BCDF-GHJK"})
    too_many = web.post("/activate/", {"code": "BCDF-GHJK"})
    assert too_many.status_code == 429
    assert_spanish(too_many, "Demasiados intentos, espera unos minutos.")


def test_the_approval_page_and_a_spent_code_are_spanish(web):
    code = _tv_code()
    web.post("/account/confirm-password/", {"password": PASSWORD})
    # The approver is in Britain, the TV in Portugal: the page warns.
    web.defaults["REMOTE_ADDR"] = "81.2.69.142"
    confirm = web.post("/activate/", {"code": code.display_code}, follow=True)

    assert_spanish(
        confirm,
        "¿Iniciar sesión en Samsung Smart TV?",
        "Esta TV está en Portugal, pero tú estás en Reino Unido.",
        "Iniciar sesión solo por 24 horas",
        "Ubicación aproximada",
        "Código creado",
    )
    PairingCode.objects.filter(pk=code.pk).update(expires_at=timezone.now() - timedelta(1))
    gone = web.get(f"/activate/{code.id}/")
    assert gone.status_code == 410
    assert_spanish(gone, "Este código no se puede usar")


def test_approving_and_cancelling_a_tv_say_so_in_spanish(web):
    web.post("/account/confirm-password/", {"password": PASSWORD})
    first = _tv_code()
    web.post("/activate/", {"code": first.display_code})
    approved = web.post(f"/activate/{first.id}/sign-in/", follow=True)
    assert_spanish(approved, "Samsung Smart TV está iniciando sesión.")

    second = _tv_code(user_code="CDFGHJKL", secret_hash="f" * 64)
    web.post("/activate/", {"code": second.display_code})
    cancelled = web.post(f"/activate/{second.id}/cancel/", follow=True)
    assert "Cancelado. No se inició ninguna sesión." in visible_text(
        cancelled.content.decode(), within="main"
    )


def test_a_browser_asking_for_spanish_gets_it_before_the_account_chose(sign_in):
    english_account = UserFactory(name="Ana")
    browser = sign_in(english_account, user_agent=SAFARI_IPHONE)

    page = browser.get("/account/devices/", headers={"accept-language": "es-ES,es;q=0.9"})

    assert_spanish(page, "Gestionar acceso y dispositivos", "Este dispositivo")
    assert '<html lang="es">' in page.content.decode()


def test_the_same_pages_stay_english_without_a_language(sign_in):
    english_account = UserFactory(name="Ana")
    browser = sign_in(english_account)

    page = browser.get("/account/devices/").content.decode()

    assert "Manage access and devices" in page
    assert "This device" in page
    assert '<html lang="en">' in page


def test_the_admin_speaks_spanish_to_a_spanish_speaking_agent(db):
    agent = UserFactory(is_staff=True, is_superuser=True, language="es")
    DeviceFactory(user=UserFactory())
    admin = Client()
    admin_sign_in(admin, agent)

    page = admin.get("/admin/devices/device/").content.decode()

    assert "Cerrar sesión en los dispositivos seleccionados" in page
    assert "Sesión iniciada" in page


@pytest.mark.parametrize(
    ("stored", "spanish"),
    [
        ("Chrome on Windows", "Chrome en Windows"),
        ("Chrome on Android phone", "Chrome en teléfono Android"),
        ("Firefox on tablet", "Firefox en tableta"),
        ("Android phone", "Teléfono Android"),
        ("Windows computer", "Ordenador Windows"),
        ("Unknown device", "Dispositivo desconocido"),
        ("Phone", "Teléfono"),
        ("TV app (Chrome on Linux)", "App de TV (Chrome en Linux)"),
        ("Samsung Smart TV", "Samsung Smart TV"),
        ("PlayStation 5", "PlayStation 5"),
    ],
)
def test_the_names_streamguard_gives_devices_read_in_spanish(stored, spanish):
    with translation.override("es"):
        assert device_name_shown(stored) == spanish
    with translation.override("en"):
        assert device_name_shown(stored) == stored


def test_a_name_the_account_holder_gave_is_never_translated(web, spanish_user):
    phone = DeviceFactory(user=spanish_user, name="Phone", given_name="Phone")
    unnamed = DeviceFactory(user=spanish_user, name="Unknown device", kind=Device.Kind.UNKNOWN)

    page = visible_text(web.get("/account/devices/").content.decode(), within="main")

    assert phone.display_name == "Phone"
    assert "Dispositivo desconocido · " in page
    assert "Unknown device" not in page
    assert unnamed.name == "Unknown device"  # stored in English, read in each reader's language
