"""Every page of StreamGuard in Spanish, with none of the product's English words left.

A new URL fails test_every_url_is_listed until it is put in PAGES (a page a person opens) or
NOT_PAGES (with the reason it shows no words of its own). Each page is then opened for real by a
Spanish-speaking household — signed out with a Spanish browser, signed in with the account's
language set to Spanish, on the TV — and its visible words, page title and the words read out
to screen readers are searched for the product's English terms.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.contrib import admin
from django.contrib.admin import ModelAdmin
from django.contrib.admin.utils import label_for_field
from django.contrib.auth.hashers import make_password
from django.db.models import Model
from django.test import RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import translation

from accounts.emails import mail_enqueue
from catalog.models import Rating
from devices import pairing
from devices.models import Device, PairingCode
from parental.models import ParentalPin
from parental.services import controls_for
from tests.catalog.factories import TitleFactory, ViewingFactory
from tests.client import Client
from tests.conftest import PASSWORD, SAFARI_IPHONE, SAMSUNG_TV, admin_sign_in
from tests.devices.pairing_helpers import approve, code_on_screen, poll
from tests.factories import ProfileFactory, UserFactory
from tests.html import visible_text

pytestmark = pytest.mark.django_db

# The product's own words: any of them on a Spanish page means a string was not marked.
ENGLISH_TERMS = [
    "Account",
    "Activity",
    "Back",
    "Browse",
    "Cancel",
    "Change",
    "Computer",
    "Continue",
    "Delete",
    "Device",
    "Devices",
    "Download",
    "Email",
    "Forgot",
    "Game console",
    "Kids",
    "Language",
    "Location",
    "minutes",
    "Parental",
    "passkey",
    "Passkey",
    "Password",
    "Phone",
    "Play",
    "Profile",
    "Profiles",
    "Remove",
    "Rename",
    "Save",
    "Search",
    "Security",
    "Settings",
    "Sign in",
    "Sign out",
    "Signed in",
    "This device",
    "Two-step",
    "two-step",
    "Watch",
    "Who's watching",
    "Yes",
]
_TERMS = re.compile(r"\b(?:" + "|".join(re.escape(t) for t in ENGLISH_TERMS) + r")\b")


def english_left(page: str) -> list[str]:
    """The English product terms found in the page's words, with the words around them."""
    words = visible_text(page)
    return [words[max(0, m.start() - 40) : m.end() + 40] for m in _TERMS.finditer(words)]


# How each page is reached: who opens it, and its URL from the household's things.
SIGNED_OUT = "signed out"  # a visitor whose browser asks for Spanish
SIGNED_IN = "signed in"  # the account holder, password just re-entered, adult profile picked
ON_THE_TV = "tv"  # a paired TV of the account

PAGES: dict[str, str] = {
    "home": SIGNED_IN,
    "signup": SIGNED_OUT,
    "login": SIGNED_OUT,
    "login_verify": SIGNED_OUT,
    "profiles": SIGNED_IN,
    "profile_manage": SIGNED_IN,
    "profile_add": SIGNED_IN,
    "profile_edit": SIGNED_IN,
    "profile_delete": SIGNED_IN,
    "account": SIGNED_IN,
    "checkup": SIGNED_IN,
    "secure_account": SIGNED_IN,
    "secure_account_two_step": SIGNED_IN,
    "secure_account_done": SIGNED_IN,
    "language": SIGNED_IN,
    "confirm_password": SIGNED_IN,
    "two_step": SIGNED_IN,
    "two_step_setup": SIGNED_IN,
    "two_step_off": SIGNED_IN,
    "passkey_add": SIGNED_IN,
    "passkey_remove": SIGNED_IN,
    "passkey_sign_in": SIGNED_OUT,
    "email_change": SIGNED_IN,
    "email_verify": SIGNED_OUT,
    "email_change_confirm": SIGNED_OUT,
    "email_change_not_me": SIGNED_OUT,
    "password_change": SIGNED_IN,
    "password_reset": SIGNED_OUT,
    "password_reset_done": SIGNED_OUT,
    "password_reset_confirm": SIGNED_OUT,
    "password_reset_complete": SIGNED_OUT,
    "devices:list": SIGNED_IN,
    "devices:sign_out_all": SIGNED_IN,
    "devices:remove": SIGNED_IN,
    "devices:rename": SIGNED_IN,
    "not_me": SIGNED_OUT,
    "devices:security": SIGNED_IN,
    "devices:activate": SIGNED_IN,
    "devices:activate_confirm": SIGNED_IN,
    "catalog:browse": SIGNED_IN,
    "catalog:search": SIGNED_IN,
    "catalog:title": SIGNED_IN,
    "catalog:unlock": SIGNED_IN,
    "catalog:watch": SIGNED_IN,
    "catalog:activity": SIGNED_IN,
    "catalog:streaming_activity": SIGNED_IN,
    "tv_home": ON_THE_TV,
    "tv_settings": ON_THE_TV,
    "parental_overview": SIGNED_IN,
    "parental_pin": SIGNED_IN,
    "time_zone": SIGNED_IN,
    "profile_parental": SIGNED_IN,
    "parental_title_search": SIGNED_IN,
    "privacy:data_download": SIGNED_IN,
    "privacy:account_delete": SIGNED_IN,
    "privacy:account_deleted": SIGNED_OUT,
}

