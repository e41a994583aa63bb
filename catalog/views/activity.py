"""A profile's viewing activity (with its CSV download, hide and unhide) and the account's
streaming activity: history pages, which show what was watched without asking the policy."""

from __future__ import annotations

import uuid
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseBase, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header, urlencode
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import HttpResponseClientRedirect

from accounts.decorators import (
    not_for_kids,
    password_confirmation_required,
    password_recently_confirmed,
)
from accounts.gate import Purpose, confirm_password_url
from accounts.http import AuthedHttpRequest
from accounts.models import Profile
from catalog import exports, services
from catalog.models import Viewing
from catalog.rows import FilterLinks, NewCountry, streaming_rows
from devices.cards import device_labels
from devices.geo import country_name
from devices.models import Device

from .common import parse_uuid

ACTIVITY_PAGE = 20
STREAMING_ACTIVITY_DAYS = 90
STREAMING_ACTIVITY_PAGE = 50


class History:
    """Whose viewing activity a request may read, and whether it may hide from it."""

    def __init__(self, profile: Profile, *, can_hide: bool) -> None:
        self.profile, self.can_hide = profile, can_hide


def _history_or_response(
    request: AuthedHttpRequest, public_id: uuid.UUID
) -> History | HttpResponse:
    """A profile's history opens as that profile; the account holder (password re-entered,
    not on a Kids profile) opens any profile's. A Kids profile reads its own history but
    cannot hide from it: only the account holder can."""
    current = request.profile
    if current and current.public_id == public_id:
        return History(current, can_hide=not current.is_kids)
    if current and current.is_kids:
        raise Http404("No such profile.")
    profile = get_object_or_404(Profile.objects.for_account(request.user), public_id=public_id)
    if not password_recently_confirmed(request):
        if not current:
            # Nothing picked yet and no gate passed: "Who's watching?" first, as for browsing.
            return (
                HttpResponseClientRedirect(reverse("profiles"))
                if request.htmx
                else redirect("profiles")
            )
        page = request.htmx.current_url_abs_path if request.htmx else None
        url = confirm_password_url(page or request.get_full_path(), purpose=Purpose.ACTIVITY_VIEW)
        return HttpResponseClientRedirect(url) if request.htmx else redirect(url)
    return History(profile, can_hide=True)


