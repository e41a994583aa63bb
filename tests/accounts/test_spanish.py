"""Every account page in Spanish: no English product word left, from the sign-in page to the
two-step, passkey and e-mail pages, their form errors and their messages."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.utils import translation
from django_otp_webauthn.models import WebAuthnCredential

from accounts import emails, services
from accounts.models import EmailChange, User
from tests.client import Client
from tests.conftest import CHROME_WINDOWS, admin_sign_in, reauthenticate
from tests.factories import PASSWORD, ProfileFactory, UserFactory
from tests.html import visible_text
from tests.mfa.twostep_helpers import totp_code, two_step_on

SPANISH = {"accept-language": "es-ES,es;q=0.9"}

# The product's own English words: none may be left on a page shown in Spanish.
ENGLISH_WORDS = [
    "Sign in",
    "Sign out",
    "Password",
    "Account",
    "Device",
    "Devices",
    "Profile",
    "Profiles",
    "Settings",
    "Save",
    "Cancel",
    "Delete",
    "Remove",
    "Email",
    "Security",
    "Language",
    "Continue",
    "Back",
    "Confirm",
    "passkey",
    "two-step",
    "verification",
    "recovery",
    "Who's watching",
]
ENGLISH = re.compile(
    r"(?<![\w-])(?:" + "|".join(re.escape(word) for word in ENGLISH_WORDS) + r")(?![\w-])",
    re.IGNORECASE,
)


def english_left(html: str) -> list[str]:
    # Codes (recovery codes, a setup key) and the SVG of a QR code hold no words to translate.
    words = visible_text(html, hidden={"svg", "code"})
    return sorted({match.group(0) for match in ENGLISH.finditer(words)})


def assert_spanish(response, status: int = 200) -> str:
    assert response.status_code == status, response.content[:500]
    html = response.content.decode()
    assert '<html lang="es">' in html
    assert english_left(html) == [], f"English left on {response.request['PATH_INFO']}"
    return html


def test_the_checker_finds_english_words():
    html = '<html><title>Sign in</title><a aria-label="Account">x</a><p>Tus llaves</p></html>'

    assert english_left(html) == ["Account", "Sign in"]
    assert english_left("<p>Iniciar sesión</p><code>BACK</code><script>Save</script>") == []


@pytest.fixture
def spanish_user(db) -> User:
    user = UserFactory(name="Robin", language="es", with_profile=False)
    ProfileFactory(user=user, name="Robin")
    return user


@pytest.fixture
def browser(spanish_user, sign_in) -> Client:
    """Signed in, the account's language Spanish; the profile picked."""
    client = sign_in(spanish_user)
    client.post(f"/profiles/{spanish_user.profiles.get().public_id}/pick/")
    return client


@pytest.fixture
def gate_open(browser) -> Client:
    return reauthenticate(browser)


def visitor() -> Client:
    return Client(headers={"user-agent": CHROME_WINDOWS, **SPANISH})


# Pages before sign-in, in the browser's language.


@pytest.mark.parametrize(
    "path",
    [
        "/login/",
        "/signup/",
        "/password-reset/",
        "/password-reset/sent/",
        "/password-reset/done/",
        "/password-reset/MQ/not-a-token/",
        "/language/",
    ],
)
def test_pages_before_sign_in_are_in_spanish(db, path):
    assert_spanish(visitor().get(path))


def test_the_sign_in_page_says_iniciar_sesion(db):
    html = assert_spanish(visitor().get("/login/"))

    assert "Iniciar sesión" in html
    assert "Correo electrónico" in html
    assert "Contraseña" in html
    assert "Iniciar sesión con una llave de acceso" in html
    assert 'data-not-used="No se usó la llave de acceso. Inténtalo de nuevo."' in html


def test_a_wrong_password_is_refused_in_spanish(spanish_user):
    response = visitor().post("/login/", {"username": spanish_user.email, "password": "nope"})

    html = assert_spanish(response)
    assert "Dirección de correo o contraseña incorrecta." in html


def test_sign_up_errors_are_in_spanish(db):
    response = visitor().post("/signup/", {"name": " ", "email": "not-an-address", "password": "1"})

    html = assert_spanish(response)
    assert "Este campo es obligatorio." in html
    # StreamGuard's "tú", not Django's "usted" ("Introduzca…").
    assert "Introduce una dirección de correo electrónico válida." in html
    assert "Introduzca" not in html


