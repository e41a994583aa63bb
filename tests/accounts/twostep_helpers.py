"""The two-step helpers live in tests/mfa/twostep_helpers.py; test_spanish imports them here."""

from __future__ import annotations

from tests.mfa.twostep_helpers import totp_code, two_step_on

__all__ = ["totp_code", "two_step_on"]