@require_GET
@vary_on_headers("HX-Request")
def activity(request: AuthedHttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """ "Viewing activity": the profile's viewings, newest first, "Show more" at a time."""
    history = _history_or_response(request, public_id)
    if isinstance(history, HttpResponse):
        return history
    profile = history.profile
    viewings = Viewing.objects.for_profile(profile).shown().select_related("title").newest_first()
    before = parse_uuid(request.GET.get("before"))
    if before is not None:
        older = viewings.after(before)
        if older is None:
            raise Http404("No such viewing.")
        viewings = older
    page = list(viewings[: ACTIVITY_PAGE + 1])
    undone = parse_uuid(request.GET.get("undo"))
    context = {
        "profile": profile,
        "can_hide": history.can_hide,
        "viewings": page[:ACTIVITY_PAGE],
        "next_cursor": page[ACTIVITY_PAGE - 1].public_id if len(page) > ACTIVITY_PAGE else None,
        "is_first_page": before is None,
        "undo": (
            Viewing.objects.for_profile(profile)
            .filter(public_id=undone, hidden_at__isnull=False)
            .select_related("title")
            .first()
            if undone and history.can_hide
            else None
        ),
    }
    template = "catalog/activity.html#activity-rows" if request.htmx else "catalog/activity.html"
    return render(request, template, context)


@require_GET
@password_confirmation_required(purpose=Purpose.ACTIVITY_DOWNLOAD)
def activity_download(request: AuthedHttpRequest, public_id: uuid.UUID) -> HttpResponseBase:
    """ "Download all": the profile's whole viewing activity as CSV, streamed."""
    history = _history_or_response(request, public_id)
    if isinstance(history, HttpResponse):
        return history
    profile = history.profile
    viewings = Viewing.objects.for_profile(profile).shown().newest_first()
    filename = f"viewing-activity-{slugify(profile.name) or 'profile'}.csv"
    return StreamingHttpResponse(
        # Header and labels in the reader's language, read now: the body streams later.
        exports.csv_lines(
            exports.viewing_rows(viewings, kinds=exports.kind_labels()),
            header_row=exports.header(),
        ),
        content_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": content_disposition_header(True, filename)},
    )


def _hideable_viewing(
    request: AuthedHttpRequest, public_id: uuid.UUID, viewing_id: uuid.UUID
) -> tuple[Profile, Viewing] | HttpResponse:
    history = _history_or_response(request, public_id)
    if isinstance(history, HttpResponse):
        return history
    if not history.can_hide:
        raise PermissionDenied("Only the account holder can hide a Kids profile's history.")
    viewing = get_object_or_404(
        Viewing.objects.for_profile(history.profile).select_related("title"), public_id=viewing_id
    )
    return history.profile, viewing


@require_POST
@vary_on_headers("HX-Request")
def viewing_hide(
    request: AuthedHttpRequest, public_id: uuid.UUID, viewing_id: uuid.UUID
) -> HttpResponse:
    """ "Hide": the title leaves the viewing activity and "Continue watching"."""
    found = _hideable_viewing(request, public_id, viewing_id)
    if isinstance(found, HttpResponse):
        return found
    profile, viewing = found
    hidden = services.title_hide(viewing=viewing)
    if request.htmx:
        return render(
            request,
            "catalog/activity.html#hidden-row",
            {"viewing": viewing, "profile": profile, "others": [v for v in hidden if v != viewing]},
        )
    messages.success(
        request,
        _("“%(title)s” was hidden from your viewing activity.") % {"title": viewing.title.name},
    )
    url = reverse("catalog:activity", args=[profile.public_id])
    return redirect(f"{url}?{urlencode({'undo': str(viewing.public_id)})}")


@require_POST
@vary_on_headers("HX-Request")
def viewing_unhide(
    request: AuthedHttpRequest, public_id: uuid.UUID, viewing_id: uuid.UUID
) -> HttpResponse:
    """ "Undo" after "Hide": the title's viewings hidden with it are shown again."""
    found = _hideable_viewing(request, public_id, viewing_id)
    if isinstance(found, HttpResponse):
        return found
    profile, viewing = found
    services.title_unhide(viewing=viewing)
    messages.success(
        request, _("“%(title)s” is back in your viewing activity.") % {"title": viewing.title.name}
    )
    url = reverse("catalog:activity", args=[profile.public_id])
    return HttpResponseClientRedirect(url) if request.htmx else redirect(url)


@require_GET
@not_for_kids
def streaming_activity(request: AuthedHttpRequest) -> HttpResponse:
    """ "Recent device streaming activity": every playback start of the last 90 days,
    filtered by device, profile or country with plain links and a plain form."""
    account_viewings = Viewing.objects.for_account(request.user)
    devices = list(
        Device.objects.for_account(request.user).with_name_twins().order_by("name", "signed_in_at")
    )
    profiles = list(Profile.objects.for_account(request.user))
    first_seen = Viewing.objects.first_seen_by_country_of(request.user)
    device = profile = None
    country = ""
    if "device" in request.GET:
        wanted = parse_uuid(request.GET["device"])
        device = next((d for d in devices if d.id == wanted), None)
        if device is None:
            raise Http404("No such device.")
    if request.GET.get("profile"):
        wanted = parse_uuid(request.GET["profile"])
        profile = next((p for p in profiles if p.public_id == wanted), None)
        if profile is None:
            raise Http404("No such profile.")
    if request.GET.get("country"):
        country = request.GET["country"].upper()[:2]
        if country not in first_seen:
            raise Http404("No viewing from that country.")
    viewings = (
        account_viewings.since(days=STREAMING_ACTIVITY_DAYS)
        .filtered(device=device, profile=profile, country=country)
        .newest_first()
    )
    # Keyset pages ("Older" names the last row shown): as cheap 10,000 rows deep as on top.
    before = parse_uuid(request.GET.get("before"))
    if before is not None:
        older = viewings.after(before)
        if older is None:
            raise Http404("No such viewing.")
        viewings = older
    shown = list(viewings.for_streaming_rows()[: STREAMING_ACTIVITY_PAGE + 1])
    links = FilterLinks(request.GET, drop=["page", "before"])
    zone = ZoneInfo(request.user.time_zone)
    labels = device_labels(devices, zone=zone)
    rows = streaming_rows(
        shown[:STREAMING_ACTIVITY_PAGE],
        zone=zone,
        links=links,
        new_country=NewCountry(first_seen),
        device_labels=labels,
    )
    countries = sorted(
        ((code, country_name(code)) for code in first_seen), key=lambda pair: pair[1]
    )
    return render(
        request,
        "catalog/streaming_activity.html",
        {
            "rows": rows,
            "older": (
                links("before", shown[STREAMING_ACTIVITY_PAGE - 1].public_id)
                if len(shown) > STREAMING_ACTIVITY_PAGE
                else ""
            ),
            "newest": links.kept() if before else "",
            "device": device,
            "profile": profile,
            "country": country,
            "country_label": country_name(country) if country else "",
            "devices": [{"id": key, "label": label} for key, label in labels.items()],
            "profiles": profiles,
            "countries": countries,
            "filtered": bool(device or profile or country),
            "days": STREAMING_ACTIVITY_DAYS,
        },
    )
