"""The catalog's pages, fragments and messages in Spanish: no English product word is left.

Only what the catalog renders is read: the page's <title> and <main> (the header, menu and
footer around it belong to the base layout, checked by its own tests), or a whole fragment.
"""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import override_settings
from django.utils import timezone

from accounts.models import Profile, User
from catalog.models import Title, Viewing
from parental.models import ProfileControls
from parental.services import controls_for
from tests.conftest import GOOD_PIN, SAMSUNG_TV
from tests.factories import PASSWORD, ProfileFactory, UserFactory

from .conftest import HTMX, device_of, make_viewings
from .factories import GenreFactory, TitleFactory, ViewingFactory
from .spanish_helpers import assert_spanish


@pytest.fixture
def spanish_user(db) -> User:
    return UserFactory(name="Marta", language="es", time_zone="Europe/Madrid")


@pytest.fixture
def spanish_profile(spanish_user: User) -> Profile:
    return spanish_user.profiles.get()


@pytest.fixture
def shelf(db) -> dict[str, Title]:
    comedy = GenreFactory(slug="comedy", name="Comedy")
    return {
        "film": TitleFactory(slug="captain-kettle", name="Captain Kettle", genres=[comedy]),
        "series": TitleFactory(
            slug="harbour-lights",
            name="Harbour Lights",
            kind=Title.Kind.SERIES,
            seasons=3,
            runtime_minutes=45,
            genres=[comedy],
        ),
        "other": TitleFactory(slug="paper-moon", name="Paper Moon", genres=[comedy]),
    }


@pytest.fixture
def es_browser(watch_as, spanish_profile: Profile):
    return watch_as(spanish_profile)


def test_browse_and_search_in_spanish(es_browser, spanish_profile, shelf):
    ViewingFactory(
        profile=spanish_profile, title=shelf["film"], position_seconds=600, stop_reason="stopped"
    )

    assert_spanish(
        es_browser.get("/browse/"),
        "Explorar",
        "Seguir viendo para Marta",
        "Buscar títulos y géneros",
        "Captain Kettle: 10 % visto",
    )
    assert_spanish(es_browser.get("/search/"), "Escribe al menos 2 caracteres")
    assert_spanish(es_browser.get("/search/?q=a"), "Escribe al menos 2 caracteres para buscar.")
    assert_spanish(es_browser.get("/search/?q=" + "x" * 101), "hasta 100 caracteres")
    assert_spanish(es_browser.get("/search/?q=moon"), "1 título para «moon»")
    assert_spanish(es_browser.get("/search/?q=kettle+moon"), "Ningún título coincide")
    fragment = es_browser.get("/search/?q=comedy", headers=HTMX)
    assert_spanish(fragment, "3 títulos para «comedy»", whole=True)


def test_title_page_in_spanish(es_browser, spanish_profile, shelf):
    ViewingFactory(profile=spanish_profile, title=shelf["series"], position_seconds=125)

    words = assert_spanish(
        es_browser.get("/title/harbour-lights/"),
        "Serie",
        "3 temporadas",
        "45 min por episodio",
        "Reproducir",
        "Se reanuda en 2:05",
        "Reproducir desde el principio",
        "13+",
    )
    assert "Harbour Lights" in words  # the title's name is catalog data, never translated
    poster = es_browser.get("/title/harbour-lights/poster.svg")
    assert b">SERIE<" in poster.content


def test_a_refused_title_explains_in_spanish(es_browser, spanish_profile, shelf):
    # Midday in Madrid, the account's zone: 20 minutes ago is today there whatever the clock
    # (from 23:00 to 23:20 UTC it would be yesterday, and today's limit not used up).
    madrid = timezone.now().astimezone(ZoneInfo("Europe/Madrid"))
    noon = madrid.replace(hour=12, minute=0, second=0, microsecond=0)
    with time_machine.travel(noon if noon > madrid else noon + timedelta(days=1), tick=True):
        controls = ProfileControls.objects.create(profile=spanish_profile, daily_limit_minutes=15)
        ViewingFactory(
            profile=spanish_profile,
            title=shelf["other"],
            started_at=timezone.now() - timedelta(minutes=20),
            last_heartbeat_at=timezone.now() - timedelta(minutes=1),
        )
        assert controls.daily_limit_minutes == 15

        assert_spanish(
            es_browser.get("/title/captain-kettle/", follow=True),
            "Marta ya ha usado sus 15 minutos de hoy.",
        )
        assert_spanish(
            es_browser.get("/title/captain-kettle/unlock/"),
            "Esta cuenta no tiene PIN parental",
            "Volver a Explorar",
        )


