"""The security log stores codes and data and is worded in the reader's language."""

from __future__ import annotations

import importlib
import re
from datetime import UTC, datetime

import pytest
from django.apps import apps
from django.utils import translation

from accounts.events import event_description, event_detail, kind_choices
from accounts.models import SecurityEvent
from accounts.origin import Origin
from devices import services as device_services
from devices.events import DeviceCode, DeviceEvent
from mfa.events import TwoStepEvent
from parental.events import ParentalCode, ParentalEvent
from privacy.events import PrivacyEvent
from security.events import SecurityCode, SecurityFlowEvent
from tests.factories import SecurityEventFactory

Code = SecurityEvent.Code
Kind = SecurityEvent.Kind
migration = importlib.import_module("accounts.migrations.0007_security_event_codes")

# Data in the samples is not English, so any English word left in Spanish is a miss.
WHO = {"device": "Bravia", "profile": "Lúa"}
SAMPLES: dict[str, tuple[str, str, dict, str]] = {
    # code: (kind, detail, params, English detail)
    Code.WITH_PASSKEY: (Kind.PASSWORD_CONFIRMED, "", {}, "with a passkey"),
    Code.FOR_PURPOSE: (
        Kind.PASSWORD_CONFIRMED,
        "",
        {"purpose": "tv_approve"},
        "to approve this TV",
    ),
    DeviceCode.NOT_ME: (DeviceEvent.DEVICE_SIGNED_OUT, "", {}, "reported as not you"),
    DeviceCode.ONE_KEPT: (DeviceEvent.ALL_SIGNED_OUT, "", {}, "one device kept signed in"),
    DeviceCode.EVERY_DEVICE: (DeviceEvent.ALL_SIGNED_OUT, "", {}, "every device"),
    SecurityCode.SECURED: (
        SecurityFlowEvent.ACCOUNT_SECURED,
        "",
        {"signed_out": 3, "devices": ["Bravia"]},
        "3 other devices signed out, new password set",
    ),
    SecurityCode.EMAIL_RESTORED: (
        SecurityFlowEvent.EMAIL_CHANGE_UNDONE,
        "lua@example.com",
        {},
        "back to lua@example.com, every device signed out",
    ),
    Code.OTHERS_SIGNED_OUT: (Kind.PASSWORD_CHANGED, "", {}, "other devices signed out"),
    Code.OTHERS_KEPT: (Kind.PASSWORD_CHANGED, "", {}, "other devices kept signed in"),
    Code.SET_BY_SUPPORT: (
        Kind.PASSWORD_RESET,
        "",
        {},
        "set by support; every device signed out",
    ),
    Code.EMAIL_CHANGE_STOPPED: (
        Kind.EMAIL_CHANGE_REPORTED,
        "",
        {},
        "change stopped, every device signed out, changes locked",
    ),
    DeviceCode.LIMITED_24H: (DeviceEvent.PAIRING_APPROVED, "Bravia", {}, "Bravia, 24 hours only"),
    ParentalCode.PIN_WRONG: (
        ParentalEvent.PIN_LOCKED,
        "",
        {"count": 5, **WHO},
        "5 wrong PINs (on Bravia, profile Lúa)",
    ),
    ParentalCode.PIN_SET: (
        ParentalEvent.PIN_SET,
        "",
        dict(WHO),
        "Parental PIN set (on Bravia, profile Lúa)",
    ),
    ParentalCode.PIN_CHANGED: (
        ParentalEvent.PIN_CHANGED,
        "",
        {"device": "Bravia", "profile": ""},
        "Parental PIN changed (on Bravia)",
    ),
    ParentalCode.PIN_REMOVED: (
        ParentalEvent.PIN_REMOVED,
        "",
        {"device": "", "profile": ""},
        "Parental PIN removed (on an unknown device)",
    ),
    ParentalCode.PIN_UNLOCKED: (
        ParentalEvent.PARENTAL_CHANGED,
        "",
        {"device": "", "profile": "Lúa"},
        "PIN entry unlocked by the password (on an unknown device, profile Lúa)",
    ),
    ParentalCode.CONTROLS_CHANGED: (
        ParentalEvent.PARENTAL_CHANGED,
        "",
        {
            "for": "Nenes",
            "settings": ["maturity", "locked", "daily_limit_minutes", "viewing_hours"],
        },
        "Nenes: Maturity level, Require the PIN to open this profile, Daily limit (minutes), "
        "Viewing hours changed (on an unknown device)",
    ),
    ParentalCode.TITLE_BLOCKED: (
        ParentalEvent.PARENTAL_CHANGED,
        "",
        {"for": "Nenes", "title": "Amanecer", **WHO},
        "Nenes: Amanecer blocked (on Bravia, profile Lúa)",
    ),
    ParentalCode.TITLE_UNBLOCKED: (
        ParentalEvent.PARENTAL_CHANGED,
        "",
        {"for": "Nenes", "title": "Amanecer", **WHO},
        "Nenes: Amanecer unblocked (on Bravia, profile Lúa)",
    ),
    ParentalCode.TIME_ZONE_SET: (
        ParentalEvent.PARENTAL_CHANGED,
        "",
        {"zone": "Europe/Madrid", **WHO},
        "Time zone set to Europe/Madrid (on Bravia, profile Lúa)",
    ),
}
ENGLISH = re.compile(
    r"\b(account|device|devices|signed|sign|password|passkey|profile|wrong|changed|blocked|"
    r"unblocked|unknown|hours|only|support|every|other|kept|reported|entry|set|removed|"
    r"unlocked|level|limit|minutes|time|zone|created|failed|approved|cancelled|code|codes|"
    r"verified|requested|downloaded|tried|address|added|deleted|made|used|turned|confirmed|"
    r"with|by|the|and|of|not|you|me|on|to)\b",
    re.IGNORECASE,
)


