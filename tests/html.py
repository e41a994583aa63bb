"""What a person meets on a page: its visible text and the words shown or read out."""

from __future__ import annotations

from collections.abc import Iterable
from html.parser import HTMLParser

# Attributes a person reads or hears besides the text: tooltips, accessible names and
# descriptions, hints, and the labels stacked tables show on a narrow screen.
WORD_ATTRIBUTES = frozenset(
    {"title", "aria-label", "aria-description", "placeholder", "alt", "data-label"}
)
# Code, not words: their text is never read (their attributes still are).
CODE_TAGS = frozenset({"script", "style", "template"})
VOID_TAGS = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}
    | {"track", "use", "wbr"}
)


def _attribute_words(tag: str, attrs: list[tuple[str, str | None]]) -> list[str]:
    kind = dict(attrs).get("type")
    return [
        value
        for name, value in attrs
        if value
        and (
            name in WORD_ATTRIBUTES
            # Words a script shows (a confirmation, a status): a phrase, not a URL or a key.
            or (name.startswith("data-") and " " in value and "/" not in value)
            # The label of a button.
            or (name == "value" and (tag == "button" or kind in {"submit", "button"}))
        )
    ]


class _Reader(HTMLParser):
    def __init__(
        self, *, within: str | None, hidden: Iterable[str], foreign: Iterable[tuple[str, str]]
    ) -> None:
        super().__init__(convert_charrefs=True)
        self.within = within
        self.hidden = CODE_TAGS | set(hidden)
        self.foreign = tuple(foreign)
        # Open elements: (tag, starts a region read, hides its text, foreign).
        self.stack: list[tuple[str, bool, bool, bool]] = []
        self.words: list[str] = []

    def _read(self) -> bool:
        return self.within is None or any(read for _, read, _, _ in self.stack)

    def _hidden(self) -> bool:
        return any(hidden for _, _, hidden, _ in self.stack)

    def _foreign(self) -> bool:
        return any(foreign for _, _, _, foreign in self.stack)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        read = tag in ("title", self.within)
        foreign = any((values.get(name) or "").startswith(p) for name, p in self.foreign)
        if (self._read() or read) and not (self._foreign() or foreign):
            self.words.extend(_attribute_words(tag, attrs))
        if tag not in VOID_TAGS:
            self.stack.append((tag, read, tag in self.hidden, foreign))

    def handle_endtag(self, tag: str) -> None:
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                return

    def handle_data(self, data: str) -> None:
        if self._read() and not (self._hidden() or self._foreign()):
            self.words.append(data)


def visible_text(
    html: str,
    *,
    within: str | None = None,
    hidden: Iterable[str] = (),
    foreign: Iterable[tuple[str, str]] = (),
) -> str:
    """What a person reads or hears in `html`, on one line: the text outside scripts, styles
    and templates, and the words in attributes (tooltips, accessible names, hints, button
    labels, a script's phrases).

    within: a tag ("main", "nav") whose elements are read, with any <title>, instead of the
        whole page: the header and footer around <main> belong to the base layout's tests.
    hidden: more tags whose text is no word to translate ("code": codes a person types).
    foreign: (attribute, prefix) pairs naming elements rendered by another part of the site
        (a shared form field), left wholly to that part's own tests.
    """
    reader = _Reader(within=within, hidden=hidden, foreign=foreign)
    reader.feed(html)
    reader.close()
    return " ".join(" ".join(reader.words).split())
