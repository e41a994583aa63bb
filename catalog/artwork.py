"""Posters drawn by the site: colours and shapes derived from the title's slug."""

from __future__ import annotations

import hashlib
import textwrap
from dataclasses import dataclass

from .models import Title

LINE_WIDTH = 13
MAX_LINES = 4


@dataclass(frozen=True)
class Shape:
    cx: int
    cy: int
    r: int
    opacity: float


@dataclass(frozen=True)
class Poster:
    top: str
    bottom: str
    accent: str
    shapes: tuple[Shape, ...]
    lines: tuple[str, ...]
    first_line_y: int


def poster_for(title: Title) -> Poster:
    """The same slug always draws the same poster; neighbours in a row look different."""
    digest = hashlib.sha256(title.slug.encode()).digest()
    hue = digest[0] * 360 // 256
    second = (hue + 40 + digest[1] % 100) % 360
    shapes = tuple(
        Shape(
            cx=digest[2 + i] * 200 // 256,
            cy=digest[6 + i] * 300 // 256,
            r=20 + digest[10 + i] % 70,
            opacity=round(0.12 + (digest[14 + i] % 20) / 100, 2),
        )
        for i in range(4)
    )
    lines = tuple(textwrap.wrap(title.name, LINE_WIDTH)[:MAX_LINES])
    return Poster(
        top=f"hsl({hue}, 65%, 42%)",
        bottom=f"hsl({second}, 70%, 14%)",
        accent=f"hsl({(hue + 180) % 360}, 80%, 70%)",
        shapes=shapes,
        lines=lines,
        first_line_y=250 - 26 * (len(lines) - 1),
    )