def _event(code: str) -> SecurityEvent:
    kind, detail, params, _english = SAMPLES[code]
    return SecurityEvent(kind=kind, detail=detail, code=code, params=params)


# Every app's kinds and codes: a new one here fails until it is worded in both languages.
KINDS = {
    kind.value: kind
    for kinds in (Kind, DeviceEvent, ParentalEvent, TwoStepEvent, PrivacyEvent, SecurityFlowEvent)
    for kind in kinds
}
CODES = [*Code.values, *DeviceCode.values, *ParentalCode.values, *SecurityCode.values]


def test_every_registered_kind_is_checked():
    assert {kind for kind, _label in kind_choices()} == set(KINDS)


def test_every_code_has_a_sample():
    assert set(SAMPLES) == set(CODES)


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_every_kind_reads_in_english_and_in_spanish(kind):
    event = SecurityEvent(kind=kind)
    with translation.override("en"):
        english = event_description(event)
    with translation.override("es"):
        spanish = event_description(event)
    with translation.override(None):  # no catalogue: the msgid, today's English text
        msgid = str(KINDS[kind].label)
    assert english == msgid
    assert spanish != english
    assert not ENGLISH.search(spanish.replace("TV", "")), spanish


@pytest.mark.parametrize("code", CODES)
def test_every_code_reads_in_english_and_in_spanish(code):
    event = _event(code)
    with translation.override("en"):
        english = event_detail(event)
    with translation.override("es"):
        spanish = event_detail(event)
        description = event_description(event)
    assert english == SAMPLES[code][3]
    assert spanish != english
    # "Europe/Madrid" is a zone's name: data, like the device and profile names.
    assert not ENGLISH.search(spanish.replace("Europe/Madrid", "")), spanish
    assert not ENGLISH.search(description.replace("Europe/Madrid", "").replace("TV", ""))