NOT_PAGES: dict[str, str] = {
    "login_verify_cancel": "POST only; goes back to the sign-in page",
    "logout": "POST only; goes to the sign-in page",
    "recovery_codes_new": "POST only; shows the two-step page",
    "recovery_codes_download": "a text file of codes",
    "passkey_register_begin": "JSON for the browser's WebAuthn call",
    "passkey_register_complete": "JSON for the browser's WebAuthn call",
    "passkey_auth_begin": "JSON for the browser's WebAuthn call",
    "passkey_auth_complete": "JSON for the browser's WebAuthn call",
    "email_verify_resend": "POST only; shows the account hub",
    "checkup_dismiss": "POST only; shows the Security checkup",
    "devices:sign_out": "POST only; shows the devices page",
    "devices:activate_approve": "POST only; shows the devices page",
    "devices:activate_approve_24h": "POST only; shows the devices page",
    "devices:activate_cancel": "POST only; shows the account hub",
    "catalog:poster": "an SVG picture of the title's name",
    "catalog:heartbeat": "POST only, for the player",
    "catalog:stop": "POST only; shows the title page",
    "catalog:activity_download": "a CSV file",
    "catalog:hide": "POST only; shows the viewing activity",
    "catalog:unhide": "POST only; shows the viewing activity",
    "tv_poll": "POST only, the TV's poll while it shows its code",
    "tv_heartbeat": "an empty answer, the TV's keep-alive",
    "tv_profile": "POST only; shows the rows",
    "tv_sign_out": "POST only; shows the code screen",
    "parental_pin_remove": "POST only; shows the PIN page",
    "parental_title_block": "POST only; shows the parental controls",
    "parental_title_unblock": "POST only; shows the parental controls",
    "profile_pick": "POST only; shows the PIN entry or the rows",
    "profile_unlock": "POST only; shows the PIN entry or the rows",
    "oauth2_provider:device-authorization": "JSON for native apps (RFC 8628)",
    "oauth2_provider:token": "JSON for native apps (RFC 6749, RFC 8628)",
    "oauth2_provider:revoke-token": "JSON for native apps (RFC 7009)",
    "oauth2_provider:introspect": "JSON for native apps (RFC 7662)",
    "oauth-server-metadata": "JSON metadata for native apps (RFC 8414)",
    "api:me": "JSON for native apps, bearer tokens only",
    "api:profile_select": "JSON for native apps, bearer tokens only",
    "api:titles": "JSON for native apps, bearer tokens only",
    "api:playback": "JSON for native apps, bearer tokens only",
    "api:heartbeat": "JSON for native apps, bearer tokens only",
    "api:sign_out": "JSON for native apps, bearer tokens only",
    "healthz": "for load balancers, no words",
    "readyz": "for load balancers, no words",
}


def test_every_url_is_listed():
    assert set(_patterns()) == set(PAGES) | set(NOT_PAGES), "put each new URL in PAGES or NOT_PAGES"


@pytest.fixture
def household(db) -> dict:
    """A Spanish-speaking household: an adult and a Kids profile, titles, a viewing, a TV."""
    user = UserFactory(language="es")
    adult = user.profiles.get()
    kids = ProfileFactory(user=user, name="Nico", is_kids=True)
    title = TitleFactory(slug="capitan-tetera", name="Capitán Tetera", rating=Rating.G)
    TitleFactory(slug="naranja-sangre", name="Naranja Sangre", rating=Rating.NC_17)
    viewing = ViewingFactory(profile=adult, title=title)
    return {"user": user, "adult": adult, "kids": kids, "title": title, "viewing": viewing}


def _spanish_visitor() -> Client:
    return Client(headers={"accept-language": "es-ES,es;q=0.9"})


def _signed_in(household: dict) -> Client:
    browser = Client(headers={"user-agent": SAFARI_IPHONE, "accept-language": "en-US,en"})
    user = household["user"]
    assert (
        browser.post("/login/", {"username": user.email, "password": PASSWORD}).status_code == 302
    )
    assert browser.post("/account/confirm-password/", {"password": PASSWORD}).status_code == 302
    assert browser.post(f"/profiles/{household['adult'].public_id}/pick/").status_code == 302
    return browser


