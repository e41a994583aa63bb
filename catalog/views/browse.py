"""Browse, search, a title's page and its poster, as the current profile may see them."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import TypedDict

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.cache import get_conditional_response, set_response_etag
from django.utils.translation import get_language, pgettext
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from accounts.http import AuthedHttpRequest
from accounts.links import RowUrl
from catalog.artwork import poster_for
from catalog.forms import SearchForm
from catalog.models import Genre, Title, Viewing
from devices.http import current_device_id
from parental import policy

from .common import (
    PinRequired,
    TitleRefused,
    picked,
    profile_required,
    refused_page,
    title_or_404,
    to_pin_pad,
)

ROW_LENGTH = 15
CONTINUE_WATCHING_LENGTH = 20
SEARCH_RESULTS = 48
# A browse page shows a hundred posters: the browser keeps them a day, then revalidates.
POSTER_MAX_AGE = 24 * 3600


class Card(TypedDict):
    """What a poster in a row shows: prepared once, so a row renders no template logic
    (a dictionary: the template engine's first lookup finds each value)."""

    name: str
    url: str
    poster: str


class CardMaker:
    """Cards for the titles of one page: two reverse() calls, whatever the number of rows."""

    def __init__(self, *, link: str = "catalog:title") -> None:
        self.link, self.poster = RowUrl(link), RowUrl("catalog:poster")

    def __call__(self, titles: Iterable[tuple[str, str]]) -> list[Card]:
        """Cards for (slug, name) pairs."""
        return [
            Card(name=name, url=self.link(slug), poster=self.poster(slug)) for slug, name in titles
        ]


def _digest(*values: object) -> str:
    """A cache key part that changes whenever any of the values does."""
    return hashlib.sha256(repr(values).encode()).hexdigest()


@require_GET
@profile_required
def browse(request: AuthedHttpRequest) -> HttpResponse:
    """ "Browse": "Continue watching", then a row per genre."""
    profile = picked(request)
    titles = policy.visible_titles(profile)
    continue_watching = list(
        Viewing.objects.for_profile(profile)
        .continue_watching(titles=titles)
        # Only what a card and its progress bar show.
        .only("position_seconds", "title", "title__slug", "title__name", "title__runtime_minutes")[
            :CONTINUE_WATCHING_LENGTH
        ]
    )
    genres = Genre.objects.rows(titles=titles, per_row=ROW_LENGTH)
    cards, resume = CardMaker(), CardMaker(link="catalog:watch")
    # Everything the rows show and the language, so a cached copy is only ever reused for
    # the very same rows: a maturity level, a blocked title or a renamed title changes it.
    rows_key = _digest(get_language(), cards.link.head, cards.poster.head, [*map(tuple, genres)])
    return render(
        request,
        "catalog/browse.html",
        {
            "continue_watching": list(
                zip(
                    continue_watching,
                    resume((v.title.slug, v.title.name) for v in continue_watching),
                    strict=True,
                )
            ),
            # Cards are made only when the cached rows are missing (a generator).
            "rows": ((genre.slug, genre.name, cards(genre.titles)) for genre in genres),
            "rows_key": rows_key,
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
        titles = policy.visible_titles(picked(request)).search(query)
        results = CardMaker()(titles.values_list("slug", "name")[:SEARCH_RESULTS])
    context = {"search_form": form, "query": query, "results": results}
    template = "catalog/search.html#search-results" if request.htmx else "catalog/search.html"
    return render(request, template, context)


@require_GET
@profile_required
def title_detail(request: AuthedHttpRequest, slug: str) -> HttpResponse:
    profile = picked(request)
    try:
        title = title_or_404(request, slug)
    except PinRequired:
        return to_pin_pad(request, slug)
    except TitleRefused as refused:
        return refused_page(request, refused)
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
        title = title_or_404(request, slug)
    except (PinRequired, TitleRefused):
        # Artwork says nothing more than the refusal page it is not shown on.
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
