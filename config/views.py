"""Views of the deployment itself: error pages in the site's layout, health checks, and
the page shown while the database is down."""

from __future__ import annotations

import sys

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.utils import translation
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django.views.defaults import server_error as django_server_error

from accounts.queue import queue_report
from config.cache import probe as cache_probe

# How long a client or proxy should wait before trying again while the database is down.
RETRY_AFTER_SECONDS = 5


@require_GET
@login_not_required
@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    """Liveness: the process answers. No database, no cache, no session."""
    return HttpResponse("ok\n", content_type="text/plain")


@require_GET
@login_not_required
@never_cache
def readyz(request: HttpRequest) -> HttpResponse:
    """Readiness: the database answers (503 if not); the cache's and the task queue's
    states are reported.

    Redis is an accelerator, so a Redis outage leaves every host ready (and says so):
    taking them all out of the proxy would turn a slower site into no site. A queue that
    waits (no worker, mail server down) is reported, not a reason to stop serving.
    """
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        database = "ok"
    except DatabaseError:
        database = "unreachable"
    cache = "ok" if cache_probe() else "unreachable (serving from the database)"
    status = 200 if database == "ok" else 503
    body = f"database: {database}\ncache: {cache}\n"
    if database == "ok":
        try:
            body += "".join(f"{line}\n" for line in queue_report())
        except DatabaseError:
            body += "queue: unreadable\n"
    return HttpResponse(body, status=status, content_type="text/plain")


def server_error(request: HttpRequest) -> HttpResponse:
    """500, unless the database is unreachable: then a branded 503 that says to retry."""
    error = sys.exc_info()[1]
    if isinstance(error, OperationalError | InterfaceError):
        # A plain template: no context processors, nothing that could ask the database.
        body = loader.render_to_string("503.html")
        response = HttpResponse(body, status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        response["Cache-Control"] = "no-store"
        return response
    # The 500 page is plain HTML with no template tags, so it renders whatever broke;
    # each language has its own copy (500.es.html), picked by the language already active.
    language = translation.get_language() or settings.LANGUAGE_CODE
    template = "500.html" if language == settings.LANGUAGE_CODE else f"500.{language}.html"
    response = django_server_error(request, template_name=template)
    return response if response is not None else HttpResponseServerError()


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form sent from a page that is out of date (its CSRF token expired or was replaced)."""
    return render(request, "403_csrf.html", status=403)
