"""One test per item of the security review, named by the OWASP ASVS 4.0.3 requirement it
proves. Each runs with the default and the production settings (see conftest.py)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
import time_machine
from django.core import mail
from django.core.checks import run_checks
from django.core.management import call_command
from django.test.client import MULTIPART_CONTENT
from django.utils import timezone

from accounts.models import User
from devices.models import Device, PairingCode
from tests.catalog.factories import TitleFactory
from tests.client import Client
from tests.conftest import CHROME_WINDOWS, GOOD_PIN, admin_sign_in, reauthenticate
from tests.devices.pairing_helpers import code_on_screen, new_tv, poll
from tests.factories import PASSWORD, DeviceFactory, UserFactory
from tests.security.helpers import LogCapture, assert_throttled, text, urls_with_arguments

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
NEW_PASSWORD = "a-whole-new-secret-2026"


# V14.4 HTTP security headers


@pytest.mark.parametrize("path", ["/login/", "/tv/", "/admin/login/", "/no-such-page/"])
def test_v14_4_3_strict_content_security_policy_on_every_response(client, path):
    csp = client.get(path)["Content-Security-Policy"]

    directives = dict(part.strip().split(" ", 1) for part in csp.split(";") if part.strip())
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["base-uri"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["form-action"] == "'self'"
    assert "unsafe-inline" not in csp
    assert "unsafe-eval" not in csp


def test_v14_4_7_no_framing_and_a_cross_origin_opener_policy(client):
    response = client.get("/login/")

    assert response["X-Frame-Options"] == "DENY"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    policy = response["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()", "usb=()"):
        assert feature in policy


def test_v14_4_3_templates_carry_no_inline_script_or_style():
    for template in (ROOT / "templates").rglob("*.*"):
        source = template.read_text()
        assert not re.search(r"<script(?![^>]*\bsrc=)", source), template
        assert "<style" not in source, template
        assert not re.search(r"\sstyle=", source), template
        assert not re.search(r"\son[a-z]+=", source), template


# V8.2 client-side data protection: nothing signed in, no form and no secret is cached


def test_v8_2_1_every_url_answers_no_store_signed_in_or_not(user, confirmed, settings):
    TitleFactory(slug="a-title")
    signed_in = confirmed(user)
    signed_in.post(f"/profiles/{user.profiles.get().public_id}/pick/")
    urls = urls_with_arguments()
    assert len(urls) > 40  # the walk found the site, not an empty list

    for name, url in urls:
        for browser in (signed_in, Client()):
            response = browser.get(url)
            cache_control = response.get("Cache-Control", "")
            if response.get("Content-Type", "").startswith("image/"):
                assert "private" in cache_control, name  # a poster: this account's only
            else:
                assert "no-store" in cache_control, (name, url, response.status_code)


def test_v8_2_1_static_files_stay_cacheable(client, settings):
    settings.WHITENOISE_USE_FINDERS = True
    settings.WHITENOISE_AUTOREFRESH = True

    response = client.get("/static/css/app.css")

    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")
    assert "max-age" in response["Cache-Control"]


# V3.4 cookie-based session management


def test_v3_4_1_session_cookie_secure_httponly_host_prefix(user, deploy, settings):
    browser = Client()
    login_page = browser.get("/login/")
    response = browser.post("/login/", {"username": user.email, "password": PASSWORD})

    session = response.cookies[settings.SESSION_COOKIE_NAME]
    csrf = login_page.cookies[settings.CSRF_COOKIE_NAME]
    assert session["httponly"]
    assert csrf["httponly"]
    assert session["samesite"] == "Lax"
    assert session["path"] == csrf["path"] == "/"
    assert not session["domain"]
    assert not csrf["domain"]
    if deploy == "production":
        assert settings.SESSION_COOKIE_NAME == "__Host-sessionid"
        assert settings.CSRF_COOKIE_NAME == "__Host-csrftoken"
        assert session["secure"]
        assert csrf["secure"]


def test_v3_4_1_production_settings_name_cookies_host_and_pass_the_deploy_check():
    env = {
        **os.environ,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "deploy-check-" + "x7Rq2" * 12,
        "ALLOWED_HOSTS": "streamguard.example",
        "SECURE_COOKIES": "1",
        "SECURE_SSL_REDIRECT": "1",
        "SECURE_HSTS_SECONDS": "31536000",
        "EMAIL_URL": "smtp+tls://mail.streamguard.example:587",
    }
    env.pop("REDIS_URL", None)
    # The browser tests' Playwright needs this in the test process; no deployment sets it.
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    script = (
        "import django; django.setup()\n"
        "from django.conf import settings\n"
        "from django.core.management import call_command\n"
        "print(settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME, "
        "settings.CSRF_COOKIE_HTTPONLY, settings.CACHES['default']['BACKEND'])\n"
        "call_command('check', deploy=True, fail_level='WARNING')\n"
    )
    env["DJANGO_SETTINGS_MODULE"] = "config.settings"

    result = subprocess.run(  # noqa: S603  (a fixed interpreter and script)
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True
    )

    assert result.returncode == 0, result.stderr
    first = result.stdout.splitlines()[0].split()
    assert first == [
        "__Host-sessionid",
        "__Host-csrftoken",
        "True",
        "config.cache.LockedDatabaseCache",  # Django's database cache, counting under a lock
    ]


# V3.3 session termination


def test_v3_3_1_a_disabled_account_stays_signed_out_when_enabled_again(user, sign_in):
    browser = sign_in(user)
    assert browser.get("/account/").status_code == 200

    call_command("disable_account", user.email, stdout=StringIO())
    User.objects.filter(pk=user.pk).update(is_active=True)

    assert browser.get("/account/")["Location"].startswith("/login/")
    assert not Device.objects.for_account(user).signed_in().exists()


def test_v3_3_1_admin_disable_and_sign_out_action(user, sign_in):
    staff = UserFactory(is_staff=True, is_superuser=True)
    victim_browser = sign_in(user)
    admin = admin_sign_in(Client(), staff)  # two-step on and the password re-entered

    admin.post(
        "/admin/accounts/user/",
        {"action": "disable_and_sign_out", "_selected_action": [user.pk]},
    )
    User.objects.filter(pk=user.pk).update(is_active=True)

    user.refresh_from_db()
    assert user.session_generation > 0
    assert victim_browser.get("/account/").status_code == 302


def test_v3_3_2_without_keep_me_signed_in_the_session_ends_with_the_browser_and_soon(user):
    page = Client().get("/login/")
    assert 'name="keep_signed_in"' in text(page)
    assert re.search(r'name="keep_signed_in"[^>]*checked', text(page))
    short, kept = Client(), Client()
    response = short.post("/login/", {"username": user.email, "password": PASSWORD})
    kept.post("/login/", {"username": user.email, "password": PASSWORD, "keep_signed_in": "on"})

    from django.conf import settings

    assert response.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == ""  # browser session
    with time_machine.travel(timezone.now() + timedelta(minutes=31)):
        assert short.get("/account/").status_code == 302
        assert kept.get("/account/").status_code == 200


def test_v3_3_2_a_short_session_ends_after_12_hours_however_busy(user):
    browser = Client()
    browser.post("/login/", {"username": user.email, "password": PASSWORD})
    start = timezone.now()
    for hours in range(0, 12, 1):
        for minutes in (0, 20, 40):
            with time_machine.travel(start + timedelta(hours=hours, minutes=minutes)):
                assert browser.get("/account/").status_code == 200
    with time_machine.travel(start + timedelta(hours=12, minutes=1)):
        assert browser.get("/account/").status_code == 302


# V3.7 defences against session management exploits: recent authentication


def _gated_requests(user, tv_code_id) -> list[tuple[str, str]]:
    device = DeviceFactory(user=user, name="Old Phone")
    profile = user.profiles.get()
    return [
        ("get", f"/activate/{tv_code_id}/"),
        ("post", f"/activate/{tv_code_id}/sign-in/"),
        ("post", f"/activate/{tv_code_id}/sign-in-24h/"),
        ("get", "/account/password/"),
        ("get", f"/account/devices/{device.id}/remove/"),
        ("post", f"/account/devices/{device.id}/remove/"),
        ("get", f"/profiles/{profile.public_id}/activity/download/"),
    ]


def test_v3_7_1_tv_approval_password_device_removal_and_export_need_recent_authentication(
    user, sign_in
):
    browser = sign_in(user)
    browser.post(f"/profiles/{user.profiles.get().public_id}/pick/")
    tv = new_tv()
    browser.post("/activate/", {"code": code_on_screen(tv)})
    code = PairingCode.objects.get()

    for method, url in _gated_requests(user, code.id):
        response = getattr(browser, method)(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/account/confirm-password/?next="), url
    code.refresh_from_db()
    assert code.status == PairingCode.Status.PENDING
    assert Device.objects.filter(name="Old Phone", signed_out_at=None).exists()

    reauthenticate(browser)
    assert browser.get(f"/activate/{code.id}/").status_code == 200
    with time_machine.travel(timezone.now() + timedelta(minutes=11)):
        assert browser.get(f"/activate/{code.id}/").status_code == 302  # the window closed
    assert browser.post(f"/activate/{code.id}/sign-in/").status_code == 302
    code.refresh_from_db()
    assert code.status == PairingCode.Status.APPROVED
    # Signing a device out stays one click: it only protects.
    other = DeviceFactory(user=user)
    assert sign_in(user).post(f"/account/devices/{other.id}/sign-out/").status_code == 302


# V11.1 business logic: anti-automation that holds across workers, and answers 429


def test_v11_1_4_throttles_count_in_a_cache_every_worker_shares(settings, deploy):
    backend = settings.CACHES["default"]["BACKEND"]
    assert backend.endswith(("DatabaseCache", "RedisCache"))

    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    settings.DEBUG = False
    ids = [message.id for message in run_checks()]
    assert "accounts.E001" in ids


def test_v11_1_4_throttled_sign_in_and_password_re_entry_answer_429(user, sign_in, settings):
    browser = sign_in(user)
    settings.SIGNIN_THROTTLE_ATTEMPTS = 2
    for _ in range(2):
        browser.post("/account/confirm-password/", {"password": "wrong"})

    assert_throttled(browser.post("/account/confirm-password/", {"password": PASSWORD}))
    assert_throttled(Client().post("/login/", {"username": user.email, "password": PASSWORD}))


def test_v11_1_4_password_reset_is_throttled_per_email_and_per_ip(user, settings):
    for _ in range(3):
        assert Client().post("/password-reset/", {"email": user.email}).status_code == 302
    assert len(mail.outbox) == 3

    assert_throttled(Client().post("/password-reset/", {"email": user.email.upper()}))
    settings.PASSWORD_RESET_THROTTLE_PER_IP = 5
    browser = Client(REMOTE_ADDR="203.0.113.9")
    for n in range(5):
        browser.post("/password-reset/", {"email": f"someone{n}@example.com"})
    assert_throttled(browser.post("/password-reset/", {"email": "another@example.com"}))
    assert len(mail.outbox) == 3


def test_v11_1_4_sign_up_tv_codes_and_pins_answer_429(user, sign_in, settings, with_pin):
    settings.SIGNUP_THROTTLE_PER_IP = 2
    for n in range(2):
        Client().post("/signup/", {"name": "A", "email": f"new{n}@example.com", "password": "x"})
    assert_throttled(Client().post("/signup/", {"name": "A", "email": "z@example.com"}))

    web = sign_in(user)
    for _ in range(5):
        web.post("/activate/", {"code": "BCDF-GHJK"})
    assert_throttled(web.post("/activate/", {"code": "BCDF-GHJK"}))

    tv = Client(headers={"user-agent": "TV"}, REMOTE_ADDR="198.51.100.7")
    for _ in range(30):
        tv.cookies.clear()
        tv.get("/tv/")
    tv.cookies.clear()
    assert_throttled(tv.get("/tv/"))

    from parental.models import ProfileControls

    locked = user.profiles.get()
    ProfileControls.objects.create(profile=locked, locked=True)
    for _ in range(5):
        web.post(f"/profiles/{locked.public_id}/unlock/", {"pin": "0000"})
    # Locked PIN entry is refused as a throttle, with no Retry-After: waiting does not lift
    # it, only the account password does (the parental rule).
    refused = web.post(f"/profiles/{locked.public_id}/unlock/", {"pin": GOOD_PIN})
    assert refused.status_code == 429
    assert "Retry-After" not in refused
    assert "PIN entry is locked" in text(refused)


# V7.1 / V7.2 log content and log processing


def test_v7_1_1_production_refuses_an_email_backend_that_writes_links_to_a_log(settings):
    settings.DEBUG = False
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    settings.EMAIL_URL_SET = False
    assert "accounts.E002" in [m.id for m in run_checks()]

    settings.EMAIL_URL_SET = True  # EMAIL_URL=consolemail:// on purpose
    assert "accounts.E002" not in [m.id for m in run_checks()]


def test_v7_1_1_no_secret_in_any_log_line(
    user, with_pin, settings, django_capture_on_commit_callbacks
):
    from django.conf import settings as live

    capture = LogCapture()
    secrets: list[str] = [PASSWORD, NEW_PASSWORD, GOOD_PIN, "0000"]
    try:
        web = Client(headers={"user-agent": CHROME_WINDOWS})
        secrets.append(web.get("/login/").cookies[live.CSRF_COOKIE_NAME].value)
        web.post("/login/", {"username": user.email, "password": "0000"})
        web.post("/login/", {"username": user.email, "password": PASSWORD})
        secrets.append(web.cookies[live.SESSION_COOKIE_NAME].value)
        web.post("/account/confirm-password/", {"password": "0000"})
        reauthenticate(web)
        secrets.append(web.cookies[live.SESSION_COOKIE_NAME].value)
        profile = user.profiles.get()
        from parental.models import ProfileControls

        ProfileControls.objects.create(profile=profile, locked=True)
        web.post(f"/profiles/{profile.public_id}/unlock/", {"pin": "0000"})
        web.post(f"/profiles/{profile.public_id}/unlock/", {"pin": GOOD_PIN})

        tv = new_tv()
        secrets.append(tv.get("/tv/").cookies["sg_tv"].value)
        web.post("/activate/", {"code": code_on_screen(tv)})
        code = PairingCode.objects.get()
        web.post(f"/activate/{code.id}/sign-in/")
        poll(tv)
        secrets.append(tv.cookies[live.SESSION_COOKIE_NAME].value)

        phone = Client(headers={"user-agent": "Phone"})
        with django_capture_on_commit_callbacks(execute=True):  # the new-device e-mail
            phone.post("/login/", {"username": user.email, "password": PASSWORD})
        not_me = re.search(r"/not-me/([^/\s]+)/", mail.outbox[-1].body).group(1)
        secrets.append(not_me)
        Client().get(f"/account/devices/not-me/{not_me}/")
        Client().get(f"/account/devices/not-me/{not_me[:-3]}abc/")  # 400, logged

        reauthenticate(web).post(
            "/account/password/",
            {
                "old_password": PASSWORD,
                "new_password1": NEW_PASSWORD,
                "new_password2": NEW_PASSWORD,
                "sign_out_others": "on",
            },
        )
        with django_capture_on_commit_callbacks(execute=True):
            Client().post("/password-reset/", {"email": user.email})
        link = re.search(r"(/password-reset/[^/\s]+/([^/\s]+)/)", mail.outbox[-1].body)
        secrets.append(link.group(2))
        reset = Client()
        set_password = reset.get(link.group(1))["Location"]
        reset.post(set_password, {"new_password1": PASSWORD, "new_password2": PASSWORD})
        Client().get(link.group(1).replace(link.group(2)[:4], "zzzz"))  # a broken link
    finally:
        output = capture.close()

    assert "authn_login_fail" in output  # the capture saw the security log
    assert "/not-me/[redacted]/" in output  # the 400 for the broken link, its token dropped
    for secret in secrets:
        assert secret not in output, secret


def test_v7_1_3_security_events_are_json_lines_in_owasp_vocabulary(user, sign_in, settings):
    capture = LogCapture()
    try:
        Client().post(
            "/login/", {"username": user.email, "password": "nope"}, REMOTE_ADDR="1.2.3.4"
        )
        browser = Client()  # "Keep me signed in" unticked: 30 minutes idle
        browser.post("/login/", {"username": user.email, "password": PASSWORD})
        browser.post(f"/account/devices/{DeviceFactory().id}/sign-out/")  # not this account's
        with time_machine.travel(timezone.now() + timedelta(minutes=31)):
            browser.get("/account/")
    finally:
        output = capture.close()

    events = [json.loads(line) for line in output.splitlines() if line.startswith("{")]
    by_name = {event["event"]: event for event in events}
    assert {"authn_login_fail", "authn_login_success", "authz_fail", "session_expired"} <= set(
        by_name
    )
    fail = by_name["authn_login_fail"]
    assert (fail["user_id"], fail["ip"]) == (user.pk, "1.2.3.4")
    assert fail["time"].endswith("+00:00")
    assert by_name["authz_fail"]["device_id"] == str(Device.objects.get(user=user).id)
    assert by_name["session_expired"]["user_id"] == user.pk


# V5.1 / V2.5 links in e-mails, V4.2 operation-level access control


def test_v2_5_1_reset_links_use_the_configured_address_never_the_host_header(user, settings):
    settings.ALLOWED_HOSTS = ["*"]
    settings.SITE_URL = "https://streamguard.example"

    Client().post("/password-reset/", {"email": user.email}, HTTP_HOST="evil.example")

    body = mail.outbox[0].body
    assert "https://streamguard.example/password-reset/" in body
    assert "evil.example" not in body


def test_v4_2_1_a_tv_approval_page_belongs_to_the_account_that_entered_the_code(
    user, other_user, confirmed
):
    mine = confirmed(user, REMOTE_ADDR="2.80.0.1")  # in Portugal
    theirs = confirmed(other_user)
    tv = new_tv()  # in the United Kingdom
    shown = code_on_screen(tv)
    mine.post("/activate/", {"code": shown})
    code = PairingCode.objects.get()

    page = text(mine.get(f"/activate/{code.id}/"))
    for url in ("", "sign-in/", "sign-in-24h/", "cancel/"):
        method = theirs.get if not url else theirs.post
        assert method(f"/activate/{code.id}/{url}").status_code == 404, url
    code.refresh_from_db()
    assert code.status == PairingCode.Status.PENDING
    assert shown in page
    assert "This TV is in United Kingdom, but you are in Portugal" in page


# V13.1 / V12.1 request limits


def test_v12_1_1_multipart_bodies_are_refused_and_large_bodies_capped(user, client, settings):
    multipart = client.post(
        "/login/", {"username": user.email, "password": PASSWORD}, content_type=MULTIPART_CONTENT
    )
    assert multipart.status_code == 415

    huge = client.post("/login/", {"username": user.email, "password": "x" * 1_100_000})
    assert huge.status_code == 400
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE == 1024 * 1024