def test_a_few_exact_spanish_renderings():
    with translation.override("es"):
        assert event_description(_event(Code.OTHERS_SIGNED_OUT)) == (
            "Contraseña cambiada (sesión cerrada en los demás dispositivos)"
        )
        assert event_detail(_event(ParentalCode.PIN_WRONG)) == (
            "5 PIN incorrectos (en Bravia, perfil Lúa)"
        )
        assert event_detail(_event(ParentalCode.TITLE_BLOCKED)) == (
            "Nenes: Amanecer bloqueado (en Bravia, perfil Lúa)"
        )
        assert event_detail(_event(DeviceCode.LIMITED_24H)) == "Bravia, solo 24 horas"
        assert event_description(SecurityEvent(kind=DeviceEvent.ALL_SIGNED_OUT, actor="ops")) == (
            "Sesión cerrada en todos los dispositivos por el servicio de asistencia"
        )


def test_plain_data_is_shown_as_stored_in_every_language():
    event = SecurityEvent(kind=Kind.PROFILE_ADDED, detail="Pip")
    with translation.override("es"):
        assert event_description(event) == "Perfil añadido (Pip)"
    with translation.override("en"):
        assert event_description(event) == "Profile added (Pip)"


@pytest.mark.parametrize(
    ("kind", "old", "code", "params", "detail"),
    [
        (Kind.PASSWORD_CONFIRMED, "with a passkey", Code.WITH_PASSKEY, {}, ""),
        (DeviceEvent.DEVICE_SIGNED_OUT, "reported as not you", DeviceCode.NOT_ME, {}, ""),
        (DeviceEvent.ALL_SIGNED_OUT, "one device kept signed in", DeviceCode.ONE_KEPT, {}, ""),
        (DeviceEvent.ALL_SIGNED_OUT, "every device", DeviceCode.EVERY_DEVICE, {}, ""),
        (Kind.PASSWORD_CHANGED, "other devices signed out", Code.OTHERS_SIGNED_OUT, {}, ""),
        (Kind.PASSWORD_CHANGED, "other devices kept signed in", Code.OTHERS_KEPT, {}, ""),
        (
            Kind.PASSWORD_RESET,
            "set by support; every device signed out",
            Code.SET_BY_SUPPORT,
            {},
            "",
        ),
        (
            Kind.EMAIL_CHANGE_REPORTED,
            "change stopped, every device signed out, changes locked",
            Code.EMAIL_CHANGE_STOPPED,
            {},
            "",
        ),
        (
            DeviceEvent.PAIRING_APPROVED,
            "Living room, 24 hours only",
            DeviceCode.LIMITED_24H,
            {},
            "Living room",
        ),
        (
            ParentalEvent.PIN_LOCKED,
            "5 wrong PINs (on Safari on iPhone, profile Kids)",
            ParentalCode.PIN_WRONG,
            {"count": 5, "device": "Safari on iPhone", "profile": "Kids"},
            "",
        ),
        (
            ParentalEvent.PIN_REMOVED,
            "Parental PIN removed (on an unknown device)",
            ParentalCode.PIN_REMOVED,
            {"device": "", "profile": ""},
            "",
        ),
        (
            ParentalEvent.PARENTAL_CHANGED,
            "Kids: Maturity level, Viewing hours changed (on Chrome on Windows)",
            ParentalCode.CONTROLS_CHANGED,
            {
                "for": "Kids",
                "settings": ["maturity", "viewing_hours"],
                "device": "Chrome on Windows",
                "profile": "",
            },
            "",
        ),
        (
            ParentalEvent.PARENTAL_CHANGED,
            "Kids: Harbour Lights unblocked (on an unknown device, profile Alex)",
            ParentalCode.TITLE_UNBLOCKED,
            {"for": "Kids", "title": "Harbour Lights", "device": "", "profile": "Alex"},
            "",
        ),
        (
            ParentalEvent.PARENTAL_CHANGED,
            "Time zone set to Europe/Lisbon (on Chrome on Windows, profile Sam)",
            ParentalCode.TIME_ZONE_SET,
            {"zone": "Europe/Lisbon", "device": "Chrome on Windows", "profile": "Sam"},
            "",
        ),
        # Data, and sentences this version does not know, stay as they were.
        (Kind.PROFILE_ADDED, "Pip", "", {}, "Pip"),
        (
            Kind.EMAIL_CHANGED,
            "a@example.com → b@example.com",
            "",
            {},
            "a@example.com → b@example.com",
        ),
        (
            ParentalEvent.PARENTAL_CHANGED,
            "Something new (on a TV)",
            "",
            {},
            "Something new (on a TV)",
        ),
    ],
)
def test_the_migration_turns_old_sentences_into_codes(kind, old, code, params, detail):
    assert migration.convert(kind, old) == (code, params, detail)


