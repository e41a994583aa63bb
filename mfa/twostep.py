"""Two-step verification: who has it, the half-signed-in session, and checking a code.

After the password, an account with two-step verification on is not signed in: the session
only remembers, for a few minutes, which account passed the password. No page but the second
step accepts that state (the user is still anonymous everywhere), and django.contrib.auth.login
runs only once the code or passkey is right, so the Device is created only then.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import time
from typing import TYPE_CHECKING, Any

from django.contrib.auth import login
from django.http import HttpRequest
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp import login as otp_login
from django_otp.models import Device as OTPDeviceModel
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from accounts.models import KEEP_SIGNED_IN_ATTR, User

if TYPE_CHECKING:
    from django_otp.models import Device as OTPDevice

PENDING_KEY = "_two_step_pending"
PENDING_MAX_AGE = 5 * 60
RECOVERY_CODE_COUNT = 10
# 16 characters from a 32-letter alphabet: 80 random bits, so a fast hash is enough to keep
# the stored form useless to whoever reads the database.
RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
RECOVERY_LENGTH = 16
TOTP_NAME = "Authenticator app"
RECOVERY_NAME = "Recovery codes"


def two_step_enabled(user: User) -> bool:
    """Two-step verification is on once an authenticator app is confirmed."""
    return bool(TOTPDevice.objects.filter(user=user, confirmed=True).exists())


def can_add_factor(user: User) -> bool:
    """Only a verified address adds a second factor: someone who signed up with another
    person's address must not leave a factor behind for when its owner takes it back."""
    return user.email_verified_at is not None


def has_passkey(user: User) -> bool:
    return bool(WebAuthnCredential.objects.filter(user=user, confirmed=True).exists())


def recovery_code_new() -> str:
    raw = "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_LENGTH))
    return "-".join(raw[i : i + 4] for i in range(0, RECOVERY_LENGTH, 4))


def recovery_code_normalise(code: str) -> str:
    return re.sub(r"[\s-]", "", code).lower()


def recovery_code_hash(code: str) -> str:
    """What is stored for a recovery code: never the code itself."""
    digest = hashlib.sha256(recovery_code_normalise(code).encode()).hexdigest()
    return digest[: StaticToken._meta.get_field("token").max_length]


def totp_check(user: User, code: str) -> TOTPDevice | None:
    """The confirmed authenticator app that accepts this 6-digit code (each code once)."""
    code = re.sub(r"\s", "", code)
    if not re.fullmatch(r"\d{6}", code):
        return None
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device if device is not None and device.verify_token(code) else None


def recovery_check(user: User, code: str) -> StaticDevice | None:
    """Use up one recovery code; None if it is wrong or was used before."""
    if not re.fullmatch(rf"[a-z0-9]{{{RECOVERY_LENGTH}}}", recovery_code_normalise(code)):
        return None
    device = StaticDevice.objects.filter(user=user, confirmed=True).first()
    if device is None or not device.verify_token(recovery_code_hash(code)):
        return None
    return device


def backing_off(user: User, *, recovery: bool) -> bool:
    """django-otp waits longer after each wrong code; True while it refuses to check at all."""
    model = StaticDevice if recovery else TOTPDevice
    device = model.objects.filter(user=user, confirmed=True).first()
    return device is not None and not device.verify_is_allowed()[0]


def code_check(user: User, code: str, *, recovery: bool) -> OTPDevice | None:
    return recovery_check(user, code) if recovery else totp_check(user, code)


def session_verified(request: HttpRequest, user: User) -> bool:
    """This session passed a second step (a code or passkey) of this account."""
    persistent_id = request.session.get(DEVICE_ID_SESSION_KEY)
    if not persistent_id:
        return False
    device = OTPDeviceModel.from_persistent_id(persistent_id)
    return device is not None and device.user_id == user.pk and bool(device.confirmed)


def pending_start(request: HttpRequest, *, user: User, next_url: str) -> None:
    """The password was right: wait for the second step, signed in nowhere yet."""
    request.session.cycle_key()
    request.session[PENDING_KEY] = {
        "user": user.pk,
        "backend": getattr(user, "backend", "django.contrib.auth.backends.ModelBackend"),
        "at": time.time(),
        "next": next_url,
        # A password change (or sign-out everywhere) meanwhile voids the half sign-in.
        "hash": user.get_session_auth_hash(),
        # "Keep me signed in" from the password step, for the session login() makes.
        "keep": bool(getattr(request, KEEP_SIGNED_IN_ATTR, True)),
    }


def pending_read(request: HttpRequest) -> dict[str, Any] | None:
    pending = request.session.get(PENDING_KEY)
    if not isinstance(pending, dict) or time.time() - pending.get("at", 0) > PENDING_MAX_AGE:
        return None
    return pending


def pending_user(request: HttpRequest) -> User | None:
    """The account waiting for its second step in this session, if still valid."""
    pending = pending_read(request)
    if pending is None:
        return None
    user = User.objects.filter(pk=pending["user"], is_active=True).first()
    if user is None or user.get_session_auth_hash() != pending["hash"]:
        return None
    return user


def pending_clear(request: HttpRequest) -> None:
    request.session.pop(PENDING_KEY, None)


def pending_finish(request: HttpRequest, *, user: User, device: OTPDevice) -> str:
    """Sign in for real now the second step passed; returns where to go next."""
    pending = request.session.pop(PENDING_KEY)
    setattr(request, KEEP_SIGNED_IN_ATTR, pending.get("keep", True))
    login(request, user, backend=pending["backend"])
    otp_login(request, device)
    return str(pending["next"])
