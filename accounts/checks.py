"""Start-up checks for production: throttles need a shared cache, and e-mail links must not
end up in a log."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error, Tags, register

_LOGGING_EMAIL_BACKENDS = (
    "django.core.mail.backends.console.EmailBackend",
    "django.core.mail.backends.filebased.EmailBackend",
)


@register(Tags.security)
def check_cache_shared(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    if not settings.DEBUG and backend.endswith("LocMemCache"):
        return [
            Error(
                "The default cache is local memory: each worker would keep its own throttle "
                "counters, so sign-in and code guessing limits multiply by the worker count.",
                hint="Leave CACHES alone (the database cache) or set REDIS_URL.",
                id="accounts.E001",
            )
        ]
    return []


@register(Tags.security)
def check_email_backend(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    backend = getattr(settings, "EMAIL_BACKEND", "")
    explicit = getattr(settings, "EMAIL_URL_SET", True)
    if not settings.DEBUG and backend in _LOGGING_EMAIL_BACKENDS and not explicit:
        return [
            Error(
                "E-mail goes to the console or a file by default: working password-reset and "
                '"This wasn\'t me" links would be written where anyone reading logs finds them.',
                hint="Set EMAIL_URL (smtp+tls://user:pass@host:587, ...); set it to "
                "consolemail:// only on purpose.",
                id="accounts.E002",
            )
        ]
    return []
