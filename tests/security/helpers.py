"""Helpers the security tests share: a page's text, a throttled answer, every URL of the
site, the log as captured."""

from __future__ import annotations

import logging
import uuid
from io import StringIO

from django.urls import URLPattern, URLResolver, get_resolver, reverse


def text(response) -> str:
    return response.content.decode()


def assert_throttled(response) -> None:
    """What a throttled request gets: 429, the page itself, and when to come back."""
    assert response.status_code == 429, response.status_code
    assert int(response["Retry-After"]) > 0
    assert "<html" in text(response) or "<!doctype html>" in text(response).lower()


def urls_with_arguments() -> list[tuple[str, str]]:
    """Every URL of the site (the admin's index for the admin), with made-up arguments."""
    found: list[tuple[str, str]] = []

    def walk(patterns, namespace: str = "") -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.app_name == "admin":
                    found.append(("admin:index", "/admin/"))
                    continue
                walk(pattern.url_patterns, pattern.namespace or namespace)
            elif isinstance(pattern, URLPattern) and pattern.name:
                name = f"{namespace}:{pattern.name}" if namespace else pattern.name
                kwargs = {}
                for key, converter in pattern.pattern.converters.items():
                    kind = type(converter).__name__
                    kwargs[key] = {"UUIDConverter": uuid.uuid4(), "SlugConverter": "a-title"}.get(
                        kind, "x"
                    )
                found.append((name, reverse(name, kwargs=kwargs)))

    walk(get_resolver().url_patterns)
    return found


class LogCapture:
    """Everything the configured handlers write, with their own filters and formatters."""

    def __init__(self) -> None:
        self.buffer = StringIO()
        self.handlers: list[tuple[logging.StreamHandler, object]] = []
        for name in ("", "streamguard.security", "django.server"):
            for handler in logging.getLogger(name).handlers:
                if isinstance(handler, logging.StreamHandler) and type(handler).__module__ == (
                    "logging"
                ):
                    self.handlers.append((handler, handler.setStream(self.buffer)))
        self.level = logging.getLogger().level
        logging.getLogger().setLevel(logging.DEBUG)

    def close(self) -> str:
        for handler, stream in self.handlers:
            handler.setStream(stream)  # type: ignore[arg-type]
        logging.getLogger().setLevel(self.level)
        return self.buffer.getvalue()
