"""The demo catalog: invented titles across every maturity rating and twelve genres."""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

GENRES = {
    "kids": "Kids & Family",
    "animation": "Animation",
    "comedy": "Comedy",
    "drama": "Drama",
    "thriller": "Thriller",
    "crime": "Crime",
    "scifi": "Sci-Fi",
    "fantasy": "Fantasy",
    "horror": "Horror",
    "romance": "Romance",
    "action": "Action & Adventure",
    "documentary": "Documentary",
}


class DemoTitle(NamedTuple):
    name: str
    kind: str
    year: int
    rating: str
    genres: tuple[str, ...]
    runtime_minutes: int  # a film's length, or an episode's
    seasons: int | None
    synopsis: str


# One title a line: name | kind | year | rating | genres | minutes | seasons | synopsis
TABLE_PATH = Path(__file__).with_name("titles.txt")


def _parse(table: str) -> list[DemoTitle]:
    titles = []
    for line in table.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        name, kind, year, rating, genres, minutes, seasons, synopsis = (
            cell.strip() for cell in line.split(" | ")
        )
        titles.append(
            DemoTitle(
                name=name,
                kind=kind,
                year=int(year),
                rating=rating,
                genres=tuple(genres.split()),
                runtime_minutes=int(minutes),
                seasons=None if seasons == "-" else int(seasons),
                synopsis=synopsis,
            )
        )
    return titles


TITLES = _parse(TABLE_PATH.read_text(encoding="utf-8"))
