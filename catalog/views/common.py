"""What the catalog's views share: a profile picked, and the policy's answer for a title."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import Http404, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.http import urlencode
from django_htmx.http import HttpResponseClientRedirect

from accounts.http import AuthedHttpRequest
from accounts.models import Profile
from catalog.models import Title
from devices.http import current_device_id
from parental import policy
from parental.policy import pin_exists


def profile_required(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Pages shown as a profile send the person to "Who's watching?" when none is picked."""

    @wraps(view)
    def wrapper(request: AuthedHttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.profile:
            if request.htmx:
                return HttpResponseClientRedirect(reverse("profiles"))
            return redirect("profiles")
        return view(request, *args, **kwargs)

    return wrapper


def parse_uuid(value: str | None) -> uuid.UUID | None:
    try:
        return uuid.UUID(value or "")
    except ValueError:
        return None


def picked(request: AuthedHttpRequest) -> Profile:
    """The current profile (profile_required has made sure there is one)."""
    if not request.profile:
        raise Http404("No profile picked.")
    return request.profile


class PinRequired(Exception):
    """The policy refused, and the PIN page is the answer (Decision.unlock_offered)."""


def title_or_404(request: AuthedHttpRequest, slug: str, *, play: bool = False) -> Title:
    """The title, if the policy lets the current profile open (or play) it.

    A refusal the PIN can lift raises PinRequired (the views send the person to the PIN
    pad); any other refusal is a 404, so a Kids profile cannot tell a hidden title from a
    missing one.
    """
    title = get_object_or_404(Title, slug=slug)
    ask = policy.can_play if play else policy.can_view
    decision = ask(picked(request), title, device_id=current_device_id(request))
    if not decision:
        if decision.unlock_offered(pin_exists=pin_exists(request.user)):
            raise PinRequired(title.slug)
        raise Http404("No such title.")
    return title


def to_pin_pad(request: AuthedHttpRequest, slug: str) -> HttpResponse:
    url = f"{reverse('catalog:unlock', args=[slug])}?{urlencode({'next': request.get_full_path()})}"
    return HttpResponseClientRedirect(url) if request.htmx else redirect(url)
