"""Every test here runs twice: with the default settings and with production's (DEBUG off,
secure __Host- cookies, HSTS), as an outside tester would meet the site."""

from __future__ import annotations

import pytest


@pytest.fixture(params=["default", "production"], autouse=True)
def deploy(request, settings) -> str:
    if request.param == "production":
        # What config/settings.py makes of DJANGO_DEBUG=0 and SECURE_COOKIES=1.
        settings.DEBUG = False
        settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = True
        settings.SESSION_COOKIE_NAME = "__Host-sessionid"
        settings.CSRF_COOKIE_NAME = "__Host-csrftoken"
        settings.SECURE_HSTS_SECONDS = 31536000
    return request.param
