"""Error pages in the site's layout with a way back; the 500 page stands on its own."""

from __future__ import annotations

import pytest
from django.template.loader import get_template

from tests.client import Client

pytestmark = pytest.mark.django_db


@pytest.fixture
def production(settings) -> None:
    settings.DEBUG = False


def test_a_missing_page_is_branded_with_a_way_home(production, client):
    response = client.get("/no-such-page/")

    page = response.content.decode()
    assert response.status_code == 404
    assert "Page not found" in page
    assert 'href="/">Go to StreamGuard' in page
    assert 'class="site-header"' in page


def test_a_form_from_an_out_of_date_page_gets_the_friendly_csrf_page(production):
    browser = Client(enforce_csrf_checks=True)

    response = browser.post("/login/", {"username": "a@example.com", "password": "x"})

    page = response.content.decode()
    assert response.status_code == 403
    assert "This page is out of date — reload it" in page
    assert 'href="/">Go to StreamGuard' in page
    assert "CSRF verification failed" not in page


@pytest.mark.parametrize(
    ("template", "heading"),
    [
        ("400.html", "That request could not be understood"),
        ("403.html", "You can't open this page"),
        ("404.html", "Page not found"),
    ],
)
def test_the_400_403_and_404_pages_use_the_layout(rf, template, heading):
    from django.contrib.auth.models import AnonymousUser

    request = rf.get("/")
    request.user = AnonymousUser()

    page = get_template(template).render({}, request)

    assert heading in page
    assert 'href="/">Go to StreamGuard' in page


def test_the_500_page_needs_no_context_no_request_and_no_template_tags():
    source = open(get_template("500.html").origin.name, encoding="utf-8").read()  # noqa: SIM115

    page = get_template("500.html").render({})

    assert "{%" not in source
    assert "{{" not in source
    assert "Something went wrong on our side" in page
    assert 'href="/"' in page


@pytest.mark.parametrize(
    ("template", "words"),
    [("500.es.html", "Algo ha fallado por nuestra parte")],
)
def test_each_language_has_its_own_plain_500_page(settings, template, words):
    languages = {code for code, _name in settings.LANGUAGES} - {settings.LANGUAGE_CODE}
    assert {f"500.{code}.html" for code in languages} == {template}
    source = open(get_template(template).origin.name, encoding="utf-8").read()  # noqa: SIM115

    page = get_template(template).render({})

    assert "{%" not in source
    assert "{{" not in source
    assert words in page
    assert '<html lang="es">' in page


def test_an_error_in_a_view_renders_the_plain_500_page(production, settings, client):
    from django.contrib.auth.decorators import login_not_required
    from django.urls import path

    @login_not_required
    def broken(request):
        raise RuntimeError("boom")

    import config.urls

    urls = type(
        "urls",
        (),
        {
            "urlpatterns": [path("boom/", broken), *config.urls.urlpatterns],
            "handler500": config.urls.handler500,
        },
    )
    settings.ROOT_URLCONF = urls
    client.raise_request_exception = False

    response = client.get("/boom/")

    assert response.status_code == 500
    assert "Something went wrong on our side" in response.content.decode()
    spanish = client.get("/boom/", headers={"accept-language": "es"})
    assert spanish.status_code == 500
    assert "Algo ha fallado por nuestra parte" in spanish.content.decode()
