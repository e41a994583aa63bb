from __future__ import annotations

from typing import Any

from django.http import HttpRequest


def current_profile(request: HttpRequest) -> dict[str, Any]:
    return {"current_profile": getattr(request, "profile", None)}