def test_watch_player_and_heartbeat_fragment_in_spanish(es_browser, spanish_profile, shelf):
    ProfileControls.objects.create(profile=spanish_profile, daily_limit_minutes=90)

    assert_spanish(
        es_browser.get("/watch/captain-kettle/"), "Te quedan 90 minutos hoy", "Reproducir"
    )
    started = es_browser.post("/watch/captain-kettle/", follow=True)
    assert_spanish(started, "Reproduciendo en", "Guardar por dónde voy", "Detener", "Progreso")
    viewing = Viewing.objects.get(profile=spanish_profile)
    beat = es_browser.post(f"/viewings/{viewing.public_id}/heartbeat/", headers=HTMX)
    assert_spanish(beat, "Reproduciendo en", "Detener", whole=True)
    stopped = es_browser.post(
        f"/viewings/{viewing.public_id}/stop/", {"title": "captain-kettle"}, follow=True
    )
    assert_spanish(stopped, "Reproducción detenida en Chrome en Windows.")
    player = es_browser.get(f"/watch/captain-kettle/?v={viewing.public_id}")
    assert_spanish(player, "Se detuvo la reproducción.", "Reproducir de nuevo")


@override_settings(STREAM_LIMIT=1)
def test_the_stream_limit_page_and_fragment_in_spanish(es_browser, watch_as, spanish_user, shelf):
    other = ProfileFactory(user=spanish_user, name="Nico")
    tv = watch_as(other, user_agent=SAMSUNG_TV)
    tv.post("/watch/paper-moon/")
    playing = Viewing.objects.get(profile=other)

    limit = es_browser.post("/watch/captain-kettle/")
    assert limit.status_code == 409
    assert_spanish(
        limit,
        "Hay demasiadas personas viendo ahora mismo",
        "Tu cuenta puede reproducir en 1 pantalla a la vez.",
        f"Detener la reproducción en {playing.device_name}",
        "desde las",
    )
    freed = es_browser.post(
        f"/viewings/{playing.public_id}/stop/", {"title": "captain-kettle"}, headers=HTMX
    )
    assert_spanish(freed, "Hay una pantalla libre", "Ya puedes ver Captain Kettle", whole=True)


def test_unlock_page_with_the_pin_pad_in_spanish(es_browser, spanish_user, shelf, with_pin):
    adult = TitleFactory(slug="night-shift", name="Night Shift", rating="NC-17")
    profile = spanish_user.profiles.get()
    controls = controls_for(profile)
    controls.maturity = 13
    controls.save()
    assert adult.min_age == 18

    pad = es_browser.get("/title/night-shift/", follow=True)
    assert_spanish(
        pad,
        "por encima del nivel de madurez de Marta",
        "Introduce el PIN parental para verlo",
        "PIN parental",
        "Teclado del PIN",
        "Borrar",
        "¿Olvidaste el PIN?",
    )
    wrong = es_browser.post("/title/night-shift/unlock/", {"pin": "0000"})
    assert_spanish(wrong, "Ese PIN no es correcto. Te quedan 4 intentos.")
    letters = es_browser.post("/title/night-shift/unlock/", {"pin": "abcd"})
    assert_spanish(letters, "Usa solo cifras")


@pytest.fixture
def with_pin(spanish_user):
    from django.contrib.auth.hashers import make_password

    from parental.models import ParentalPin

    ParentalPin.objects.create(user=spanish_user, pin_hash=make_password(GOOD_PIN))
    return GOOD_PIN


def test_viewing_activity_its_fragments_and_messages_in_spanish(es_browser, spanish_profile, shelf):
    viewings = [
        ViewingFactory(
            profile=spanish_profile,
            title=shelf["film"],
            started_at=timezone.now() - timedelta(days=n + 1),
        )
        for n in range(25)
    ]
    url = f"/profiles/{spanish_profile.public_id}/activity/"

    page = assert_spanish(
        es_browser.get(url), "Actividad de visualización", "Descargar todo", "Ocultar", "Fecha"
    )
    assert "Mostrar más" in page
    more = es_browser.get(f"{url}?before={viewings[19].public_id}", headers=HTMX)
    assert_spanish(more, "Ocultar", whole=True)
    hidden = es_browser.post(f"{url}{viewings[0].public_id}/hide/", headers=HTMX)
    assert_spanish(hidden, "«Captain Kettle» se ocultó", "Deshacer", whole=True)
    es_browser.post(f"{url}{viewings[0].public_id}/unhide/")
    undo = es_browser.post(f"{url}{viewings[0].public_id}/hide/", follow=True)
    assert_spanish(undo, "«Captain Kettle» se ocultó de tu actividad de visualización.")
    back = es_browser.post(f"{url}{viewings[0].public_id}/unhide/", follow=True)
    assert_spanish(back, "«Captain Kettle» vuelve a estar en tu actividad")
    older = es_browser.get(f"{url}?before={viewings[-1].public_id}")
    assert_spanish(older, "No hay visualizaciones más antiguas.", "Volver a lo más reciente")