USTED = re.compile(
    r"\b(Introduzca|introduzca|Asegúrese|Su contraseña|su contraseña|vuelva|Elija|Escoja|usted)\b"
)


def test_django_password_rules_and_errors_say_tu(gate_open):
    weak = gate_open.post(
        "/account/password/",
        {"old_password": "wrong", "new_password1": "123", "new_password2": "1234"},
    )
    html = assert_spanish(weak)

    assert "Tu contraseña actual no es correcta. Vuelve a escribirla." in html
    assert "Tu contraseña no puede parecerse demasiado a tus otros datos personales." in html
    assert "Tu contraseña debe tener al menos 10 caracteres." in html
    assert "Tu contraseña no puede ser una de las más usadas." in html
    assert "Tu contraseña no puede tener solo números." in html
    assert not USTED.search(html), USTED.search(html)


def test_a_too_short_new_password_is_refused_with_tu(gate_open):
    html = assert_spanish(
        gate_open.post(
            "/account/password/",
            {"old_password": PASSWORD, "new_password1": "84736", "new_password2": "84736"},
        )
    )

    assert "Esta contraseña es demasiado corta: debe tener al menos 10 caracteres." in html
    assert not USTED.search(html), USTED.search(html)


def test_the_language_picker_names_each_language_in_itself(browser):
    html = assert_spanish(browser.get("/account/"))

    assert '<option value="en" lang="en">English</option>' in html
    assert '<option value="es" lang="es" selected>Español</option>' in html
    assert "Inglés" not in html


