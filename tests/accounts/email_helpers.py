"""E-mail helpers for tests: the link in a message, asking for an address change."""

from __future__ import annotations

import re

from tests.client import Client


def link_in(message, path: str) -> str:
    found = re.search(rf"https?://[^/\s]+({path}[^\s]+/)", message.body)
    assert found, message.body
    return found.group(1)


def request_change(browser: Client, new: str, capture) -> object:
    with capture(execute=True):
        return browser.post("/account/email/", {"email": new})
