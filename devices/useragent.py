"""Turn a User-Agent header into a device kind and a name a person recognises."""

from __future__ import annotations

import functools
import logging
import re
from dataclasses import dataclass

from ua_parser import parse

logger = logging.getLogger(__name__)

# The same values as devices.models.Device.Kind; spelled out here so this module
# stays free of Django and can be used before the app registry is ready.
COMPUTER = "computer"
PHONE = "phone"
TABLET = "tablet"
TV = "tv"
CONSOLE = "console"
STICK = "stick"
UNKNOWN = "unknown"

UNKNOWN_NAME = "Unknown device"

# Real User-Agents are a few hundred characters; anything longer is padding or an
# attack, and the parser's regexes should never see it.
MAX_UA_LENGTH = 1024
MAX_NAME_LENGTH = 100  # Device.name's max_length


@dataclass(frozen=True)
class ParsedAgent:
    """The kind of device and its display name."""

    kind: str
    name: str


_UNKNOWN = ParsedAgent(UNKNOWN, UNKNOWN_NAME)

# ua-parser's device families for the classes it recognises on its own.
_DEVICE_FAMILIES: dict[str, ParsedAgent] = {
    "Samsung SMART-TV": ParsedAgent(TV, "Samsung Smart TV"),
    "LG Web0S SmartTV": ParsedAgent(TV, "LG Smart TV"),
    "Chromecast": ParsedAgent(STICK, "Chromecast"),
    "AppleTV": ParsedAgent(STICK, "Apple TV"),
    "Roku": ParsedAgent(STICK, "Roku"),
}

# Device brands ua-parser reports for TVs (HbbTV, Inettv, Android TV), by the
# name owners know them by.
_TV_BRANDS = {
    "grundig": "Grundig",
    "hisense": "Hisense",
    "lg": "LG",
    "lge": "LG",
    "loewe": "Loewe",
    "panasonic": "Panasonic",
    "philips": "Philips",
    "samsung": "Samsung",
    "sharp": "Sharp",
    "sony": "Sony",
    "tcl": "TCL",
    "thomson": "Thomson",
    "toshiba": "Toshiba",
    "vestel": "Vestel",
}

# Device classes ua-parser leaves unclassified, or files under a phone or tablet
# (Fire TV models pass for Kindles, Bravia TVs for Android tablets). Checked in
# order, so specific brands come before the catch-all smart-TV tokens.
_KEYWORDS: list[tuple[re.Pattern[str], ParsedAgent]] = [
    (re.compile(r"\bXbox\b", re.IGNORECASE), ParsedAgent(CONSOLE, "Xbox")),
    (re.compile(r"\bRoku\b", re.IGNORECASE), ParsedAgent(STICK, "Roku")),
    (re.compile(r"\bAFT[A-Z0-9]+\b"), ParsedAgent(STICK, "Fire TV Stick")),
    (re.compile(r"\bCrKey\b"), ParsedAgent(STICK, "Chromecast")),
    (re.compile(r"\bApple ?TV\b|\btvOS\b"), ParsedAgent(STICK, "Apple TV")),
    (re.compile(r"\bSHIELD Android TV\b"), ParsedAgent(STICK, "NVIDIA Shield")),
    (
        re.compile(r"SMART-TV|\bTizen\b.*\bTV\b", re.IGNORECASE),
        ParsedAgent(TV, "Samsung Smart TV"),
    ),
    (
        re.compile(r"\bWeb0S\b|\bwebOS\b.*\bTV\b|\bNetCast\b", re.IGNORECASE),
        ParsedAgent(TV, "LG Smart TV"),
    ),
    (re.compile(r"\bBRAVIA\b", re.IGNORECASE), ParsedAgent(TV, "Sony Smart TV")),
    (re.compile(r"\bVIDAA\b|\bHisense\b", re.IGNORECASE), ParsedAgent(TV, "Hisense Smart TV")),
    (re.compile(r"\bViera\b", re.IGNORECASE), ParsedAgent(TV, "Panasonic Smart TV")),
    (
        re.compile(r"\bPhilips\b.*\bTV\b|\bNETTV\b", re.IGNORECASE),
        ParsedAgent(TV, "Philips Smart TV"),
    ),
    (
        re.compile(r"Smart[- ]?TV|\bHbbTV\b|\bAndroid ?TV\b|\bGoogle ?TV\b|\bTV Safari\b", re.I),
        ParsedAgent(TV, "Smart TV"),
    ),
]

# ua-parser's browser families renamed to what the browser calls itself; None
# for families that are not a browser a person picked (web views, HTTP stacks).
_BROWSERS: dict[str, str | None] = {
    "Amazon Silk": "Silk",
    "Android": None,
    "Apple Mail": None,
    "Chrome Mobile WebView": None,
    "IE": "Internet Explorer",
    "IE Mobile": "Internet Explorer",
    "Mobile Safari": "Safari",
    "Mobile Safari UI/WKWebView": None,
    "Other": None,
}
_BROWSER_NAME = re.compile(r"[A-Za-z][A-Za-z0-9 +\-]{0,39}")

