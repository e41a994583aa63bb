"""Native apps' tokens (django-oauth-toolkit) as Devices: the device grant's server, the
validator that ties a refresh to its Device, and the one read that turns a bearer token
into its signed-in Device.

Tokens live in the database and are read from it on every request, so a token revoked by
one worker is refused by every other at once; no cache stands in between.
"""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from django.db.models import Q
from django.utils import timezone
from oauth2_provider.models import Application, RefreshToken
from oauth2_provider.oauth2_validators import OAuth2Validator
from oauthlib.oauth2 import DeviceApplicationServer

from .models import Device, DisabledApp, PairingCode


def token_checksum(raw: str) -> str:
    """How django-oauth-toolkit finds a token: the SHA-256 of its value."""
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def user_code_draw() -> str:
    """The same code the browser TV shows: 8 letters, no vowels, shown as BCDF-GHJK."""
    for _attempt in range(5):
        code = "".join(secrets.choice(PairingCode.ALPHABET) for _ in range(PairingCode.LENGTH))
        if not PairingCode.objects.pending().filter(user_code=code).exists():
            return f"{code[:4]}-{code[4:]}"
    raise RuntimeError("Could not draw a unique pairing code.")


class DeviceServer(DeviceApplicationServer):  # type: ignore[misc]
    """The device authorization endpoint with StreamGuard's codes and their lifetime."""

    def __init__(self, request_validator: Any, **kwargs: Any) -> None:
        kwargs["user_code_generator"] = user_code_draw
        super().__init__(request_validator, **kwargs)
        # The library leaves the lifetime at 30 minutes: a code lives as long as a TV's.
        self._expires_in = int(PairingCode.LIFETIME.total_seconds())


class Validator(OAuth2Validator):  # type: ignore[misc]
    """django-oauth-toolkit's validator, where a refresh needs its Device still signed in
    and a disabled app is no client at all."""

    def _load_application(self, client_id: str, request: Any) -> Application | None:
        client: Application | None = super()._load_application(client_id, request)
        if client is not None and DisabledApp.objects.filter(application=client).exists():
            request.client = None
            return None
        return client

    def validate_refresh_token(
        self, refresh_token: str, client: Any, request: Any, *args: Any, **kwargs: Any
    ) -> bool:
        if not super().validate_refresh_token(refresh_token, client, request, *args, **kwargs):
            return False
        family = request.refresh_token_instance.token_family
        return bool(family) and Device.objects.signed_in().filter(token_family=family).exists()


def device_for_access_token(raw: str) -> Device | None:
    """The signed-in Device this live access token belongs to, in one query; else None."""
    if not raw or len(raw) > 512:
        return None
    families = RefreshToken.objects.filter(
        access_token__token_checksum=token_checksum(raw),
        access_token__expires__gt=timezone.now(),
        revoked__isnull=True,
    ).values("token_family")
    return (
        Device.objects.signed_in()
        .filter(token_family__in=families, user__is_active=True)
        .select_related("user", "last_profile", "application")
        .first()
    )


def device_for_token(raw: str, *, client_id: str) -> Device | None:
    """The Device an app's access or refresh token belongs to (for its own revocation)."""
    if not raw or len(raw) > 512:
        return None
    checksum = token_checksum(raw)
    family = RefreshToken.objects.filter(
        Q(token_checksum=checksum) | Q(access_token__token_checksum=checksum),
        application__client_id=client_id,
    ).values("token_family")
    return Device.objects.filter(token_family__in=family).select_related("user").first()


def refresh_token_family(raw: str) -> Any:
    """The family of the refresh token just issued (the Device it will be)."""
    return (
        RefreshToken.objects.filter(token_checksum=token_checksum(raw), revoked__isnull=True)
        .values_list("token_family", flat=True)
        .first()
    )


def app_for_client_id(client_id: str) -> Application | None:
    if not client_id or len(client_id) > 100:
        return None
    disabled = DisabledApp.objects.values("application_id")
    return Application.objects.filter(client_id=client_id).exclude(pk__in=disabled).first()
