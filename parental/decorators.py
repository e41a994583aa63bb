"""Parental settings need the password re-entered within the last few minutes."""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from accounts.decorators import not_for_kids

# When this session last re-entered the account password (epoch seconds).
SESSION_REAUTH_KEY = "_password_confirmed_at"
REAUTH_WINDOW = 10 * 60


def password_recently_confirmed(request: HttpRequest) -> bool:
    return time.time() - request.session.get(SESSION_REAUTH_KEY, 0) < REAUTH_WINDOW


def password_confirmation_required(
    view: Callable[..., HttpResponse],
) -> Callable[..., HttpResponse]:
    """The password must have been re-entered in the last 10 minutes."""

    @wraps(view)
    @not_for_kids
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not password_recently_confirmed(request):
            query = urlencode({"next": request.get_full_path()})
            return redirect(f"{reverse('confirm_password')}?{query}")
        return view(request, *args, **kwargs)

    return wrapper
