"""The real settings module: Argon2 passwords, a required secret key, a revocable session store."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core import checks

from accounts import services
from config import settings as real_settings

REPO_ROOT = Path(real_settings.BASE_DIR)
READ_SECRET_KEY = (
    "import os, django; os.environ['DJANGO_SETTINGS_MODULE'] = 'config.settings'; "
    "from django.conf import settings; print(len(settings.SECRET_KEY))"
)


def import_settings(**env: str) -> subprocess.CompletedProcess[str]:
    """Import config.settings in a fresh interpreter with only these environment variables."""
    return subprocess.run(  # noqa: S603  (fixed command, no user input)
        [sys.executable, "-c", READ_SECRET_KEY],
        cwd=REPO_ROOT,
        env={"PATH": os.environ.get("PATH", ""), **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_real_setting_hashes_passwords_with_argon2_first():
    assert real_settings.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"


def test_stored_password_is_argon2_with_the_real_setting(db, settings):
    settings.PASSWORD_HASHERS = real_settings.PASSWORD_HASHERS

    user = services.account_create(
        email="argon@example.com", password="velvet-otter-marmalade", name="Argon"
    )

    user.refresh_from_db()
    assert user.password.startswith("argon2")
    assert user.check_password("velvet-otter-marmalade")


def test_sign_in_with_the_real_setting_works(client, db, settings):
    settings.PASSWORD_HASHERS = real_settings.PASSWORD_HASHERS
    services.account_create(email="argon@example.com", password="velvet-otter-marmalade", name="A")

    response = client.post(
        "/login/", {"username": "argon@example.com", "password": "velvet-otter-marmalade"}
    )

    assert response.status_code == 302


def test_settings_refuse_to_load_without_secret_key_when_debug_is_off():
    # An empty DJANGO_SECRET_KEY beats the key in .env (read without overwriting) and
    # must count as missing.
    result = import_settings(DJANGO_DEBUG="0", DJANGO_SECRET_KEY="")

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_settings_load_with_a_secret_key_when_debug_is_off():
    result = import_settings(DJANGO_DEBUG="0", DJANGO_SECRET_KEY="k" * 50)

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "50"


def test_settings_make_up_a_key_for_a_debug_run_without_one():
    result = import_settings(DJANGO_DEBUG="1", DJANGO_SECRET_KEY="")

    assert result.returncode == 0, result.stderr
    assert int(result.stdout) >= 50


def test_signed_cookie_sessions_fail_the_start_up_check(settings):
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.signed_cookies"

    errors = [message for message in checks.run_checks() if message.id == "devices.E001"]

    assert len(errors) == 1
    assert errors[0].level == checks.ERROR


@pytest.mark.usefixtures("session_engine")
def test_revocable_session_engines_pass_the_start_up_check():
    assert "devices.E001" not in [message.id for message in checks.run_checks()]


READ_PASSKEY_HOST = (
    "import os, django; os.environ['DJANGO_SETTINGS_MODULE'] = 'config.settings'; "
    "from django.conf import settings; "
    "print(settings.OTP_WEBAUTHN_RP_ID, *settings.OTP_WEBAUTHN_ALLOWED_ORIGINS)"
)


def passkey_host(**env: str) -> str:
    result = subprocess.run(  # noqa: S603  (fixed command, no user input)
        [sys.executable, "-c", READ_PASSKEY_HOST],
        cwd=REPO_ROOT,
        env={"PATH": os.environ.get("PATH", ""), "DJANGO_SECRET_KEY": "k" * 50, **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_passkeys_follow_site_url():
    assert passkey_host() == "localhost http://localhost:8000"
    assert (
        passkey_host(SITE_URL="https://tv.example.com") == "tv.example.com https://tv.example.com"
    )
    assert passkey_host(SITE_URL="http://localhost:9000/") == "localhost http://localhost:9000"


def test_the_webauthn_settings_stay_as_overrides():
    assert (
        passkey_host(
            SITE_URL="https://tv.example.com",
            WEBAUTHN_RP_ID="example.com",
            WEBAUTHN_ORIGINS="https://tv.example.com,https://www.example.com",
        )
        == "example.com https://tv.example.com https://www.example.com"
    )


def test_an_ip_address_for_passkeys_is_a_start_up_warning(settings):
    settings.OTP_WEBAUTHN_RP_ID = "127.0.0.1"

    warnings = [message for message in checks.run_checks() if message.id == "mfa.W001"]

    assert len(warnings) == 1
    settings.OTP_WEBAUTHN_RP_ID = "localhost"
    assert "mfa.W001" not in [message.id for message in checks.run_checks()]


@pytest.mark.parametrize("port", ["", "8000", "127.0.0.1:9000", "0.0.0.0:8080"])
def test_the_demo_prints_an_address_where_passkeys_work(port):
    demo = (REPO_ROOT / "scripts" / "demo").read_text()
    lines = [
        line for line in demo.splitlines() if line.startswith(("address=", "export SITE_URL="))
    ]
    script = "\n".join([*lines, 'echo "$SITE_URL"'])
    env = {"PATH": os.environ.get("PATH", "")} | ({"PORT": port} if port else {})
    shown = subprocess.run(  # noqa: S603  (the repository's own script lines)
        ["/bin/bash", "-c", script],
        env=env,
        capture_output=True,
        text=True,
        check=True,  # noqa: S607
    ).stdout.strip()

    host = shown.removeprefix("http://").split(":")[0]
    assert host == "localhost", shown
    assert shown.endswith(":" + (port.rsplit(":", 1)[-1] if port else "8000"))
    assert 'echo "StreamGuard is at ${SITE_URL}' in demo
