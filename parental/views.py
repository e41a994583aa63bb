"""Parental controls pages, the PIN page, and opening a profile ("Who's watching?")."""

from __future__ import annotations

from datetime import time
from uuid import UUID

from django.contrib import messages
from django.db.models import Prefetch
from django.http import HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from accounts.decorators import password_confirmation_required
from accounts.gate import Purpose
from accounts.http import AuthedHttpRequest, own_profile_or_404, safe_next
from accounts.models import Profile
from catalog.models import Title
from devices.http import request_origin

from . import services
from .forms import ControlsForm, PinSetForm, TimeZoneForm, WindowForm, level_name
from .models import ProfileControls, ViewingWindow
from .pin import profile_choose, profile_pick_gate
from .policy import max_age, pin_exists, profile_needs_pin

TITLE_SEARCH_MAX = 100
TITLE_SEARCH_RESULTS = 10

# "Weekdays" and "Weekend" fill those days; "Copy to every day" copies the first day set.
PRESETS = {
    "weekdays": (range(0, 5), time(7, 0), time(20, 0)),
    "weekend": (range(5, 7), time(8, 0), time(21, 30)),
}


@password_confirmation_required(purpose=Purpose.PARENTAL)
def parental_overview(request: AuthedHttpRequest) -> HttpResponse:
    """ "Parental controls": every profile's level, blocked titles, lock, hours and limit."""
    has_pin = pin_exists(request.user)
    profiles = (
        Profile.objects.for_account(request.user)
        .select_related("controls")
        .prefetch_related(
            Prefetch("controls__windows", queryset=ViewingWindow.objects.order_by("weekday")),
            Prefetch("controls__blocked_titles", queryset=Title.objects.order_by("name")),
        )
    )
    rows = []
    for profile in profiles:
        controls: ProfileControls | None = getattr(profile, "controls", None)
        rows.append(
            {
                "profile": profile,
                "level": level_name(max_age(profile)),
                "blocked": [title.name for title in controls.blocked_titles.all()]
                if controls
                else [],
                "locked": bool(controls and controls.locked),
                "windows": list(controls.windows.all()) if controls else [],
                "daily_limit": controls.daily_limit_minutes if controls else None,
            }
        )
    return render(request, "parental/overview.html", {"rows": rows, "has_pin": has_pin})