def _tv(accept_language: str) -> Client:
    return Client(
        headers={"user-agent": SAMSUNG_TV, "accept-language": accept_language},
        REMOTE_ADDR="81.2.69.142",
    )


def _paired_tv(web: Client) -> Client:
    """A TV whose browser asks for English: once paired it speaks the account's Spanish."""
    tv = _tv("en-US,en")
    approve(web, code_on_screen(tv))
    poll(tv)
    return tv


def _pending_code() -> object:
    """A TV showing its code, waiting for the account holder to approve it."""
    tv = _tv("es")
    code_on_screen(tv)
    return PairingCode.objects.get(secret_hash=pairing.secret_hash(tv.cookies["sg_tv"].value)).id


def _patterns() -> dict[str, URLPattern]:
    found: dict[str, URLPattern] = {}

    def walk(patterns: list, namespace: str) -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                if p.app_name != "admin":
                    walk(p.url_patterns, f"{p.namespace}:" if p.namespace else namespace)
            elif isinstance(p, URLPattern) and p.name:
                found[namespace + p.name] = p

    walk(get_resolver().url_patterns, "")
    return found


def _url(name: str, household: dict) -> str:
    """The page's URL, aimed at the household's own things."""
    device = Device.objects.filter(user=household["user"]).first()
    values: dict[str, Callable[[], object]] = {
        "public_id": lambda: household["adult"].public_id,
        "slug": lambda: household["title"].slug,
        "device_id": lambda: device.id if device else None,
        "token": lambda: "no-such-token",
        "key": lambda: "no-such-passkey",
        "uidb64": lambda: "MQ",
        "code_id": _pending_code,
    }
    converters = _patterns()[name].pattern.converters
    url = reverse(name, kwargs={key: values[key]() for key in converters})
    return url + QUERIES.get(name, "")


QUERIES = {"catalog:search": "?q=Capit", "parental_title_search": "?q=Naranja"}


@pytest.mark.parametrize("name", sorted(PAGES))
def test_the_page_speaks_spanish(name, household):
    web = _signed_in(household)
    client = {SIGNED_OUT: _spanish_visitor, SIGNED_IN: lambda: web}.get(PAGES[name])
    browser = client() if client else _paired_tv(web)

    response = browser.get(_url(name, household), follow=True)

    # A link with a bad token answers its "link does not work" page (400), a foreign id 404.
    assert response.status_code in (200, 400, 404), (name, response.status_code)
    page = response.content.decode()
    assert '<html lang="es"' in page, name
    assert english_left(page) == [], name


@pytest.fixture
def staff_in_spanish(household) -> Client:
    """A support agent whose account speaks Spanish, signed into the admin."""
    _signed_in(household)  # a device and security events to list
    ParentalPin.objects.create(user=household["user"], pin_hash=make_password("2468"))
    controls_for(household["kids"])
    user = household["user"]
    mail_enqueue(user=user, to=user.email, subject="Hola", body="Hola\n")  # a mail task to list
    agent = UserFactory(language="es", is_staff=True, is_superuser=True)
    return admin_sign_in(Client(), agent)


def _our_admins() -> list[tuple[type[Model], ModelAdmin]]:
    ours = {"accounts", "devices", "catalog", "parental", "privacy"}
    return [(m, a) for m, a in admin.site._registry.items() if m._meta.app_label in ours]


def _english_and_spanish(text: Callable[[], object]) -> tuple[str, str]:
    with translation.override("en"):
        english = str(text())
    with translation.override("es"):
        spanish = str(text())
    return english, spanish


@pytest.mark.parametrize("model", [m for m, _ in _our_admins()], ids=lambda m: m._meta.label_lower)
def test_the_admin_names_our_models_and_columns_in_spanish(model, staff_in_spanish):
    model_admin = admin.site._registry[model]
    words = [lambda: model._meta.verbose_name_plural]
    words += [
        (lambda field=field: label_for_field(field, model, model_admin))
        for field in model_admin.get_list_display(RequestFactory().get("/"))
        if field != "action_checkbox"
    ]

    page = staff_in_spanish.get(
        reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    ).content.decode()

    assert '<html lang="es"' in page
    left = []
    for word in words:
        english, spanish = _english_and_spanish(word)
        if english != spanish:
            # The admin capitalises column headers.
            assert spanish.lower() in page.lower(), (english, spanish)
        elif re.search(r"[a-z]{3}", english) and english not in {"slug"}:
            left.append(english)
    assert left == [], "name these in Spanish (gettext_lazy verbose names and labels)"
