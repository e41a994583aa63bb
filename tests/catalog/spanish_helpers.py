"""The catalog's check that a page speaks Spanish, also used by the parental tests.

Only what the catalog renders is read: the page's <title> and <main> (the header, menu and
footer around it belong to the base layout, checked by its own tests), or a whole fragment.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from tests.html import visible_text

# The product's own words, which a Spanish page must not show in English.
ENGLISH_WORDS = (
    "Play",
    "Browse",
    "Search",
    "Watch",
    "Profile",
    "Parental",
    "Maturity",
    "Little kids",
    "Older kids",
    "Teens",
    "Adults",
    "All ages",
    "blocked",
    "Block",
    "Unlock",
    "Lock",
    "Hide",
    "Download",
    "Activity",
    "Device",
    "Date",
    "Location",
    "Save",
    "Cancel",
    "Remove",
    "Delete",
    "Password",
    "minutes",
)
ENGLISH_RE = re.compile(r"\b(" + "|".join(re.escape(w) for w in ENGLISH_WORDS) + r")\b")


def assert_spanish(
    response, *phrases: str, whole: bool = False, foreign: Iterable[tuple[str, str]] = ()
) -> str:
    """No English product word, and the Spanish phrases expected, in the response."""
    words = visible_text(
        response.content.decode(), within=None if whole else "main", foreign=foreign
    )
    english = sorted(set(ENGLISH_RE.findall(words)))
    assert not english, f"English words {english} in: {words}"
    for phrase in phrases:
        assert phrase in words, f"{phrase!r} not in: {words}"
    return words