_LINUX_FAMILIES = {
    "Arch Linux",
    "CentOS",
    "Debian",
    "Fedora",
    "Gentoo",
    "Kubuntu",
    "Linux",
    "Linux Mint",
    "Lubuntu",
    "Mandriva",
    "Mint",
    "openSUSE",
    "PCLinuxOS",
    "Red Hat",
    "Slackware",
    "SUSE",
    "Ubuntu",
    "Xubuntu",
}


def parse_user_agent(ua: str) -> ParsedAgent:
    """Return the kind and display name of the device that sent ``ua``."""
    if not isinstance(ua, str):
        return _UNKNOWN
    return _parse(ua[:MAX_UA_LENGTH].strip())


# User-Agents repeat on every request from the same device.
@functools.lru_cache(maxsize=1024)
def _parse(ua: str) -> ParsedAgent:
    if not ua:
        return _UNKNOWN
    try:
        agent = _classify(ua)
    except Exception:  # A display name is never worth a failed request.
        logger.exception("Could not parse User-Agent %r", ua)
        return _UNKNOWN
    return ParsedAgent(agent.kind, agent.name[:MAX_NAME_LENGTH])


def _classify(ua: str) -> ParsedAgent:
    result = parse(ua)
    os_family = result.os.family if result.os else None
    device_family = result.device.family if result.device else None
    brand = result.device.brand if result.device else None

    if device_family is not None and (agent := _from_device(device_family, brand)):
        return agent
    for pattern, agent in _KEYWORDS:
        if pattern.search(ua):
            return agent

    platform = _platform(os_family, device_family, brand, ua)
    if platform is None:
        return _UNKNOWN
    kind, with_browser, alone = platform
    browser = _browser_name(result.user_agent.family if result.user_agent else None)
    if browser is None or browser == os_family:  # "Android on Android phone" says nothing
        return ParsedAgent(kind, alone)
    return ParsedAgent(kind, f"{browser} on {with_browser}")


def _from_device(family: str, brand: str | None) -> ParsedAgent | None:
    """Name a console, TV or stick from ua-parser's device fields."""
    if family in _DEVICE_FAMILIES:
        return _DEVICE_FAMILIES[family]
    if family.startswith("PlayStation"):
        return ParsedAgent(CONSOLE, family)
    if brand == "Nintendo":
        return ParsedAgent(CONSOLE, family)
    if brand and (family in ("HbbTV", "Inettv") or re.search(r"\bTV\b", family)):
        tv_brand = _TV_BRANDS.get(brand.lower())
        if tv_brand:
            return ParsedAgent(TV, f"{tv_brand} Smart TV")
    return None


def _browser_name(family: str | None) -> str | None:
    if family is None:
        return None
    name = _BROWSERS.get(family, family)
    if name is None:
        return None
    # "Chrome Mobile iOS", "Firefox iOS", "Edge Mobile": the platform already
    # says it is a phone.
    name = name.removesuffix(" iOS").removesuffix(" Mobile")
    # Families come from regex captures of an untrusted header: show only
    # plain words.
    return name if _BROWSER_NAME.fullmatch(name) else None


def _platform(
    os_family: str | None, device_family: str | None, brand: str | None, ua: str
) -> tuple[str, str, str] | None:
    """Return (kind, name after "on", name without a browser) for the platform."""
    if device_family == "iPad":
        return TABLET, "iPad", "iPad"
    if device_family in ("iPhone", "iPod"):
        return PHONE, device_family, device_family
    if os_family == "iOS":
        return PHONE, "iPhone", "iPhone"
    if os_family == "Android":
        if brand == "Amazon" and device_family and device_family.startswith("Kindle"):
            return TABLET, "Fire tablet", "Fire tablet"
        if _is_android_tablet(ua, device_family, brand):
            return TABLET, "Android tablet", "Android tablet"
        return PHONE, "Android phone", "Android phone"
    if os_family == "Windows Phone":
        return PHONE, "Windows Phone", "Windows Phone"
    if os_family == "Windows":
        return COMPUTER, "Windows", "Windows computer"
    if os_family == "Mac OS X":
        return COMPUTER, "Mac", "Mac"
    if os_family == "Chrome OS":
        return COMPUTER, "Chromebook", "Chromebook"
    if os_family in _LINUX_FAMILIES:
        return COMPUTER, "Linux", "Linux computer"
    if os_family in ("FreeBSD", "OpenBSD", "NetBSD"):
        return COMPUTER, os_family, f"{os_family} computer"
    if device_family in ("Generic Smartphone", "Generic Feature Phone"):
        return PHONE, "phone", "Phone"
    if device_family == "Generic Tablet":
        return TABLET, "tablet", "Tablet"
    return None


def _is_android_tablet(ua: str, device_family: str | None, brand: str | None) -> bool:
    if brand == "Generic_Android_Tablet" or device_family == "Generic Tablet":
        return True
    if "Mobile" in ua:
        return False
    # Android browsers mark phones with "Mobile" and leave it out on tablets; apps
    # (Dalvik, OkHttp) never send it, so without a browser token assume a phone.
    return "Tablet" in ua or ua.startswith("Mozilla/")
