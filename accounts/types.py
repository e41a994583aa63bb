"""Request types for views behind the auth, htmx and profile middleware."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest

if TYPE_CHECKING:
    import uuid

    from django_htmx.middleware import HtmxDetails

    from .models import Profile, User


class AuthedHttpRequest(HttpRequest):
    user: User  # type: ignore[assignment]
    htmx: HtmxDetails
    profile: Profile | None
    device_cookie_id: uuid.UUID
