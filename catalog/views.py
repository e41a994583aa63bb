"""Browse, search, title, watch, and the activity pages.

Every view that lists, shows or plays a title asks parental.policy; see its docstring.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import (
    Http404,
    HttpResponse,
    HttpResponseBase,
    HttpResponseRedirect,
    StreamingHttpResponse,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import get_conditional_response, set_response_etag
from django.utils.http import content_disposition_header, urlencode
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import HttpResponseClientRedirect

from accounts.decorators import (
    not_for_kids,
    password_confirmation_required,
    password_recently_confirmed,
)
from accounts.gate import Purpose, confirm_password_url
from accounts.http import AuthedHttpRequest, client_ip, safe_next
from accounts.models import Profile
from devices.geo import country_name
from devices.http import current_device, current_device_id
from devices.models import Device
from devices.names import device_name_shown
from parental import policy
from parental.pin import pin_gate
from parental.policy import pin_exists
from parental.services import unlock_hours, unlock_title

from . import exports, services
from .artwork import poster_for
from .forms import SearchForm
from .models import HEARTBEAT_SECONDS, Genre, Title, Viewing

ROW_LENGTH = 15
CONTINUE_WATCHING_LENGTH = 20
SEARCH_RESULTS = 48
ACTIVITY_PAGE = 20
STREAMING_ACTIVITY_DAYS = 90
STREAMING_ACTIVITY_PAGE = 50
# A browse page shows a hundred posters: the browser keeps them a day, then revalidates.
POSTER_MAX_AGE = 24 * 3600


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


def _parse_uuid(value: str | None) -> uuid.UUID | None:
    try:
        return uuid.UUID(value or "")
    except ValueError:
        return None


def _picked(request: AuthedHttpRequest) -> Profile:
    """The current profile (profile_required has made sure there is one)."""
    if not request.profile:
        raise Http404("No profile picked.")
    return request.profile


class PinRequired(Exception):
    """The policy refused, but the parental PIN can open it here."""


def _title_or_404(request: AuthedHttpRequest, slug: str, *, play: bool = False) -> Title:
    """The title, if the policy lets the current profile open (or play) it.

    A refusal the PIN can lift raises PinRequired (the views send the person to the PIN
    pad); any other refusal is a 404, so a Kids profile cannot tell a hidden title from a
    missing one.
    """
    title = get_object_or_404(Title, slug=slug)
    ask = policy.can_play if play else policy.can_view
    decision = ask(_picked(request), title, device_id=current_device_id(request))
    if not decision:
        # Viewing hours say why even without a PIN; a title above the level needs one.
        if decision.reason == policy.HOURS or (decision.pin_can_lift and pin_exists(request.user)):
            raise PinRequired(title.slug)
        raise Http404("No such title.")
    return title


def _to_pin_pad(request: AuthedHttpRequest, slug: str) -> HttpResponse:
    url = f"{reverse('catalog:unlock', args=[slug])}?{urlencode({'next': request.get_full_path()})}"
    return HttpResponseClientRedirect(url) if request.htmx else redirect(url)


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
@profile_required
def browse(request: AuthedHttpRequest) -> HttpResponse:
    """ "Browse": "Continue watching", then a row per genre."""
    profile = _picked(request)
    titles = policy.visible_titles(profile)
    continue_watching = Viewing.objects.for_profile(profile).continue_watching(titles=titles)
    genres = Genre.objects.rows(titles=titles, per_row=ROW_LENGTH)
    return render(
        request,
        "catalog/browse.html",
        {
            "continue_watching": continue_watching[:CONTINUE_WATCHING_LENGTH],
            "rows": [genre for genre in genres if getattr(genre, "row", None)],
            "search_form": SearchForm(),
        },
    )


@require_GET
@vary_on_headers("HX-Request")
@profile_required
def search(request: AuthedHttpRequest) -> HttpResponse:
    """ "Search": results as you type (htmx), or on submit without JavaScript."""
    form = SearchForm(request.GET)
    query = form.query
    results = None
    if query:
        results = list(policy.visible_titles(_picked(request)).search(query)[:SEARCH_RESULTS])
    context = {"search_form": form, "query": query, "results": results}
    template = "catalog/search.html#search-results" if request.htmx else "catalog/search.html"
    return render(request, template, context)


@require_GET
@profile_required
def title_detail(request: AuthedHttpRequest, slug: str) -> HttpResponse:
    profile = _picked(request)
    try:
        title = _title_or_404(request, slug)
    except PinRequired:
        return _to_pin_pad(request, slug)
    device_id = current_device_id(request)
    return render(
        request,
        "catalog/title.html",
        {
            "title": title,
            "genres": list(title.genres.all()),
            "play": policy.can_play(profile, title, device_id=device_id),
            "resume": Viewing.objects.for_profile(profile).resume_point(title),
        },
    )


@require_GET
@profile_required
@cache_control(private=True, max_age=POSTER_MAX_AGE)
def poster(request: AuthedHttpRequest, slug: str) -> HttpResponse:
    """A title's artwork, drawn as SVG from its slug: cached by the browser, then revalidated."""
    try:
        title = _title_or_404(request, slug)
    except PinRequired:
        raise Http404("No such title.") from None
    response = render(
        request,
        "catalog/poster.svg",
        {
            "title": title,
            "poster": poster_for(title),
            # The word across the top of the poster (makemessages reads no .svg template).
            "kind_label": pgettext("poster label", "SERIES")
            if title.kind == Title.Kind.SERIES
            else pgettext("poster label", "FILM"),
        },
        content_type="image/svg+xml",
    )
    # Checked after the profile's access: a 304 never tells a profile more than a 200 would.
    set_response_etag(response)
    conditional = get_conditional_response(request, etag=response["ETag"], response=response)
    return conditional if conditional is not None else response


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
    profile = _picked(request)
    try:
        title = _title_or_404(request, slug, play=True)
    except PinRequired:
        return _to_pin_pad(request, slug)
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
            public_id=_parse_uuid(request.GET["v"]),
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
    viewing = get_object_or_404(Viewing.objects.for_profile(_picked(request)), public_id=public_id)
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
        title = _title_or_404(request, slug, play=True) if slug and request.profile else None
    except PinRequired:
        raise Http404("No such title.") from None
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
    messages.success(
        request,
        _("Playback stopped on %(device)s.") % {"device": device_name_shown(viewing.device_name)},
    )
    return redirect("catalog:watch", title.slug)


