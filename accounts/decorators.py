"""Account settings are out of reach of a Kids profile."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def not_for_kids(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A Kids profile gets a page that says so (403), with a way to switch profile."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        profile = getattr(request, "profile", None)
        if profile and profile.is_kids:
            return render(request, "accounts/kids_blocked.html", status=403)
        return view(request, *args, **kwargs)

    return wrapper