def test_a_kids_profile_reads_its_own_activity_in_spanish(watch_as, spanish_user, shelf):
    kids = ProfileFactory(user=spanish_user, name="Peques", is_kids=True)
    browser = watch_as(kids)

    assert_spanish(
        browser.get(f"/profiles/{kids.public_id}/activity/"),
        "Solo el titular de la cuenta puede ocultar",
        "Todavía no se ha visto nada en este perfil.",
    )
    assert_spanish(browser.get("/browse/"), "Explorar")


def test_the_activity_download_has_a_spanish_header(es_browser, spanish_profile, shelf):
    ViewingFactory(profile=spanish_profile, title=shelf["series"])
    es_browser.post("/account/confirm-password/", {"password": PASSWORD})

    response = es_browser.get(f"/profiles/{spanish_profile.public_id}/activity/download/")
    lines = b"".join(response.streaming_content).decode().splitlines()
    assert lines[0] == "Fecha,Hora (UTC),Título,Tipo,Dispositivo,Visto (minutos)"
    assert ",Serie," in lines[1]


def test_streaming_activity_and_its_filters_in_spanish(es_browser, spanish_profile, shelf):
    device = device_of(es_browser)
    ViewingFactory(profile=spanish_profile, title=shelf["film"], device=device, country="ES")
    ViewingFactory(
        profile=spanish_profile,
        title=shelf["other"],
        device=device,
        country="PT",
        city="Lisboa",
        started_at=timezone.now() - timedelta(hours=1) + timedelta(minutes=30),
    )

    assert_spanish(
        es_browser.get("/account/streaming-activity/"),
        "Actividad reciente de reproducción en dispositivos",
        "Fecha y hora",
        "Dirección IP",
        "Ubicación",
        "País nuevo",
        "Todos los dispositivos",
    )
    filtered = es_browser.get(
        f"/account/streaming-activity/?device={device.id}"
        f"&profile={spanish_profile.public_id}&country=PT"
    )
    assert_spanish(filtered, "Solo se muestra", "Mostrar todos los dispositivos")
    # The device names StreamGuard made are stored in English and read in Spanish: in the
    # rows, the device filter and the "Showing … only" line.
    page = filtered.content.decode()
    assert "Chrome on Windows" not in page
    assert page.count("Chrome en Windows") >= 3
    for query in (f"?device={device.id}", f"?profile={spanish_profile.public_id}", "?country=PT"):
        assert_spanish(es_browser.get(f"/account/streaming-activity/{query}"), "Solo se muestra")


def test_the_streaming_activity_pager_in_spanish(es_browser, spanish_profile, shelf):
    make_viewings(spanish_profile, 60, titles=[shelf["film"]])
    first = es_browser.get("/account/streaming-activity/")
    assert_spanish(first, "Más antiguas")
    older = first.content.decode().split('<nav class="pager"')[1].split('href="')[1]
    older = older.split('"')[0].replace("&amp;", "&")

    assert_spanish(
        es_browser.get(f"/account/streaming-activity/{older}"), "Volver a lo más reciente"
    )


def test_an_empty_streaming_activity_in_spanish(watch_as, db):
    user = UserFactory(name="Lola", language="es")
    browser = watch_as(user.profiles.get())

    assert_spanish(
        browser.get("/account/streaming-activity/"),
        "No se reprodujo nada en los últimos 90 días.",
    )


def test_accept_language_alone_turns_a_page_spanish(sign_in, user, shelf):
    user.profiles.update(name="Marta")
    browser = sign_in(user, HTTP_ACCEPT_LANGUAGE="es-ES,es;q=0.9")
    browser.post(f"/profiles/{user.profiles.get().public_id}/pick/")

    page = browser.get("/browse/", HTTP_ACCEPT_LANGUAGE="es-ES,es;q=0.9")

    assert '<html lang="es">' in page.content.decode()
    assert_spanish(page, "Explorar")


def test_english_stays_english(watch_as, profile, shelf):
    page = watch_as(profile).get("/browse/").content.decode()

    assert "<h1>Browse</h1>" in page
    assert 'placeholder="Titles, genres"' in page