@password_confirmation_required(purpose=Purpose.PARENTAL_PIN)
def parental_pin(request: AuthedHttpRequest) -> HttpResponse:
    """ "Parental PIN": set or change the account's 4-digit PIN (and a way to remove it)."""
    has_pin = pin_exists(request.user)
    form = PinSetForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        services.pin_set(
            origin=request_origin(request), user=request.user, pin=form.cleaned_data["pin"]
        )
        messages.success(request, _("Parental PIN changed.") if has_pin else _("Parental PIN set."))
        return redirect("parental_pin")
    inactive_locks = (
        0
        if has_pin
        else ProfileControls.objects.filter(profile__user=request.user, locked=True).count()
    )
    return render(
        request,
        "parental/pin.html",
        {"form": form, "has_pin": has_pin, "inactive_locks": inactive_locks},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@password_confirmation_required(purpose=Purpose.PARENTAL_PIN)
def parental_pin_remove(request: AuthedHttpRequest) -> HttpResponse:
    """ "Remove PIN": a confirmation that says what it does, then the removal."""
    if not pin_exists(request.user):
        return redirect("parental_pin")
    if request.method == "POST":
        services.pin_remove(origin=request_origin(request), user=request.user)
        messages.success(
            request,
            _(
                "Parental PIN removed. Profiles locked with the PIN open without it until you "
                "set a PIN again."
            ),
        )
        return redirect("parental_pin")
    locked = Profile.objects.for_account(request.user).filter(controls__locked=True)
    return render(request, "parental/pin_remove.html", {"locked_profiles": locked})


@password_confirmation_required(purpose=Purpose.TIME_ZONE)
def time_zone(request: AuthedHttpRequest) -> HttpResponse:
    """The account's time zone, for viewing hours and daily limits."""
    form = TimeZoneForm(
        request.POST if request.method == "POST" else None,
        initial={"time_zone": request.user.time_zone},
    )
    if request.method == "POST" and form.is_valid():
        services.time_zone_set(
            origin=request_origin(request),
            user=request.user,
            time_zone=form.cleaned_data["time_zone"],
        )
        messages.success(
            request, _("Time zone set to %(zone)s.") % {"zone": request.user.time_zone}
        )
        return redirect("account")
    return render(
        request, "parental/time_zone.html", {"form": form}, status=400 if form.errors else 200
    )


def _apply_preset(data: QueryDict, preset: str) -> QueryDict | None:
    """The posted hours with a preset (or "Copy to every day") filled in; None if unknown."""
    data = data.copy()
    if preset == "copy":
        first = next((day for day in range(7) if data.get(f"day{day}-enabled")), None)
        if first is None:
            return data
        days: range = range(7)
        starts, ends = data.get(f"day{first}-starts", ""), data.get(f"day{first}-ends", "")
    elif preset in PRESETS:
        days, start_time, end_time = PRESETS[preset]
        starts, ends = f"{start_time:%H:%M}", f"{end_time:%H:%M}"
    else:
        return None
    for day in days:
        data[f"day{day}-enabled"] = "on"
        data[f"day{day}-starts"], data[f"day{day}-ends"] = starts, ends
    return data


def _window_forms(data: QueryDict | None, windows: dict[int, ViewingWindow]) -> list[WindowForm]:
    return [
        WindowForm(
            data,
            prefix=f"day{day}",
            weekday=day,
            initial={
                "enabled": day in windows,
                "starts": windows[day].starts if day in windows else "07:00",
                "ends": windows[day].ends if day in windows else "20:00",
            },
        )
        for day in ViewingWindow.Weekday.values
    ]


def _search_results(query: str) -> list[Title]:
    if len(query) < 2:
        return []
    return list(Title.objects.search(query)[:TITLE_SEARCH_RESULTS])


def _titles_context(controls: ProfileControls, query: str) -> dict[str, object]:
    """ "Title restrictions": the blocked titles, and the search rows, each blocked one
    saying "Blocked" instead of offering "Add"."""
    blocked = list(controls.blocked_titles.order_by("name"))
    return {
        "blocked": blocked,
        "blocked_ids": {title.pk for title in blocked},
        "query": query,
        "results": _search_results(query),
    }


@password_confirmation_required(purpose=Purpose.PARENTAL)
def profile_parental(request: AuthedHttpRequest, public_id: UUID) -> HttpResponse:
    """ "Parental controls" of one profile: level, lock, daily limit, hours, titles."""
    profile = own_profile_or_404(request, public_id)
    controls = services.controls_for(profile)
    has_pin = pin_exists(request.user)
    windows = {window.weekday: window for window in controls.windows.all()}
    data: QueryDict | None = request.POST if request.method == "POST" else None
    preset = request.POST.get("apply", "") if data is not None else ""
    if preset:
        data = _apply_preset(request.POST, preset)
    form = ControlsForm(data, instance=controls, profile=profile, has_pin=has_pin)
    window_forms = _window_forms(data, windows)
    valid = data is not None and form.is_valid() and all(f.is_valid() for f in window_forms)
    if valid and preset:
        messages.info(request, _("Hours filled in. Check them, then press Save."))
    elif valid:
        changed = services.controls_update(
            origin=request_origin(request),
            profile=profile,
            changes={field: form.cleaned_data[field] for field in form.Meta.fields},
            windows={
                f.weekday: (f.cleaned_data["starts"], f.cleaned_data["ends"])
                for f in window_forms
                if f.cleaned_data.get("enabled")
            },
        )
        messages.success(request, _("Saved.") if changed else _("Nothing changed."))
        return redirect("profile_parental", public_id=profile.public_id)
    query = request.GET.get("q", "").strip()[:TITLE_SEARCH_MAX]
    return render(
        request,
        "parental/controls.html",
        {
            "profile": profile,
            "controls": controls,
            "form": form,
            "window_forms": window_forms,
            "has_pin": has_pin,
            **_titles_context(controls, query),
        },
        status=400 if data is not None and not valid else 200,
    )


@password_confirmation_required(purpose=Purpose.PARENTAL)
@vary_on_headers("HX-Request")
def title_search(request: AuthedHttpRequest, public_id: UUID) -> HttpResponse:
    """Titles matching what was typed, to add to the profile's blocked titles.

    As you type (htmx) the results land on the controls page; a plain submit goes to the
    controls page itself, where "Add" and "Remove" work with or without JavaScript."""
    profile = own_profile_or_404(request, public_id)
    query = request.GET.get("q", "").strip()[:TITLE_SEARCH_MAX]
    if not request.htmx:
        url = reverse("profile_parental", args=[profile.public_id])
        return redirect(f"{url}?{urlencode({'q': query})}#restrictions-heading")
    context = {"profile": profile, **_titles_context(services.controls_for(profile), query)}
    return render(request, "parental/controls.html#results", context)


def _title_blocked(request: AuthedHttpRequest, public_id: UUID, *, blocked: bool) -> HttpResponse:
    profile = own_profile_or_404(request, public_id)
    title = get_object_or_404(Title, slug=request.POST.get("title", "")[:80])
    services.title_block(
        origin=request_origin(request), profile=profile, title=title, blocked=blocked
    )
    done = _("%(title)s blocked.") if blocked else _("%(title)s unblocked.")
    query = request.POST.get("q", "").strip()[:TITLE_SEARCH_MAX]
    if request.htmx:
        # The list, saying what was done (focus moves to it), and out of band the search
        # rows, the title's own now saying "Blocked" (or offering "Add" again).
        context = {
            "profile": profile,
            "said": done % {"title": title.name},
            "acted_on": title.pk,
            **_titles_context(services.controls_for(profile), query),
        }
        return render(request, "parental/controls.html#blocked-titles", context)
    messages.success(request, done % {"title": title.name})
    url = reverse("profile_parental", args=[profile.public_id])
    return redirect(f"{url}?{urlencode({'q': query})}" if query else url)


@require_POST
@password_confirmation_required(purpose=Purpose.PARENTAL)
@vary_on_headers("HX-Request")
def title_block(request: AuthedHttpRequest, public_id: UUID) -> HttpResponse:
    """ "Add" a title to the profile's blocked titles."""
    return _title_blocked(request, public_id, blocked=True)


@require_POST
@password_confirmation_required(purpose=Purpose.PARENTAL)
@vary_on_headers("HX-Request")
def title_unblock(request: AuthedHttpRequest, public_id: UUID) -> HttpResponse:
    """ "Remove" a title from the profile's blocked titles."""
    return _title_blocked(request, public_id, blocked=False)


@require_POST
def profile_open(request: AuthedHttpRequest, public_id: UUID) -> HttpResponse:
    """A profile's button on "Who's watching?": a locked one, or leaving Kids, asks the PIN."""
    profile = own_profile_or_404(request, public_id)
    if profile_needs_pin(request.profile, profile):
        return redirect("profile_unlock", public_id=profile.public_id)
    profile_choose(request, profile)
    return redirect("account" if request.POST.get("next") == "account" else "home")


def profile_unlock(request: AuthedHttpRequest, public_id: UUID) -> HttpResponse:
    """A locked profile, or any profile from a Kids one: the PIN opens it on this device."""
    return profile_pick_gate(
        request,
        own_profile_or_404(request, public_id),
        next_url=safe_next(request, reverse("home")),
        back_url=reverse("profiles"),
    )
