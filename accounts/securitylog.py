"""The operators' security log: one JSON line per event on the `streamguard.security` logger.

Event names follow the OWASP Logging Vocabulary (authn_login_fail, authn_login_lock,
session_expired, authz_fail, excess_rate_limit_exceeded, ...). The account holder's own
log is SecurityEvent; this one is for whoever runs the site and its log collector.

The standard library is enough: a Formatter that dumps a dict is a dozen lines, and logging
is configured before Django loads apps, so this module imports no models.
"""

from __future__ import annotations

import json
import logging
import re
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from django.http import HttpRequest

logger = logging.getLogger("streamguard.security")

# Paths that carry a secret: a reset link's token (its set-password step carries none), the
# e-mail links (verify, change, "This wasn't me") and the new-device "This wasn't me", and
# codes or tokens in a query string (a TV's code on /activate/?code=, an app's device code).
# Every logger that may print a path uses these: Django's handlers and gunicorn's access and
# error logs (config/gunicorn.conf.py).
_SECRET_PATHS = [
    (re.compile(r"(/password-reset/[^/\s?\"]+/)(?!set-password/)[^/\s?\"]+"), r"\1[redacted]"),
    (re.compile(r"(/email/(?:verify|change)/)[^/\s?\"]+"), r"\1[redacted]"),
    (re.compile(r"(/not-me/)[^/\s?\"]+"), r"\1[redacted]"),
    (
        re.compile(r"([?&](?:[\w-]*(?:token|code)|pin|password|secret)=)[^&\s\"]+"),
        r"\1[redacted]",
    ),
]


def redact(text: str) -> str:
    """The text with the secrets of secret-bearing paths replaced."""
    for pattern, replacement in _SECRET_PATHS:
        text = pattern.sub(replacement, text)
    return text


class RedactSecretsFilter(logging.Filter):
    """Drops tokens from request paths in any record (django.request, django.server, ...)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        request = getattr(record, "request", None)
        if request is not None and not isinstance(request, str):
            # The 500 e-mail handler and others print the request: keep only a clean path.
            record.request = redact(str(getattr(request, "path", "")))
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC, ISO 8601), level, event and the record's fields."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "event": getattr(record, "event", record.getMessage()),
        }
        entry.update(getattr(record, "fields", {}))
        return json.dumps(entry, default=str, sort_keys=False)


def security_log(
    event: str,
    *,
    request: HttpRequest | None = None,
    user_id: object = None,
    device_id: object = None,
    level: int = logging.INFO,
    **detail: object,
) -> None:
    """Write one event to the security log, with who, from where and on which device."""
    # Imported here: this module is loaded by the logging configuration, before the apps.
    from .http import client_ip

    if request is not None:
        if user_id is None:
            user = getattr(request, "user", None)
            user_id = user.pk if user is not None and user.is_authenticated else None
        if device_id is None and hasattr(request, "session"):
            stamp = request.session.get("_device")
            device_id = stamp.get("id") if isinstance(stamp, dict) else None
    fields = {
        "user_id": user_id,
        "device_id": str(device_id) if device_id else None,
        "ip": client_ip(request) if request is not None else None,
        "path": redact(request.path) if request is not None else None,
        **detail,
    }
    logger.log(level, event, extra={"event": event, "fields": fields})