def test_the_migration_converts_stored_rows_and_they_read_as_before(user):
    old = [
        SecurityEventFactory(
            user=user, kind=Kind.PASSWORD_CHANGED, detail="other devices signed out"
        ),
        SecurityEventFactory(
            user=user,
            kind=ParentalEvent.PIN_SET,
            detail="Parental PIN set (on Safari on iPhone, profile Kids)",
        ),
        SecurityEventFactory(user=user, kind=Kind.PROFILE_ADDED, detail="Pip"),
        SecurityEventFactory(user=user, kind=Kind.SIGN_IN_FAILED, detail="attempt 7"),
    ]
    with translation.override("en"):
        before = [event_description(event) for event in old]

    migration.forwards(apps, None)

    for event in old:
        event.refresh_from_db()
    assert [(e.code, e.detail) for e in old] == [
        (Code.OTHERS_SIGNED_OUT, ""),
        (ParentalCode.PIN_SET, ""),
        ("", "Pip"),
        ("", "attempt 7"),
    ]
    with translation.override("en"):
        assert [event_description(event) for event in old] == before
    with translation.override("es"):
        assert event_detail(old[1]) == "PIN parental establecido (en Safari en iPhone, perfil Kids)"
        assert event_description(old[0]) == (
            "Contraseña cambiada (sesión cerrada en los demás dispositivos)"
        )


def test_the_page_reads_in_the_viewers_language_whatever_language_logged_it(user, sign_in):
    user.language = "en"
    user.save(update_fields=["language"])
    with translation.override("en"):
        device_services.sign_out_everywhere(user=user, origin=Origin(), actor="operator")
    SecurityEventFactory(
        user=user, kind=Kind.PASSWORD_CHANGED, created_at=datetime(2026, 12, 1, 6, 45, tzinfo=UTC)
    )
    user.language, user.time_zone = "es", "Europe/Madrid"
    user.save(update_fields=["language", "time_zone"])

    page = sign_in(user).get("/account/security/").content.decode()

    assert "Sesión cerrada en todos los dispositivos" in page
    assert "(todos los dispositivos)" in page
    assert "por el servicio de asistencia" in page
    assert "Contraseña cambiada" in page
    assert "1 dic 2026, 07:45" in page
    assert "Actividad de seguridad" in page
    for english in ["Signed out of all devices", "every device", "by support", "Password changed"]:
        assert english not in page


def test_the_page_reads_in_english_for_an_english_viewer_of_spanish_logged_events(user, sign_in):
    user.language = "es"
    user.save(update_fields=["language"])
    with translation.override("es"):
        device_services.sign_out_everywhere(user=user, origin=Origin(), actor="operator")
    user.language = "en"
    user.save(update_fields=["language"])

    page = sign_in(user).get("/account/security/").content.decode()

    assert "Signed out of all devices" in page
    assert "(every device)" in page
    assert "todos los dispositivos" not in page


def test_the_admin_reads_the_log_in_the_agents_language(user):
    from accounts.models import User
    from tests.client import Client
    from tests.conftest import admin_sign_in
    from tests.factories import PASSWORD

    agent = User.objects.create_superuser(email="agente@example.com", password=PASSWORD, name="A")
    agent.language = "es"
    agent.save(update_fields=["language"])
    SecurityEventFactory(user=user, kind=Kind.PASSWORD_CHANGED, code=Code.OTHERS_KEPT)
    browser = Client()
    admin_sign_in(browser, agent)

    page = browser.get("/admin/accounts/securityevent/").content.decode()

    assert "Contraseña cambiada (los demás dispositivos siguen con la sesión iniciada)" in page
