"""The language: the browser's for a visitor, the account's own once chosen; works without JS."""

from __future__ import annotations

from django.conf import settings

from accounts.models import User
from tests.client import Client


def _lang(response) -> str:
    page = response.content.decode()
    return page.split('<html lang="', 1)[1].split('"', 1)[0]


def test_a_visitor_gets_the_language_their_browser_asks_for(db):
    spanish = Client(headers={"accept-language": "es-MX,es;q=0.9,en;q=0.5"})
    english = Client(headers={"accept-language": "en-GB,en;q=0.9"})

    assert _lang(spanish.get("/login/")) == "es"
    assert _lang(english.get("/login/")) == "en"


def test_the_footer_switch_works_without_javascript_and_sticks(db):
    browser = Client(headers={"accept-language": "en"})
    page = browser.get("/login/").content.decode()
    assert 'action="/language/"' in page

    response = browser.post("/language/", {"language": "es", "next": "/login/"})

    assert response.status_code == 302
    assert response["Location"] == "/login/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "es"
    assert _lang(browser.get("/login/")) == "es"


def test_a_signed_in_account_keeps_its_choice_on_every_device(user, sign_in):
    laptop = sign_in(user)
    laptop.post("/language/", {"language": "es"})

    user.refresh_from_db()
    assert user.language == "es"
    # Another browser asking for English still gets the account's Spanish once signed in.
    phone = sign_in(user)
    assert _lang(phone.get("/account/", headers={"accept-language": "en-US,en;q=0.9"})) == "es"


def test_an_unknown_language_is_refused_with_a_message_and_changes_nothing(user, sign_in):
    browser = sign_in(user)

    response = browser.post("/language/", {"language": "xx"})

    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert User.objects.get(pk=user.pk).language == ""


def test_the_account_hub_links_to_the_language_page(user, sign_in):
    page = sign_in(user).get("/account/").content.decode()

    assert 'href="/language/"' in page