def test_sign_up_sends_to_a_spanish_check_your_email_page(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = visitor().post(
            "/signup/",
            {"name": "Robin", "email": "robin@example.com", "password": "velvet-otter-marmalade"},
        )

    html = assert_spanish(response)
    assert "Revisa tu correo" in html


def test_a_password_reset_with_a_bad_address_is_refused_in_spanish(db):
    assert_spanish(visitor().post("/password-reset/", {"email": "nope"}))


def test_the_error_pages_are_in_spanish(db, settings):
    settings.DEBUG = False
    assert_spanish(visitor().get("/no-such-page/"), status=404)
    csrf = Client(enforce_csrf_checks=True, headers=SPANISH)
    assert_spanish(csrf.post("/login/", {"username": "a@example.com"}), status=403)


@pytest.mark.parametrize("template", ["400.html", "403.html", "503.html"])
def test_the_other_error_templates_are_in_spanish(rf, template):
    from django.contrib.auth.models import AnonymousUser

    request = rf.get("/")
    request.user = AnonymousUser()
    with translation.override("es"):
        html = render_to_string(template, request=request if template != "503.html" else None)

    assert '<html lang="es">' in html
    assert english_left(html) == []


def test_the_second_step_of_sign_in_is_in_spanish(spanish_user):
    device, _codes = two_step_on(spanish_user)
    WebAuthnCredential.objects.create(
        user=spanish_user, name="Teléfono", credential_id=b"x" * 16, public_key=b"k", confirmed=True
    )
    client = visitor()
    client.post("/login/", {"username": spanish_user.email, "password": PASSWORD})

    assert "Usar una llave de acceso" in assert_spanish(client.get("/login/verify/"))
    assert_spanish(client.get("/login/verify/?method=recovery"))
    html = assert_spanish(client.post("/login/verify/", {"code": "000000"}))
    assert "Ese código no es correcto" in html
    html = assert_spanish(client.post("/login/verify/?method=recovery", {"code": "aaaa"}))
    assert "código de recuperación no es correcto" in html

    response = client.post("/login/verify/", {"code": totp_code(device)}, follow=True)
    assert_spanish(response)


def test_a_timed_out_second_step_says_so_in_spanish(db):
    assert "Vuelve a iniciar sesión" in assert_spanish(visitor().get("/login/verify/", follow=True))


# Pages of a signed-in account whose language is Spanish (whatever the browser asks).


@pytest.mark.parametrize(
    "path",
    ["/profiles/", "/profiles/manage/", "/account/", "/account/confirm-password/"]
    + ["/account/two-step/", "/language/"],
)
def test_account_pages_are_in_spanish(browser, path):
    assert_spanish(browser.get(path, headers={"accept-language": "en"}))


def test_the_account_hub_and_the_picker_use_the_spanish_words(browser):
    assert "¿Quién está viendo?" in assert_spanish(browser.get("/profiles/"))
    html = assert_spanish(browser.get("/account/"))
    assert "<h1>Cuenta</h1>" in html
    assert "<summary>Menú</summary>" in html
    assert "Cerrar sesión" in html
    assert "Gestionar acceso y dispositivos" in html


@pytest.mark.parametrize(
    "path",
    [
        "/profiles/add/",
        "/account/password/",
        "/account/email/",
        "/account/two-step/setup/",
        "/account/passkeys/add/",
    ],
)
def test_pages_behind_the_password_gate_are_in_spanish(gate_open, path):
    assert_spanish(gate_open.get(path))


def test_profile_pages_and_their_messages_are_in_spanish(gate_open, spanish_user):
    kid = ProfileFactory(user=spanish_user, name="Pip", is_kids=True)

    assert_spanish(gate_open.get(f"/profiles/{kid.public_id}/edit/"))
    assert "¿Eliminar el perfil «Pip»?" in assert_spanish(
        gate_open.get(f"/profiles/{kid.public_id}/delete/")
    )
    html = assert_spanish(gate_open.post("/profiles/add/", {"name": " ", "colour": "red"}))
    assert "Este campo es obligatorio." in html

    response = gate_open.post(
        f"/profiles/{kid.public_id}/edit/", {"name": "Pipa", "colour": "green", "is_kids": "on"}
    )
    assert "Perfil guardado." in assert_spanish(gate_open.get(response["Location"]))
    response = gate_open.post(f"/profiles/{kid.public_id}/delete/", follow=True)
    assert "Se eliminó el perfil «Pipa»." in assert_spanish(response)


def test_the_most_profiles_an_account_can_have_is_said_in_spanish(browser, spanish_user):
    for name in ("Ana", "Bea", "Carla", "Dani"):
        ProfileFactory(user=spanish_user, name=name)

    html = assert_spanish(browser.get("/profiles/manage/"))
    assert "Tienes 5 perfiles, el máximo que puede tener una cuenta." in html


def test_a_kids_profile_is_told_in_spanish(spanish_user, sign_in):
    kid = ProfileFactory(user=spanish_user, name="Pip", is_kids=True)
    client = sign_in(spanish_user)
    client.post(f"/profiles/{kid.public_id}/pick/")

    html = assert_spanish(client.get("/account/"), status=403)
    assert "perfil infantil" in html


def test_the_password_gate_refuses_a_wrong_password_in_spanish(browser):
    response = browser.post("/account/confirm-password/", {"password": "wrong"})

    assert "Esa contraseña no es correcta." in assert_spanish(response)


def test_changing_the_password_in_spanish(gate_open):
    html = assert_spanish(gate_open.post("/account/password/", {"old_password": "wrong"}))
    assert "Cerrar sesión en todos los demás dispositivos" in html

    response = gate_open.post(
        "/account/password/",
        {
            "old_password": PASSWORD,
            "new_password1": "a-new-long-passphrase",
            "new_password2": "a-new-long-passphrase",
            "sign_out_others": "on",
        },
        follow=True,
    )
    assert "Contraseña cambiada." in assert_spanish(response)


def test_two_step_pages_and_messages_are_in_spanish(gate_open, spanish_user):
    html = assert_spanish(gate_open.post("/account/two-step/setup/", {"code": "12"}))
    assert "Introduce los 6 dígitos" in html

    device, _codes = two_step_on(spanish_user)
    WebAuthnCredential.objects.create(
        user=spanish_user, name="Portátil", credential_id=b"y" * 16, public_key=b"k", confirmed=True
    )
    html = assert_spanish(gate_open.get("/account/two-step/"))
    assert "Activada" in html
    assert "Te quedan 10 de 10 códigos de recuperación." in html
    assert "Añadida el" in html
    assert "Sin usar" in html

    # Two-step on: the gate now asks for a code as well.
    gate_open.post("/account/confirm-password/", {"password": PASSWORD, "code": totp_code(device)})
    assert_spanish(gate_open.get("/account/two-step/off/"))
    passkey = WebAuthnCredential.objects.get(user=spanish_user)
    html = assert_spanish(
        gate_open.get(f"/account/passkeys/{passkey.credential_id_sha256}/remove/")
    )
    assert "¿Quitar la llave de acceso «Portátil»?" in html

    html = assert_spanish(gate_open.post("/account/two-step/recovery-codes/"))
    assert "Se crearon códigos de recuperación nuevos." in html

    response = gate_open.post("/account/two-step/off/", follow=True)
    assert "La verificación en dos pasos está desactivada." in assert_spanish(response)


def test_adding_a_passkey_without_javascript_is_explained_in_spanish(gate_open):
    html = assert_spanish(gate_open.post("/account/passkeys/add/", {}))
    assert "Este campo es obligatorio." in html
    html = assert_spanish(gate_open.post("/account/passkeys/add/", {"name": "Portátil"}))
    assert "activa JavaScript" in html


def test_the_email_pages_are_in_spanish(
    gate_open, spanish_user, django_capture_on_commit_callbacks
):
    html = assert_spanish(gate_open.post("/account/email/", {"email": spanish_user.email}))
    assert "Esa ya es tu dirección de correo." in html

    with django_capture_on_commit_callbacks(execute=True):
        response = gate_open.post("/account/email/", {"email": "nuevo@example.com"})
    assert "Revisa tu correo" in assert_spanish(response)

    change = EmailChange.objects.get(user=spanish_user)
    confirm = f"/email/change/{emails.change_token(change, 'confirm')}/"
    not_me = f"/email/not-me/{emails.change_token(change, 'not_me')}/"
    assert_spanish(visitor().get(confirm))
    assert "No fui yo" in assert_spanish(visitor().get(not_me))
    assert_spanish(visitor().get("/email/change/forged/"), status=400)

    response = visitor().post(not_me, follow=True)
    assert "Se detuvo el cambio de correo" in assert_spanish(response)
    locked = reauthenticate(visitor_signed_in(spanish_user))
    assert_spanish(locked.get("/account/email/"), status=403)


def visitor_signed_in(user: User) -> Client:
    client = visitor()
    response = client.post("/login/", {"username": user.email, "password": PASSWORD})
    assert response.status_code == 302
    return client


def test_verifying_the_address_is_in_spanish(db, django_capture_on_commit_callbacks):
    user = UserFactory(email_verified_at=None, language="es", with_profile=False)
    ProfileFactory(user=user, name="Robin")
    client = visitor_signed_in(user)

    assert "Verifica tu dirección de correo" in assert_spanish(client.get("/profiles/"))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/account/email/verify/", follow=True)
    assert "Hemos enviado un enlace nuevo" in assert_spanish(response)

    link = f"/email/verify/{emails.verify_token(user)}/"
    assert_spanish(visitor().get(link))
    assert "Dirección de correo verificada." in assert_spanish(visitor().post(link, follow=True))
    assert "Este enlace ya se usó" in assert_spanish(visitor().get(link), status=400)


def test_the_profile_limit_is_refused_in_spanish(spanish_user):
    for name in ("Ana", "Bea", "Carla", "Dani"):
        ProfileFactory(user=spanish_user, name=name)

    with (
        translation.override("es"),
        pytest.raises(ValidationError, match="Una cuenta puede tener como máximo 5 perfiles."),
    ):
        services.profile_create(user=spanish_user, name="Eva", colour="red", is_kids=False)


def test_the_admin_names_accounts_and_profiles_in_spanish(spanish_user):
    agent = User.objects.create_superuser(
        email="agente@streamguard.example", password=PASSWORD, name="Agente", language="es"
    )
    browser = Client()
    admin_sign_in(browser, agent)

    listing = browser.get("/admin/accounts/user/").content.decode()
    change = browser.get(f"/admin/accounts/user/{spanish_user.pk}/change/").content.decode()

    assert "Desactivar y cerrar sesión" in listing
    for words in ["Datos personales", "Sesiones", "Permisos", "Infantil", "Color"]:
        assert words in change, words
    assert "Personal info" not in change
