"""Error pages in the site's layout, each with a way back."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form sent from a page that is out of date (its CSRF token expired or was replaced)."""
    return render(request, "403_csrf.html", status=403)
