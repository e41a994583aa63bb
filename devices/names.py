"""The names StreamGuard gives devices, in the reader's language.

A device's name is stored once, in English, as devices/useragent.py and the pairing make it
("Chrome on Windows", "Android phone", "TV app (Chrome on Linux)"), because every reader of
the account may read another language. Shown, the words StreamGuard added are translated;
brands, browsers and systems ("Chrome", "iPhone", "Windows") stay as they are, and so does a
name the account holder gave.
"""

from __future__ import annotations

import re
from datetime import datetime

from django.utils import formats, timezone
from django.utils.translation import gettext, pgettext

from .geo import country_name
from .useragent import UNKNOWN_NAME

_ON = re.compile(r"^(?P<browser>[A-Za-z][A-Za-z0-9 +\-]{0,39}) on (?P<platform>.+)$")
_TV_APP = re.compile(r"^TV app \((?P<inner>.+)\)$")
_COMPUTER = re.compile(r"^(?P<system>[A-Za-z][A-Za-z ]{0,30}) computer$")


def _platform(name: str) -> str | None:
    """A platform name as it reads after "on" ("Android phone", "phone"), or None."""
    if name == "phone":
        return pgettext("after a browser's name", "phone")
    if name == "tablet":
        return pgettext("after a browser's name", "tablet")
    if name == "Android phone":
        return pgettext("after a browser's name", "Android phone")
    if name == "Android tablet":
        return pgettext("after a browser's name", "Android tablet")
    if name == "Fire tablet":
        return pgettext("after a browser's name", "Fire tablet")
    return None


def _alone(name: str) -> str | None:
    """A name that is StreamGuard's own words only ("Android phone", "Phone"), or None."""
    fixed = {
        UNKNOWN_NAME: lambda: gettext("Unknown device"),
        "Phone": lambda: gettext("Phone"),
        "Tablet": lambda: gettext("Tablet"),
        "Android phone": lambda: gettext("Android phone"),
        "Android tablet": lambda: gettext("Android tablet"),
        "Fire tablet": lambda: gettext("Fire tablet"),
    }
    if name in fixed:
        return fixed[name]()
    if match := _COMPUTER.match(name):
        return gettext("%(system)s computer") % {"system": match["system"]}
    return None


def device_name_shown(name: str) -> str:
    """The stored (English) name of a device, in the active language."""
    if match := _TV_APP.match(name):
        return gettext("TV app (%(name)s)") % {"name": device_name_shown(match["inner"])}
    if (alone := _alone(name)) is not None:
        return alone
    if match := _ON.match(name):
        platform = _platform(match["platform"])
        if platform is not None:
            return gettext("%(browser)s on %(platform)s") % {
                "browser": match["browser"],
                "platform": platform,
            }
        return gettext("%(browser)s on %(platform)s") % dict(match.groupdict())
    return name


def device_label(*, name: str, shared: bool, city: str, country: str, since: datetime) -> str:
    """A device's name in a list: alone, or with where and since when it is signed in when
    another device of the account has the same name ("Firefox on Linux · London · since
    3 Dec"), so the stranger can be told from the laptop at home."""
    if not shared:
        return name
    day = formats.date_format(
        timezone.localtime(since), pgettext("a day and a short month: 3 Dec", "j M")
    )
    place = city or (country_name(country) if country else "")
    since_day = pgettext("in a device's label", "since %(day)s") % {"day": day}
    return " · ".join(part for part in (name, place, since_day) if part)
