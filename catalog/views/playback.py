"""Watching: the player, its heartbeat, stopping a stream, and the PIN that unlocks a title
above the level or lifts viewing hours."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from accounts.http import AuthedHttpRequest, client_ip, safe_next
from catalog import services
from catalog.models import HEARTBEAT_SECONDS, Title, Viewing
from devices.http import current_device, current_device_id
from devices.names import device_name_shown
from parental import policy
from parental.pin import pin_gate
from parental.policy import pin_exists
from parental.services import unlock_hours, unlock_title

from .common import (
    PinRequired,
    TitleRefused,
    parse_uuid,
    picked,
    profile_required,
    refused_page,
    title_or_404,
    to_pin_pad,
)


def _stream_limit_context(request: AuthedHttpRequest, title: Title) -> dict[str, Any]:
    playing = list(
        Viewing.objects.for_account(request.user)
        .playing()
        .select_related("profile")
        .order_by("started_at", "id")
    )
    return {
        "title": title,
        "playing_streams": playing,
        "stream_limit": settings.STREAM_LIMIT,
        "limit_reached": len(playing) >= settings.STREAM_LIMIT,
    }


@require_http_methods(["GET", "POST"])
@profile_required
def watch(request: AuthedHttpRequest, slug: str) -> HttpResponse:
    """GET: the player (?v=<viewing>) or its start screen; POST "Play": start a stream."""
    profile = picked(request)
    try:
        title = title_or_404(request, slug, play=True)
    except PinRequired:
        return to_pin_pad(request, slug)
    except TitleRefused as refused:
        return refused_page(request, refused)
    if request.method == "POST":
        try:
            started = services.playback_start(
                profile=profile,
                title=title,
                device=current_device(request, user=request.user),
                ip=client_ip(request),
                from_start=request.POST.get("from") == "start",
            )
        except services.PlaybackRefused:
            raise Http404("No such title.") from None
        except services.StreamLimitReached:
            context = {**_stream_limit_context(request, title), "mode": "limit"}
            return render(request, "catalog/watch.html", context, status=409)
        return redirect(f"{reverse('catalog:watch', args=[title.slug])}?v={started.public_id}")
    viewing: Viewing | None = None
    if "v" in request.GET:
        viewing = get_object_or_404(
            Viewing.objects.for_profile(profile).select_related("title"),
            title=title,
            public_id=parse_uuid(request.GET["v"]),
        )
    context = {
        "title": title,
        "viewing": viewing,
        "minutes_left": policy.minutes_left_today(profile, device_id=current_device_id(request)),
        "mode": "player" if viewing else "start",
        "resume": None if viewing else Viewing.objects.for_profile(profile).resume_point(title),
        "heartbeat_seconds": HEARTBEAT_SECONDS,
    }
    return render(request, "catalog/watch.html", context)


@require_POST
@vary_on_headers("HX-Request")
@profile_required
def heartbeat(request: AuthedHttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """The player's report every HEARTBEAT_SECONDS: keeps the stream and saves its place."""
    viewing = get_object_or_404(Viewing.objects.for_profile(picked(request)), public_id=public_id)
    viewing = services.playback_heartbeat(viewing=viewing)
    if request.htmx:
        return render(
            request,
            "catalog/watch.html#player-status",
            {
                "viewing": viewing,
                "title": viewing.title,
                "heartbeat_seconds": HEARTBEAT_SECONDS,
                "minutes_left": policy.minutes_left_today(
                    viewing.profile, device_id=current_device_id(request)
                ),
            },
        )
    url = reverse("catalog:watch", args=[viewing.title.slug])
    return redirect(f"{url}?v={viewing.public_id}")


@require_POST
@vary_on_headers("HX-Request")
def stream_stop(request: AuthedHttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """ "Stop playback on <device>": any stream of the account, from any of its devices."""
    viewing = get_object_or_404(Viewing.objects.for_account(request.user), public_id=public_id)
    # Back to the title the person was starting, if the profile may play it; checked
    # first, so a refused title changes nothing.
    slug = request.POST.get("title", "")
    try:
        title = title_or_404(request, slug, play=True) if slug and request.profile else None
    except PinRequired:
        raise Http404("No such title.") from None
    except TitleRefused as refused:
        return refused_page(request, refused)
    services.playback_stop(viewing=viewing, from_device_id=current_device_id(request))
    if title is None:
        messages.success(
            request,
            _("Playback stopped on %(device)s.")
            % {"device": device_name_shown(viewing.device_name)},
        )
        kids = request.profile and request.profile.is_kids
        return redirect("catalog:browse" if kids else "catalog:streaming_activity")
    if request.htmx:
        return render(
            request, "catalog/watch.html#stream-limit", _stream_limit_context(request, title)
        )
    if request.POST.get("pause"):
        messages.info(request, _("Paused. “Play” carries on where you left off."))
    else:
        messages.success(
            request,
            _("Playback stopped on %(device)s.")
            % {"device": device_name_shown(viewing.device_name)},
        )
    return redirect("catalog:watch", title.slug)


@require_http_methods(["GET", "POST"])
@profile_required
def title_unlock(request: AuthedHttpRequest, slug: str) -> HttpResponse:
    """The parental PIN opens a title above the level (4 hours) or lifts viewing hours (today)."""
    profile = picked(request)
    title = get_object_or_404(Title, slug=slug)
    device_id = current_device_id(request)
    decision = policy.can_play(profile, title, device_id=device_id)
    next_url = safe_next(request, reverse("catalog:title", args=[slug]))
    if decision:
        return HttpResponseRedirect(next_url)
    has_pin = pin_exists(request.user)
    if not decision.unlock_offered(pin_exists=has_pin):
        return refused_page(request, TitleRefused(title, decision))
    if not has_pin:
        context = {"title": title, "reason": decision.reason, "heading": decision.message}
        return render(request, "catalog/unlock.html", context, status=403)

    def unlocked() -> HttpResponse:
        if decision.reason == policy.MATURITY:
            unlock_title(profile=profile, device_id=device_id, title=title)
        else:
            unlock_hours(profile=profile, device_id=device_id)
        return HttpResponseRedirect(next_url)

    return pin_gate(
        request,
        heading=decision.message,
        on_success=unlocked,
        context={"title": title, "reason": decision.reason},
        template="catalog/unlock.html",
    )
