"""Two-step helpers for tests: turn it on for an account, compute the app's codes."""

from __future__ import annotations

import time

from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import User
from mfa import services


def totp_code(device: TOTPDevice, *, at: float | None = None) -> str:
    """The 6 digits an authenticator app shows for this secret, now or at `at`."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() if at is None else at
    return f"{totp.token():06d}"


def two_step_on(user: User) -> tuple[TOTPDevice, list[str]]:
    """Two-step verification turned on for the account: its app and its recovery codes."""
    device = services.two_step_setup_start(user=user)
    codes = services.two_step_enable(user=user, device=device, ip=None)
    return device, codes
