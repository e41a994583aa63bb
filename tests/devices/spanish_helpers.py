"""The devices' check that a page speaks Spanish, also used by the TV's tests.

The check reads what a person meets (tests.html.visible_text). Pages built on base.html are
read from <title> and <main>: the header and footer around them belong to the base layout.
"""

from __future__ import annotations

import re

from tests.html import visible_text

ENGLISH_WORDS = [
    "Sign in",
    "Sign out",
    "Device",
    "Devices",
    "This device",
    "Remove",
    "Settings",
    "Cancel",
    "Yes",
    "Rename",
    "Computer",
    "Phone",
    "Tablet",
    "Game console",
    "Unknown device",
    "New country",
    "Abroad",
    "Approve",
    "Code",
    "expired",
    "Profile",
    "Watching",
]
ENGLISH = re.compile(
    r"\b(?:" + "|".join(re.escape(word) for word in ENGLISH_WORDS) + r")\b", re.IGNORECASE
)


def english_words(html: str, *, root: str | None = "main") -> list[str]:
    return ENGLISH.findall(visible_text(html, within=root))


def assert_spanish(response, *phrases: str, root: str | None = "main") -> str:
    """No English product word on the page, and each Spanish phrase there."""
    html = response.content.decode()
    words = visible_text(html, within=root)
    assert words, html
    assert english_words(html, root=root) == [], words
    for phrase in phrases:
        assert phrase in words, words
    return words
