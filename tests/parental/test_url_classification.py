"""Every URL of accounts, parental, catalog and tv says what a Kids profile may do there.

A new URL fails test_every_url_is_classified until it is put in URLS, and each class is
then tried for real: as the child on the Kids profile (a PIN set on the account), as an
adult profile that has not re-entered the password, and signed out.
"""

from __future__ import annotations

import html

import pytest
from django.urls import URLPattern, reverse

import accounts.urls
import catalog.urls
import mfa.urls
import parental.urls
import security.urls
import tv.urls
from catalog.models import Viewing
from tests.catalog.factories import ViewingFactory
from tests.client import Client
from tests.conftest import SAFARI_IPHONE

from .helpers import snapshot

pytestmark = pytest.mark.django_db

PUBLIC = "public"  # works signed out
KIDS = "kids"  # a Kids profile may use it (the catalog asks parental.policy)
PIN = "pin"  # leaving the Kids profile, or what is above its level, asks for the PIN
PASSWORD = "password"  # the password re-entry gate, and never on a Kids profile
CLOSED = "closed"  # account settings: never on a Kids profile

URLS: dict[str, tuple[str, str]] = {
    # accounts
    "signup": (PUBLIC, "get"),
    "login": (PUBLIC, "get"),
    "logout": (KIDS, "post"),
    "profiles": (KIDS, "get"),
    "profile_manage": (CLOSED, "get"),
    "profile_add": (PASSWORD, "post"),
    # Open to an adult profile; unticking "Kids" is behind the gate (tests/parental/test_escapes).
    "profile_edit": (CLOSED, "post"),
    "profile_delete": (PASSWORD, "post"),
    "account": (CLOSED, "get"),
    "checkup": (CLOSED, "get"),
    "checkup_dismiss": (CLOSED, "post"),
    "secure_account": (PASSWORD, "get"),
    "secure_account_two_step": (CLOSED, "get"),
    "secure_account_done": (CLOSED, "get"),
    "confirm_password": (CLOSED, "get"),
    "password_change": (CLOSED, "get"),
    "password_reset": (PUBLIC, "get"),
    "password_reset_done": (PUBLIC, "get"),
    "password_reset_confirm": (PUBLIC, "get"),
    "password_reset_complete": (PUBLIC, "get"),
    "language": (PUBLIC, "get"),
    # Two-step verification, passkeys and e-mail.
    "login_verify": (PUBLIC, "get"),
    "login_verify_cancel": (PUBLIC, "post"),
    "two_step": (CLOSED, "get"),
    "two_step_setup": (PASSWORD, "get"),
    "two_step_off": (PASSWORD, "get"),
    "recovery_codes_new": (PASSWORD, "post"),
    "recovery_codes_download": (CLOSED, "post"),
    "passkey_add": (PASSWORD, "get"),
    "passkey_remove": (PASSWORD, "get"),
    # The WebAuthn ceremonies answer JSON; registering checks the gate itself.
    "passkey_register_begin": (PUBLIC, "post"),
    "passkey_register_complete": (PUBLIC, "post"),
    "passkey_sign_in": (PUBLIC, "get"),
    "passkey_auth_begin": (PUBLIC, "post"),
    "passkey_auth_complete": (PUBLIC, "post"),
    "email_change": (PASSWORD, "get"),
    "email_verify_resend": (CLOSED, "post"),
    "email_verify": (PUBLIC, "get"),
    "email_change_confirm": (PUBLIC, "get"),
    "email_change_not_me": (PUBLIC, "get"),
    "not_me": (PUBLIC, "get"),
    # parental
    "parental_overview": (PASSWORD, "get"),
    "parental_pin": (PASSWORD, "get"),
    "parental_pin_remove": (PASSWORD, "post"),
    "time_zone": (PASSWORD, "get"),
    "profile_parental": (PASSWORD, "post"),
    "parental_title_search": (PASSWORD, "get"),
    "parental_title_block": (PASSWORD, "post"),
    "parental_title_unblock": (PASSWORD, "post"),
    "profile_pick": (PIN, "post"),
    "profile_unlock": (PIN, "post"),
    # catalog
    "browse": (KIDS, "get"),
    "search": (KIDS, "get"),
    "title": (KIDS, "get"),
    "poster": (KIDS, "get"),
    "unlock": (PIN, "get"),
    "watch": (KIDS, "get"),
    "heartbeat": (KIDS, "post"),
    "stop": (KIDS, "post"),
    "activity": (KIDS, "get"),
    # Exporting data needs the account password re-entered (the security rules).
    "activity_download": (PASSWORD, "get"),
    "hide": (CLOSED, "post"),
    "unhide": (CLOSED, "post"),
    "streaming_activity": (CLOSED, "get"),
    # tv
    "tv_home": (PUBLIC, "get"),
    "tv_poll": (PUBLIC, "post"),
    "tv_heartbeat": (PUBLIC, "get"),
    "tv_profile": (PIN, "post"),
    "tv_sign_out": (KIDS, "post"),
    "tv_settings": (KIDS, "get"),
}


