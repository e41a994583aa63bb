"""Approximate location of an IP address, for showing where a device signed in."""

from __future__ import annotations

import functools
import gettext
import ipaddress
import logging
import os
from dataclasses import dataclass

import geoip2.database
import geoip2.errors
import pycountry
from django.conf import settings
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from iptocc import country_code
from maxminddb import InvalidDatabaseError

logger = logging.getLogger(__name__)

# Matches Device.city's max_length.
MAX_CITY_LENGTH = 80
# Django's own GEOIP_PATH may name a directory; this is the file looked for in it.
CITY_DATABASE_NAME = "GeoLite2-City.mmdb"


@dataclass(frozen=True)
class Location:
    """A city (may be empty) and an ISO 3166 alpha-2 country code (may be empty)."""

    city: str
    country: str


NOWHERE = Location("", "")


def locate(ip: str | None) -> Location:
    """Return the approximate location of ``ip``; empty for private or invalid ones."""
    address = _public_address(ip)
    if address is None:
        return NOWHERE
    city, country = _lookup_city_database(address)
    return Location(city, country or _lookup_country(address))


def country_name(code: str) -> str:
    """Return the short name of an ISO 3166 alpha-2 code, in the active language."""
    if not code:
        return ""
    return _country_name(code.upper(), (get_language() or "en").split("-")[0])


def describe_location(*, city: str, country: str) -> str:
    """Return "Lisbon, Portugal", "Portugal", or "Unknown location"."""
    parts = [part for part in (city, country_name(country)) if part]
    return ", ".join(parts) if parts else _("Unknown location")


def reset_cache() -> None:
    """Forget opened databases, so a changed GEOIP_PATH takes effect."""
    _reader.cache_clear()


def _public_address(ip: str | None) -> str | None:
    if not ip or not isinstance(ip, str):
        return None
    try:
        address = ipaddress.ip_address(ip.strip())
    except ValueError:
        return None
    # An IPv4 client seen through a dual-stack socket.
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    # Private, loopback, link-local, CGNAT and reserved ranges say nothing about
    # where the person is.
    if not address.is_global or address.is_multicast:
        return None
    return str(address)


def _lookup_city_database(address: str) -> tuple[str, str]:
    path = getattr(settings, "GEOIP_PATH", "")
    if not path:
        return "", ""
    path = os.fspath(path)
    if os.path.isdir(path):
        path = os.path.join(path, CITY_DATABASE_NAME)
    reader = _reader(path)
    if reader is None:
        return "", ""
    try:
        response = reader.city(address)
    except geoip2.errors.AddressNotFoundError:
        return "", ""
    except (TypeError, ValueError, InvalidDatabaseError):
        # TypeError: the file is a GeoLite2-Country or ASN database, not a City one.
        logger.warning("GeoIP lookup of %s failed in %s", address, path, exc_info=True)
        return "", ""
    return (response.city.name or "")[:MAX_CITY_LENGTH], response.country.iso_code or ""


# Opening the database maps a file of tens of megabytes; do it once per path.
@functools.lru_cache(maxsize=4)
def _reader(path: str) -> geoip2.database.Reader | None:
    try:
        return geoip2.database.Reader(path)
    except (OSError, ValueError, InvalidDatabaseError):
        logger.warning("GeoIP database %s could not be opened", path, exc_info=True)
        return None


def _lookup_country(address: str) -> str:
    try:
        code = country_code(address)
    except Exception:  # A location is never worth a failed sign-in.
        logger.exception("iptocc lookup of %s failed", address)
        return ""
    # "ZZ" is the ISO code for "unknown"; anything else malformed is dropped too.
    if not code or len(code) != 2 or not code.isalpha() or code.upper() == "ZZ":
        return ""
    return code.upper()


@functools.lru_cache(maxsize=8)
def _country_names(language: str) -> gettext.NullTranslations:
    """pycountry's own ISO 3166 translations (English has none: its names are the msgids)."""
    if language == "en":
        return gettext.NullTranslations()
    return gettext.translation(
        "iso3166-1", pycountry.LOCALES_DIR, languages=[language], fallback=True
    )


@functools.lru_cache(maxsize=512)
def _country_name(code: str, language: str = "en") -> str:
    try:
        country = pycountry.countries.get(alpha_2=code)
    except (KeyError, LookupError):
        country = None
    if country is None:
        return code
    # "South Korea" and "Bolivia" rather than "Korea, Republic of" and
    # "Bolivia, Plurinational State of".
    name: str = getattr(country, "common_name", None) or country.name
    return _country_names(language).gettext(name)
