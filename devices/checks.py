"""Start-up checks: devices can only be signed out on a session engine that can revoke."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security)
def check_session_engine_revocable(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    if settings.SESSION_ENGINE == "django.contrib.sessions.backends.signed_cookies":
        return [
            Error(
                "Signed-cookie sessions cannot be revoked on the server, so signing a device "
                "out would not take effect.",
                hint="Use the db, cache, cached_db or file session engine.",
                id="devices.E001",
            )
        ]
    return []