def _names() -> set[str]:
    modules = (accounts.urls, security.urls, mfa.urls, parental.urls, catalog.urls, tv.urls)
    return {
        p.name
        for module in modules
        for p in module.urlpatterns
        if isinstance(p, URLPattern) and p.name
    }


def test_every_url_is_classified():
    assert _names() == set(URLS), "classify each new URL: public, kids, pin, password or closed"


@pytest.fixture
def world(user, with_pin, kids_profile, kids_title, adult_title):
    parent = user.profiles.exclude(pk=kids_profile.pk).get()
    viewing = ViewingFactory(
        profile=kids_profile, title=kids_title, stopped_at=None, stop_reason=""
    )
    return {"parent": parent, "kids": kids_profile, "viewing": viewing, "adult": adult_title}


def _url(name: str, world: dict, *, target: str) -> str:
    """The URL, aimed at what the class is about: the Kids profile's own things, or the
    adult profile and the adult title for what needs the PIN or the password."""
    namespace = "catalog:" if name in {p.name for p in catalog.urls.urlpatterns} else ""
    pattern = next(
        p
        for m in (accounts.urls, security.urls, mfa.urls, parental.urls, catalog.urls, tv.urls)
        for p in m.urlpatterns
        if p.name == name
    )
    profile = world["parent"] if target == "adult" else world["kids"]
    slug = world["adult"].slug if target == "adult" else world["viewing"].title.slug
    candidates = {
        "public_id": world["viewing"].public_id
        if name in {"heartbeat", "stop"}
        else profile.public_id,
        "viewing_id": world["viewing"].public_id,
        "slug": slug,
        "uidb64": "MQ",
        "token": "set-password",
        "key": "no-such-passkey",
    }
    kwargs = {key: candidates[key] for key in pattern.pattern.converters}
    return reverse(namespace + name, kwargs=kwargs)


def text(response) -> str:
    return html.unescape(response.content.decode())


@pytest.fixture
def child(world, sign_in) -> Client:
    browser = sign_in(world["kids"].user, user_agent=SAFARI_IPHONE)
    assert browser.post(f"/profiles/{world['kids'].public_id}/pick/").status_code == 302
    return browser


@pytest.mark.parametrize("name", [n for n, (kind, _) in URLS.items() if kind == KIDS])
def test_what_kids_may_use_opens_on_the_kids_profile(name, world, child):
    method = URLS[name][1]

    response = getattr(child, method)(_url(name, world, target="kids"))

    assert response.status_code in (200, 204, 302), name
    assert "confirm-password" not in response.get("Location", ""), name
    if name not in {"logout", "tv_sign_out"}:
        assert child.session["profile_id"] == str(world["kids"].public_id), name


@pytest.mark.parametrize("name", [n for n, (kind, _) in URLS.items() if kind == PIN])
def test_what_needs_the_pin_asks_for_it_and_opens_nothing(name, world, child):
    method = URLS[name][1]
    before = snapshot(world["kids"].user)
    viewings = Viewing.objects.count()

    response = getattr(child, method)(_url(name, world, target="adult"), follow=True)

    assert 'name="pin"' in text(response), name
    assert "Parental PIN" in text(response), name
    assert child.session["profile_id"] == str(world["kids"].public_id), name
    assert snapshot(world["kids"].user) == before
    assert Viewing.objects.count() == viewings


@pytest.mark.parametrize("name", [n for n, (kind, _) in URLS.items() if kind in (PASSWORD, CLOSED)])
def test_settings_are_closed_to_the_kids_profile(name, world, child):
    method = URLS[name][1]
    before = snapshot(world["kids"].user)

    response = getattr(child, method)(_url(name, world, target="kids"), {"name": "Grown-up"})

    assert response.status_code in (403, 404), name
    assert snapshot(world["kids"].user) == before


@pytest.mark.parametrize("name", [n for n, (kind, _) in URLS.items() if kind == PASSWORD])
def test_what_needs_the_password_sends_an_adult_profile_to_the_gate(name, world, sign_in):
    adult = sign_in(world["parent"].user)
    adult.post(f"/profiles/{world['parent'].public_id}/pick/")
    before = snapshot(world["parent"].user)
    url = _url(name, world, target="kids")

    page = getattr(adult, URLS[name][1])(url, {"name": "Sneaky", "colour": "red"})
    fragment = getattr(adult, URLS[name][1])(url, headers={"HX-Request": "true"})

    assert page.status_code == 302, name
    assert page["Location"].startswith("/account/confirm-password/?next="), name
    assert fragment["HX-Redirect"].startswith("/account/confirm-password/?next="), name
    assert snapshot(world["parent"].user) == before


@pytest.mark.parametrize("name", [n for n, (kind, _) in URLS.items() if kind == PUBLIC])
def test_public_urls_open_signed_out(name, world):
    response = getattr(Client(), URLS[name][1])(_url(name, world, target="kids"))

    assert response.status_code < 500, name
    # Steps of signing in, reached with no sign-in under way, go back to its start.
    if name not in SIGN_IN_STEPS:
        assert not response.get("Location", "").startswith("/login/"), name


SIGN_IN_STEPS = {"login_verify", "login_verify_cancel", "passkey_sign_in"}