@require_GET
@vary_on_headers("HX-Request")
def activity(request: AuthedHttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """ "Viewing activity": the profile's viewings, newest first, "Show more" at a time."""
    history = _history_or_response(request, public_id)
    if isinstance(history, HttpResponse):
        return history
    profile = history.profile
    viewings = Viewing.objects.for_profile(profile).shown().select_related("title").newest_first()
    before = _parse_uuid(request.GET.get("before"))
    if before is not None:
        cursor = (
            Viewing.objects.for_profile(profile)
            .filter(public_id=before)
            .values("started_at", "pk")
            .first()
        )
        if cursor is None:
            raise Http404("No such viewing.")
        viewings = viewings.older_than(started_at=cursor["started_at"], pk=cursor["pk"])
    page = list(viewings[: ACTIVITY_PAGE + 1])
    undone = _parse_uuid(request.GET.get("undo"))
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
    viewings = (
        account_viewings.since(days=STREAMING_ACTIVITY_DAYS)
        .select_related("profile", "title")
        .newest_first()
    )
    devices = list(Device.objects.for_account(request.user).order_by("name", "id"))
    profiles = list(Profile.objects.for_account(request.user))
    first_seen = account_viewings.first_seen_by_country()
    device = profile = None
    country = ""
    if "device" in request.GET:
        wanted = _parse_uuid(request.GET["device"])
        device = next((d for d in devices if d.id == wanted), None)
        if device is None:
            raise Http404("No such device.")
        viewings = viewings.on_device(device)
    if request.GET.get("profile"):
        wanted = _parse_uuid(request.GET["profile"])
        profile = next((p for p in profiles if p.public_id == wanted), None)
        if profile is None:
            raise Http404("No such profile.")
        viewings = viewings.for_profile(profile)
    if request.GET.get("country"):
        country = request.GET["country"].upper()[:2]
        if country not in first_seen:
            raise Http404("No viewing from that country.")
        viewings = viewings.filter(country=country)
    page = Paginator(viewings, STREAMING_ACTIVITY_PAGE).get_page(request.GET.get("page"))
    # The account's first country is home, not news.
    home = min(first_seen, key=first_seen.__getitem__) if first_seen else ""
    for viewing in page.object_list:
        viewing.is_new_country = (  # type: ignore[attr-defined]
            bool(viewing.country)
            and viewing.country != home
            and viewing.started_at == first_seen.get(viewing.country)
        )
    countries = sorted(
        ((code, country_name(code)) for code in first_seen), key=lambda pair: pair[1]
    )
    return render(
        request,
        "catalog/streaming_activity.html",
        {
            "page": page,
            "device": device,
            "profile": profile,
            "country": country,
            "country_label": country_name(country) if country else "",
            "devices": devices,
            "profiles": profiles,
            "countries": countries,
            "filtered": bool(device or profile or country),
            "days": STREAMING_ACTIVITY_DAYS,
        },
    )


@require_http_methods(["GET", "POST"])
@profile_required
def title_unlock(request: AuthedHttpRequest, slug: str) -> HttpResponse:
    """The parental PIN opens a title above the level (4 hours) or lifts viewing hours (today)."""
    profile = _picked(request)
    title = get_object_or_404(Title, slug=slug)
    device_id = current_device_id(request)
    decision = policy.can_play(profile, title, device_id=device_id)
    next_url = safe_next(request, reverse("catalog:title", args=[slug]))
    if decision:
        return HttpResponseRedirect(next_url)
    has_pin = pin_exists(request.user)
    if not decision.pin_can_lift or (decision.reason == policy.MATURITY and not has_pin):
        raise Http404("No such title.")
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
