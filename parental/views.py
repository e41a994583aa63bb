"""Parental controls pages, the PIN page, and opening a profile ("Who's watching?")."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST
from django.views.decorators.vary import vary_on_headers

from accounts.decorators import password_confirmation_required
from accounts.http import AuthedHttpRequest, own_profile_or_404, safe_next
from accounts.models import Profile
from accounts.services import profile_pick
from catalog.models import Title

from . import services
from .forms import ControlsForm, PinSetForm, TimeZoneForm, WindowForm
from .models import ViewingWindow
from .pin import pin_gate
from .policy import pin_exists, profile_locked

TITLE_SEARCH_MAX = 100


@password_confirmation_required
def parental_pin(request: AuthedHttpRequest) -> HttpResponse:
    """ "Parental PIN": set or change the account's 4-digit PIN (and a way to remove it)."""
    has_pin = pin_exists(request.user)
    form = PinSetForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        services.pin_set(request=request, user=request.user, pin=form.cleaned_data["pin"])
        messages.success(request, "Parental PIN changed." if has_pin else "Parental PIN set.")
        return redirect("parental_pin")
    return render(
        request,
        "parental/pin.html",
        {"form": form, "has_pin": has_pin},
        status=400 if form.errors else 200,
    )


@require_POST
@password_confirmation_required
def parental_pin_remove(request: AuthedHttpRequest) -> HttpResponse:
    """ "Remove PIN" """
    if pin_exists(request.user):
        services.pin_remove(request=request, user=request.user)
        messages.success(request, "Parental PIN removed. Profile locks were turned off.")
    return redirect("parental_pin")


@password_confirmation_required
def time_zone(request: AuthedHttpRequest) -> HttpResponse:
    """The account's time zone, for viewing hours and daily limits."""
    form = TimeZoneForm(
        request.POST if request.method == "POST" else None,
        initial={"time_zone": request.user.time_zone},
    )
    if request.method == "POST" and form.is_valid():
        services.time_zone_set(
            request=request, user=request.user, time_zone=form.cleaned_data["time_zone"]
        )
        messages.success(request, f"Time zone set to {request.user.time_zone}.")
        return redirect("account")
    return render(
        request, "parental/time_zone.html", {"form": form}, status=400 if form.errors else 200
    )


@password_confirmation_required
def profile_parental(request: AuthedHttpRequest, public_id: UUID) -> HttpResponse:
    """ "Parental controls" of one profile: level, lock, daily limit, hours, titles."""
    profile = own_profile_or_404(request, public_id)
    controls = services.controls_for(profile)
    has_pin = pin_exists(request.user)
    windows = {window.weekday: window for window in controls.windows.all()}
    data = request.POST if request.method == "POST" else None
    form = ControlsForm(data, instance=controls, profile=profile, has_pin=has_pin)
    window_forms = [
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
    if request.method == "POST" and form.is_valid() and all(f.is_valid() for f in window_forms):
        changed = services.controls_update(
            request=request,
            profile=profile,
            changes={field: form.cleaned_data[field] for field in form.Meta.fields},
            windows={
                f.weekday: (f.cleaned_data["starts"], f.cleaned_data["ends"])
                for f in window_forms
                if f.cleaned_data.get("enabled")
            },
        )
        messages.success(request, "Saved." if changed else "Nothing changed.")
        return redirect("profile_parental", public_id=profile.public_id)
    return render(
        request,
        "parental/controls.html",
        {
            "profile": profile,
            "controls": controls,
            "form": form,
            "window_forms": window_forms,
            "has_pin": has_pin,
            "blocked": controls.blocked_titles.order_by("name"),
        },
        status=400 if request.method == "POST" else 200,
    )


@password_confirmation_required
@vary_on_headers("HX-Request")
def title_search(request: AuthedHttpRequest, public_id: UUID) -> HttpResponse:
    """Titles matching what was typed, to add to the profile's blocked titles."""
    profile = own_profile_or_404(request, public_id)
    query = request.GET.get("q", "").strip()[:TITLE_SEARCH_MAX]
    results = Title.objects.search(query)[:10] if len(query) >= 2 else Title.objects.none()
    context = {"profile": profile, "query": query, "results": results}
    template = "parental/title_search.html"
    return render(request, f"{template}#results" if request.htmx else template, context)


def _title_blocked(request: AuthedHttpRequest, public_id: UUID, *, blocked: bool) -> HttpResponse:
    profile = own_profile_or_404(request, public_id)
    title = get_object_or_404(Title, slug=request.POST.get("title", "")[:80])
    services.title_block(request=request, profile=profile, title=title, blocked=blocked)
    if request.htmx:
        controls = services.controls_for(profile)
        return render(
            request,
            "parental/controls.html#blocked-titles",
            {"profile": profile, "blocked": controls.blocked_titles.order_by("name")},
        )
    messages.success(request, f"{title.name} {'blocked' if blocked else 'unblocked'}.")
    return redirect("profile_parental", public_id=profile.public_id)


@require_POST
@password_confirmation_required
@vary_on_headers("HX-Request")
def title_block(request: AuthedHttpRequest, public_id: UUID) -> HttpResponse:
    """ "Add" a title to the profile's blocked titles."""
    return _title_blocked(request, public_id, blocked=True)


@require_POST
@password_confirmation_required
@vary_on_headers("HX-Request")
def title_unblock(request: AuthedHttpRequest, public_id: UUID) -> HttpResponse:
    """ "Remove" a title from the profile's blocked titles."""
    return _title_blocked(request, public_id, blocked=False)


@require_POST
def profile_open(request: AuthedHttpRequest, public_id: UUID) -> HttpResponse:
    """A profile's button on "Who's watching?": a locked one asks for the PIN first."""
    profile = own_profile_or_404(request, public_id)
    if profile_locked(profile):
        return redirect("profile_unlock", public_id=profile.public_id)
    profile_pick(request=request, profile=profile)
    return redirect("account" if request.POST.get("next") == "account" else "home")


def profile_unlock(request: AuthedHttpRequest, public_id: UUID) -> HttpResponse:
    """A locked profile on "Who's watching?": the PIN opens it on this device."""
    profile = own_profile_or_404(request, public_id)
    if not profile_locked(profile):
        if request.method != "POST":
            return redirect("profiles")
        profile_pick(request=request, profile=profile)
        return redirect("home")
    return pin_gate(
        request,
        heading=f"Enter your PIN to open {profile.name}",
        on_success=lambda: _pick_and_go(request, profile, safe_next(request, "/")),
    )


def _pick_and_go(request: AuthedHttpRequest, profile: Profile, next_url: str) -> HttpResponse:
    profile_pick(request=request, profile=profile)
    return HttpResponseRedirect(next_url)
