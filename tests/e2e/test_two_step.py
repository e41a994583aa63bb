"""Two-step verification and passkeys in a real Chromium: its virtual WebAuthn authenticator
stands in for a phone or security key; TOTP codes are computed from the stored secret."""

from __future__ import annotations

import time

import pytest
import time_machine
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from devices.models import Device
from tests.factories import PASSWORD
from tests.mfa.twostep_helpers import totp_code

from .conftest import CHROME_LINUX, PHONE, screenshot, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def passkey_site(site, settings) -> str:
    # WebAuthn needs a secure context: http://localhost is one, and the passkeys are bound
    # to that host name (the relying party id).
    settings.OTP_WEBAUTHN_RP_ID = "localhost"
    settings.OTP_WEBAUTHN_ALLOWED_ORIGINS = [site]
    assert site.startswith("http://localhost:")
    return site


def virtual_authenticator(page: Page) -> None:
    """A platform authenticator (like a laptop's fingerprint reader) that always says yes."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
            }
        },
    )


def sign_out(page: Page) -> None:
    page.get_by_text("Account menu").click()
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()


def confirm(page: Page, site: str, next_path: str) -> None:
    page.goto(f"{site}/account/confirm-password/?next={next_path}")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Continue").click()


def test_add_a_passkey_and_sign_in_with_it(passkey_site, account, new_context):
    site = passkey_site
    page = new_context(user_agent=CHROME_LINUX).new_page()
    virtual_authenticator(page)
    sign_in(page, site, account.email)

    confirm(page, site, "/account/passkeys/add/")
    expect(page.get_by_role("heading", name="Add a passkey")).to_be_visible()
    page.get_by_label("Passkey name").fill("Work laptop")
    page.get_by_role("button", name="Add a passkey").click()

    expect(page.get_by_role("heading", name="Two-step verification")).to_be_visible()
    expect(page.get_by_text("Passkey “Work laptop” added.")).to_be_visible()
    expect(page.get_by_role("link", name="Remove Work laptop")).to_be_visible()
    expect(page.get_by_text("Never used")).to_be_visible()
    sign_out(page)

    page.get_by_role("link", name="Sign in with a passkey").click()

    expect(page.get_by_role("heading", name="Who's watching?")).to_be_visible()
    assert Device.objects.filter(user=account, signed_out_at=None).count() == 1
    page.goto(f"{site}/account/two-step/")
    expect(page.get_by_text("Last used")).to_be_visible()


def test_turn_on_two_step_sign_in_with_a_code_and_a_recovery_code_once(site, account, new_context):
    page = new_context(user_agent=CHROME_LINUX, viewport=PHONE).new_page()
    sign_in(page, site, account.email)
    confirm(page, site, "/account/two-step/setup/")

    expect(page.get_by_role("heading", name="Turn on two-step verification")).to_be_visible()
    expect(page.locator(".qr svg")).to_be_visible()
    screenshot(page, "two-step-setup-phone")
    device = TOTPDevice.objects.get(user=account)
    page.get_by_label("Code").fill(totp_code(device))
    page.get_by_role("button", name="Turn on").click()

    expect(page.get_by_role("heading", name="Recovery codes")).to_be_visible()
    codes = page.locator(".recovery-codes code").all_inner_texts()
    assert len(codes) == 10
    screenshot(page, "recovery-codes-phone")
    with page.expect_download() as download:
        page.get_by_role("button", name="Download as a text file").click()
    assert codes[0] in download.value.path().read_text()
    sign_out(page)

    # The next 30-second window: each app code signs in once.
    with time_machine.travel(time.time() + 31, tick=True):
        page.get_by_label("Email").fill(account.email)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        expect(
            page.get_by_text("Enter the 6-digit code from your authenticator app")
        ).to_be_visible()
        page.get_by_label("Code").fill(totp_code(device))
        page.get_by_role("button", name="Verify").click()
        expect(page.get_by_role("heading", name="Who's watching?")).to_be_visible()
    sign_out(page)

    for attempt in range(2):
        page.get_by_label("Email").fill(account.email)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.get_by_role("link", name="Use a recovery code").click()
        page.get_by_label("Recovery code").fill(codes[0])
        page.get_by_role("button", name="Verify").click()
        if attempt == 0:
            expect(page.get_by_role("heading", name="Who's watching?")).to_be_visible()
            expect(page.get_by_text("You used a recovery code. 9 left")).to_be_visible()
            sign_out(page)
    expect(
        page.get_by_text("That recovery code is not right, or it was used before.")
    ).to_be_visible()
    screenshot(page, "recovery-code-refused-phone")
