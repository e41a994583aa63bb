"""V7.1.1 against the real server: a gunicorn with the project's config serves every kind of
link that carries a secret, and nothing it writes (access log, error log, Django's log)
holds one. Named by the OWASP ASVS 4.0.3 requirement, like test_asvs.py."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts import emails as account_emails
from accounts.models import EmailChange
from devices.emails import not_me_token
from tests.factories import DeviceFactory
from tests.http import Browser
from tests.servers import database_url, gunicorn_server, live_account

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def deploy() -> str:
    """The server below always runs with DEBUG off: one run, not one per deploy setting."""
    return "production"


def test_v7_1_1_no_link_token_reaches_gunicorns_access_log_or_djangos(tmp_path):
    user = live_account(email_verified_at=None)
    verify_token = account_emails.verify_token(user)
    change = EmailChange.objects.create(
        user=user, old_email=user.email, new_email="new-address@example.com"
    )
    confirm_token = account_emails.change_token(change, "confirm")
    change_not_me = account_emails.change_token(change, "not_me")
    device_not_me = not_me_token(DeviceFactory(user=user, name="Old Phone"))
    tv_code = "BCDF-GHJK"
    links = {
        f"/email/verify/{verify_token}/": verify_token,
        f"/email/change/{confirm_token}/": confirm_token,
        f"/email/not-me/{change_not_me}/": change_not_me,
        f"/account/devices/not-me/{device_not_me}/": device_not_me,
    }
    log = tmp_path / "gunicorn.log"
    env = {"DATABASE_URL": database_url(), "DJANGO_SECRET_KEY": settings.SECRET_KEY}

    # The access log on stdout, as deployed (GUNICORN_ACCESS_LOG's default).
    with gunicorn_server(env, output=log, args=["--access-logfile", "-"]) as server:
        web = Browser(server.url).sign_in(user.email)
        # Made after the sign-in, which moves the account's last sign-in the token hangs on.
        user.refresh_from_db()
        uid = urlsafe_base64_encode(force_bytes(user.pk))
        reset_token = default_token_generator.make_token(user)
        links[f"/password-reset/{uid}/{reset_token}/"] = reset_token
        assert web.get(f"/activate/?code={tv_code}").status_code == 200
        for path in links:
            # Each link opened, and a broken copy of it (Django logs "Bad Request: <path>").
            assert web.get(path).status_code < 500, path
            assert (
                Browser(server.url).get(path.replace(links[path][-6:], "zzzzzz")).status_code < 500
            )
        verified = Browser(server.url).post(f"/email/verify/{verify_token}/")
        # A browser where nobody is signed in is told so on the spot (no sign-in asked).
        assert verified.status_code == 200
        assert "E-mail address verified." in verified.text
        # The reset link used to the end: its set-password step, then the new password.
        reset = Browser(server.url)
        set_password = reset.get(f"/password-reset/{uid}/{reset_token}/").headers["Location"]
        new = "a-whole-new-secret-2026"
        done = reset.post(set_password, {"new_password1": new, "new_password2": new})
        assert done.status_code == 302, done.text[:300]

    output = log.read_text()
    for secret in [*links.values(), tv_code]:
        assert secret not in output, secret
    assert '"GET /email/verify/[redacted]/ HTTP/1.1" 200' in output  # the access log, cleaned
    assert f'"GET /password-reset/{uid}/[redacted]/ HTTP/1.1" 302' in output
    assert "Bad Request: /email/change/[redacted]/" in output  # Django's own log, cleaned
