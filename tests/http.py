"""Browsers over real HTTP (requests), for tests against live servers."""

from __future__ import annotations

import re

import requests

from tests.conftest import CHROME_WINDOWS
from tests.factories import PASSWORD

_CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class Browser:
    """One device: its own cookies, signing in through the real pages of a server."""

    def __init__(self, base_url: str, *, user_agent: str = CHROME_WINDOWS) -> None:
        self.base_url = base_url.rstrip("/")
        self.http = requests.Session()
        self.http.headers["User-Agent"] = user_agent

    def csrf(self) -> str:
        token = self.http.cookies.get("csrftoken")
        if token is None:
            page = self.get("/login/")
            token = self.http.cookies.get("csrftoken") or _CSRF_RE.search(page.text).group(1)
        return str(token)

    def get(self, path: str, **kwargs) -> requests.Response:
        kwargs.setdefault("allow_redirects", False)
        kwargs.setdefault("timeout", 30)
        return self.http.get(self.base_url + path, **kwargs)

    def post(self, path: str, data: dict | None = None, **kwargs) -> requests.Response:
        kwargs.setdefault("allow_redirects", False)
        kwargs.setdefault("timeout", 30)
        headers = {
            "X-CSRFToken": self.csrf(),
            "Referer": self.base_url + path,
            **kwargs.pop("headers", {}),
        }
        return self.http.post(self.base_url + path, data=data or {}, headers=headers, **kwargs)

    def sign_in(self, email: str, password: str = PASSWORD) -> Browser:
        response = self.post("/login/", {"username": email, "password": password})
        assert response.status_code == 302, response.text[:500]
        return self

    def signed_in(self, path: str = "/account/") -> bool:
        response = self.get(path)
        assert response.status_code < 500, (response.status_code, response.text[:300])
        return response.status_code == 200
