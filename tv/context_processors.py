from __future__ import annotations

from typing import Any

from django.http import HttpRequest

# Set in the session of a TV or console signed in through /tv/: the catalog pages it
# opens (the same views, the same policy) are laid out for the TV and its remote.
TV_CLIENT_SESSION_KEY = "_tv_client"


def client_layout(request: HttpRequest) -> dict[str, Any]:
    """The base layout, and for a TV its flavour ("tv", or "playstation" for "Get help")."""
    session = getattr(request, "session", None)
    platform = session.get(TV_CLIENT_SESSION_KEY, "") if session is not None else ""
    if not platform:
        return {"base_template": "base.html"}
    return {"base_template": "tv/app_base.html", "platform": platform}
