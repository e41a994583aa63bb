"""Links an e-mail carries: absolute, built from SITE_URL (never from a request's Host)."""

from __future__ import annotations

from django import template
from django.urls import reverse

from accounts.emails import site_url

register = template.Library()


@register.simple_tag
def site_link(name: str) -> str:
    """The absolute URL of the page named `name` ("checkup")."""
    return site_url(reverse(name))
