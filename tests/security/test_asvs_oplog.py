"""V7.2.1 / V7.1.3 (ASVS 4.0.3): the operators' log records every authentication decision and
every change of a way in (second factors, the address, the password), in the OWASP Logging
Vocabulary, and no secret."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import services as account_services
from tests.client import Client
from tests.factories import PASSWORD
from tests.mfa.twostep_helpers import later, password_step, totp_code, two_step_on
from tests.security.helpers import LogCapture

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "another-good-secret-2026"


def test_v7_2_1_second_factor_email_and_password_changes_reach_the_operators_log(user, confirmed):
    capture = LogCapture()
    secrets = [PASSWORD, NEW_PASSWORD]
    try:
        web = confirmed(user)
        web.get("/account/two-step/setup/")
        device = TOTPDevice.objects.get(user=user)
        code = totp_code(device)
        secrets += [code, device.key]
        web.post("/account/two-step/setup/", {"code": code})
        with later():
            again = {"password": PASSWORD, "code": totp_code(device)}
            assert web.post("/account/confirm-password/", again).status_code == 302
            web.post("/account/two-step/off/")
        two_step_on(user)  # on again, and a wrong code at sign-in
        password_step(user).post("/login/verify/", {"code": "123456"})

        change = account_services.email_change_request(
            user=user, new_email="new@example.com", ip=None
        )
        account_services.email_change_confirm(change=change)

        web.post(
            "/account/password/",
            {"old_password": PASSWORD, "new_password1": NEW_PASSWORD,
             "new_password2": NEW_PASSWORD, "sign_out_others": "on"},
        )  # fmt: skip
        user.refresh_from_db()
        token = default_token_generator.make_token(user)
        secrets.append(token)
        reset = Client()
        uid = urlsafe_base64_encode(force_bytes(user.pk))
        set_password = reset.get(f"/password-reset/{uid}/{token}/")["Location"]
        reset.post(set_password, {"new_password1": PASSWORD, "new_password2": PASSWORD})
    finally:
        output = capture.close()

    events = [json.loads(line) for line in output.splitlines() if line.startswith("{")]
    seen = [(e["event"], e.get("factor"), e.get("reset"), e.get("field")) for e in events]
    assert ("authn_token_created", "totp", None, None) in seen
    assert ("authn_mfa_fail", None, None, None) in seen
    assert ("authn_token_delete", "totp", None, None) in seen
    assert ("user_updated", None, None, "email") in seen
    assert ("authn_password_change", None, False, None) in seen
    assert ("authn_password_change", None, True, None) in seen
    fail = next(e for e in events if e["event"] == "authn_mfa_fail")
    assert fail["user_id"] == user.pk
    assert fail["ip"] == "127.0.0.1"
    for secret in secrets:
        assert secret not in output, secret
