"""request.user, with the liveness of the session's device read in the same query.

A signed-out device's session may survive somewhere: a cached copy another worker wrote
back during the sign-out, a Redis that was down when the copy should have been deleted,
a Redis restored from a snapshot older than the sign-out. The database row of the device
is the truth, and asking it costs nothing: every signed-in request loads its user anyway,
and the device's state comes along in that one query (an EXISTS on its primary key).
"""

from __future__ import annotations

import uuid
from functools import partial
from typing import Any

from asgiref.sync import sync_to_async
from django.conf import settings
from django.contrib import auth
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY
from django.contrib.auth.middleware import AuthenticationMiddleware
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef
from django.http import HttpRequest
from django.utils.crypto import constant_time_compare
from django.utils.functional import SimpleLazyObject

from accounts.models import User

from .models import Device
from .sessions import DeviceStamp


def _device_id(request: HttpRequest) -> uuid.UUID | None:
    stamp = DeviceStamp.read(request.session)
    if stamp is None:
        return None
    try:
        return uuid.UUID(stamp.id)
    except ValueError:
        return None


# Backends that load the user by primary key and refuse inactive ones, as this query does:
# the password's and the passkey's.
PK_BACKENDS = frozenset(
    {"django.contrib.auth.backends.ModelBackend", "django_otp_webauthn.backends.WebAuthnBackend"}
)


def get_user(request: HttpRequest) -> Any:
    """Django's auth.get_user, refusing a session whose device is signed out, in one query."""
    device_id = _device_id(request)
    session = request.session
    backend_path = session.get(BACKEND_SESSION_KEY)
    if (
        device_id is None
        or not isinstance(backend_path, str)
        or backend_path not in settings.AUTHENTICATION_BACKENDS
    ):
        return auth.get_user(request)
    if backend_path not in PK_BACKENDS:
        return auth.get_user(request)
    backend: Any = auth.load_backend(backend_path)
    try:
        user_id = auth._get_user_session_key(request)  # type: ignore[attr-defined]
    except (KeyError, ValueError, ValidationError):
        return AnonymousUser()
    live = Device.objects.filter(id=device_id, user=OuterRef("pk"), signed_out_at__isnull=True)
    user = User._default_manager.annotate(device_live=Exists(live)).filter(pk=user_id).first()
    if user is None or not backend.user_can_authenticate(user) or not user.device_live:
        # Deletes whatever copy of the session this store still had.
        session.flush()
        return AnonymousUser()
    # The rest is Django's own check of the auth hash, secret key fallbacks included.
    session_hash = session.get(HASH_SESSION_KEY)
    current = user.get_session_auth_hash()
    if session_hash and constant_time_compare(session_hash, current):
        return user
    if session_hash and any(
        constant_time_compare(session_hash, fallback)
        for fallback in user.get_session_auth_fallback_hash()
    ):
        session.cycle_key()
        session[HASH_SESSION_KEY] = current
        return user
    session.flush()
    return AnonymousUser()


class DeviceAuthenticationMiddleware(AuthenticationMiddleware):
    """Django's AuthenticationMiddleware with the device-aware get_user above."""

    def process_request(self, request: HttpRequest) -> None:
        super().process_request(request)
        request.user = SimpleLazyObject(lambda: get_user(request))  # type: ignore[assignment]
        request.auser = partial(sync_to_async(get_user), request)
