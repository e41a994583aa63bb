from __future__ import annotations

import re

import pytest

from devices import useragent
from devices.useragent import MAX_UA_LENGTH, ParsedAgent, parse_user_agent

KINDS = {"computer", "phone", "tablet", "tv", "console", "stick", "unknown"}

# Real User-Agent strings as the browsers and devices send them.
CASES: list[tuple[str, str, str]] = [
    # Windows
    (
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/124.0.0.0 Safari/537.36",
        "computer",
        "Chrome on Windows",
    ),
    (
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/124.0.0.0 Safari/537.36 Edg/124.0.2478.80",
        "computer",
        "Edge on Windows",
    ),
    (
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:125.0) Gecko/20100101 Firefox/125.0",
        "computer",
        "Firefox on Windows",
    ),
    (
        "Mozilla/5.0 (Windows NT 6.1; Win64; x64; rv:115.0) Gecko/20100101 Firefox/115.0",
        "computer",
        "Firefox on Windows",
    ),
    (
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/124.0.0.0 Safari/537.36 OPR/110.0.0.0",
        "computer",
        "Opera on Windows",
    ),
    (
        "Mozilla/5.0 (Windows NT 6.1; WOW64; Trident/7.0; rv:11.0) like Gecko",
        "computer",
        "Internet Explorer on Windows",
    ),
    # Mac
    (
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/124.0.0.0 Safari/537.36",
        "computer",
        "Chrome on Mac",
    ),
    (
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) "
        "Version/17.4.1 Safari/605.1.15",
        "computer",
        "Safari on Mac",
    ),
    (
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 14.4; rv:125.0) Gecko/20100101 Firefox/125.0",
        "computer",
        "Firefox on Mac",
    ),
    (
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/124.0.0.0 Safari/537.36 Edg/124.0.2478.80",
        "computer",
        "Edge on Mac",
    ),
    (
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/124.0.0.0 Safari/537.36 OPR/110.0.0.0",
        "computer",
        "Opera on Mac",
    ),
    # Linux and ChromeOS
    (
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/124.0.0.0 Safari/537.36",
        "computer",
        "Chrome on Linux",
    ),
    (
        "Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0",
        "computer",
        "Firefox on Linux",
    ),
    (
        "Mozilla/5.0 (X11; Fedora; Linux x86_64; rv:124.0) Gecko/20100101 Firefox/124.0",
        "computer",
        "Firefox on Linux",
    ),
    (
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/124.0.0.0 Safari/537.36 OPR/110.0.0.0",
        "computer",
        "Opera on Linux",
    ),
    (
        "Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/124.0.0.0 Safari/537.36",
        "computer",
        "Chrome on Chromebook",
    ),
    # iPhone
    (
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4_1 like Mac OS X) AppleWebKit/605.1.15 "
        "(KHTML, like Gecko) Version/17.4.1 Mobile/15E148 Safari/604.1",
        "phone",
        "Safari on iPhone",
    ),
    (
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 "
        "(KHTML, like Gecko) CriOS/124.0.6367.88 Mobile/15E148 Safari/604.1",
        "phone",
        "Chrome on iPhone",
    ),
    (
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 "
        "(KHTML, like Gecko) FxiOS/125.0 Mobile/15E148 Safari/605.1.15",
        "phone",
        "Firefox on iPhone",
    ),
    (
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 "
        "(KHTML, like Gecko) Version/17.0 EdgiOS/124.2478.71 Mobile/15E148 Safari/605.1.15",
        "phone",
        "Edge on iPhone",
    ),
    # Android phones
    (
        "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/124.0.0.0 Mobile Safari/537.36",
        "phone",
        "Chrome on Android phone",
    ),
    (
        "Mozilla/5.0 (Linux; Android 14; Pixel 8 Pro) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/124.0.6367.82 Mobile Safari/537.36",
        "phone",
        "Chrome on Android phone",
    ),
    (
        "Mozilla/5.0 (Linux; Android 14; SM-S928B) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/124.0.6367.82 Mobile Safari/537.36",
        "phone",
        "Chrome on Android phone",
    ),
    (
        "Mozilla/5.0 (Linux; Android 14; SAMSUNG SM-S918B) AppleWebKit/537.36 "
        "(KHTML, like Gecko) SamsungBrowser/24.0 Chrome/117.0.0.0 Mobile Safari/537.36",
        "phone",
        "Samsung Internet on Android phone",
    ),
    (
        "Mozilla/5.0 (Android 14; Mobile; rv:125.0) Gecko/125.0 Firefox/125.0",
        "phone",
        "Firefox on Android phone",
    ),
    (
        "Mozilla/5.0 (Linux; Android 13; SM-A536B) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/124.0.0.0 Mobile Safari/537.36 EdgA/124.0.2478.64",
        "phone",
        "Edge on Android phone",
    ),
    (
        "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/124.0.0.0 Mobile Safari/537.36 OPR/81.1.4292.78723",
        "phone",
        "Opera on Android phone",
    ),
    # iPad and Android tablets
    (
        "Mozilla/5.0 (iPad; CPU OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
        "Version/17.4 Mobile/15E148 Safari/604.1",
        "tablet",
        "Safari on iPad",
    ),
    (
        "Mozilla/5.0 (iPad; CPU OS 16_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
        "CriOS/124.0.6367.88 Mobile/15E148 Safari/604.1",
        "tablet",
        "Chrome on iPad",
    ),
    (
        "Mozilla/5.0 (Linux; Android 13; SM-X710) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/124.0.0.0 Safari/537.36",
        "tablet",
        "Chrome on Android tablet",
    ),
    (
        "Mozilla/5.0 (Linux; Android 13; SAMSUNG SM-X200) AppleWebKit/537.36 "
        "(KHTML, like Gecko) SamsungBrowser/23.0 Chrome/115.0.0.0 Safari/537.36",
        "tablet",
        "Samsung Internet on Android tablet",
    ),
    (
        "Mozilla/5.0 (Android 14; Tablet; rv:125.0) Gecko/125.0 Firefox/125.0",
        "tablet",
        "Firefox on Android tablet",
    ),
    (
        "Mozilla/5.0 (Linux; Android 12; Lenovo TB-J606F) AppleWebKit/537.36 "
        "(KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36",
        "tablet",
        "Chrome on Android tablet",
    ),
    (
        "Mozilla/5.0 (Linux; Android 9; KFMAWI) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Silk/124.2.1 like Chrome/124.0.6367.118 Safari/537.36",
        "tablet",
        "Silk on Fire tablet",
    ),
    # Smart TVs
    (
        "Mozilla/5.0 (SMART-TV; LINUX; Tizen 6.5) AppleWebKit/537.36 (KHTML, like Gecko) "
        "85.0.4183.93/6.5 TV Safari/537.36",
        "tv",
        "Samsung Smart TV",
    ),
    (
        "Mozilla/5.0 (SMART-TV; Linux; Tizen 5.0) AppleWebKit/537.36 (KHTML, like Gecko) "
        "SamsungBrowser/2.2 Chrome/63.0.3239.84 TV Safari/537.36",
        "tv",
        "Samsung Smart TV",
    ),
    (
        "Mozilla/5.0 (Linux; Tizen 2.3) AppleWebKit/538.1 (KHTML, like Gecko)Version/2.3 "
        "TV Safari/538.1",
        "tv",
        "Samsung Smart TV",
    ),
    (
        "Mozilla/5.0 (Web0S; Linux/SmartTV) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/79.0.3945.79 Safari/537.36 WebAppManager",
        "tv",
        "LG Smart TV",
    ),
    (
        "Mozilla/5.0 (Linux; NetCast; U) AppleWebKit/537.31 (KHTML, like Gecko) "
        "Chrome/26.0.1410.33 Safari/537.31 SmartTV/6.0",
        "tv",
        "LG Smart TV",
    ),
    (
        "Mozilla/5.0 (Linux; Andr0id 9; BRAVIA 4K UR2 Build/PTT1.190515.001.S52) "
        "AppleWebKit/537.36 (KHTML, like Gecko) Chrome/80.0.3987.119 Mobile Safari/537.36 "
        "OPR/46.0.2207.0 OMI/4.20.0.57.DIA6.7 Model/Sony-BRAVIA-4K-UR2",
        "tv",
        "Sony Smart TV",
    ),
    (
        "Mozilla/5.0 (Linux; Android 10; BRAVIA 4K VH2 Build/QTG3.200305.006.S292) "
        "AppleWebKit/537.36 (KHTML, like Gecko) Chrome/103.0.5060.129 Safari/537.36",
        "tv",
        "Sony Smart TV",
    ),
    (
        "Mozilla/5.0 (Linux; VIDAA 5.0; Hisense; SmartTV) AppleWebKit/537.36 "
        "(KHTML, like Gecko) Chrome/70.0.3538.110 Safari/537.36 Hisense Model/HE55A7100EUWTS "
        "VIDAA/5.0(Hisense;SmartTV;55A7100F;HE55A7100EUWTS;0.6.0.0-HQ-EU;)",
        "tv",
        "Hisense Smart TV",
    ),
    (
        "Mozilla/5.0 (Linux; Android 9; Philips TV) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/70.0.3538.110 Safari/537.36",
        "tv",
        "Philips Smart TV",
    ),
    (
        "Opera/9.80 (Linux mips; U; HbbTV/1.1.1 (; Philips; ; ; ; ) CE-HTML/1.0 NETTV/3.2.1; en) "
        "Presto/2.6.33 Version/10.70",
        "tv",
        "Philips Smart TV",
    ),
    (
        "Mozilla/5.0 (X11; Linux; Viera; Panasonic) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/76.0.3809.100 Safari/537.36",
        "tv",
        "Panasonic Smart TV",
    ),
    # Consoles
    (
        "Mozilla/5.0 (PlayStation; PlayStation 5/2.26) AppleWebKit/605.1.15 "
        "(KHTML, like Gecko) Version/13.0 Safari/605.1.15",
        "console",
        "PlayStation 5",
    ),
    (
        "Mozilla/5.0 (PlayStation 4 11.00) AppleWebKit/605.1.15 (KHTML, like Gecko)",
        "console",
        "PlayStation 4",
    ),
    (
        "Mozilla/5.0 (PlayStation 4 5.55) AppleWebKit/601.2 (KHTML, like Gecko)",
        "console",
        "PlayStation 4",
    ),
    (
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64; Xbox; Xbox One) AppleWebKit/537.36 "
        "(KHTML, like Gecko) Chrome/70.0.3538.102 Safari/537.36 Edge/18.19041",
        "console",
        "Xbox",
    ),
    (
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64; Xbox; Xbox Series X) AppleWebKit/537.36 "
        "(KHTML, like Gecko) Chrome/70.0.3538.102 Safari/537.36 Edge/18.19041",
        "console",
        "Xbox",
    ),
    (
        "Mozilla/5.0 (Nintendo Switch; WifiWebAuthApplet) AppleWebKit/606.4 (KHTML, like Gecko) "
        "NF/6.0.1.15.4 NintendoBrowser/5.1.0.20393",
        "console",
        "Nintendo Switch",
    ),
    (
        "Mozilla/5.0 (Nintendo Switch; ShareApplet) AppleWebKit/606.4 (KHTML, like Gecko) "
        "NF/6.0.1.16.11 NintendoBrowser/5.1.0.20935",
        "console",
        "Nintendo Switch",
    ),
    # Streaming sticks and boxes
    (
        "Mozilla/5.0 (Linux; Android 9; AFTMM Build/PS7233; wv) AppleWebKit/537.36 "
        "(KHTML, like Gecko) Version/4.0 Chrome/70.0.3538.110 Mobile Safari/537.36",
        "stick",
        "Fire TV Stick",
    ),
    (
        "Mozilla/5.0 (Linux; Android 7.1.2; AFTT Build/NS6287) AppleWebKit/537.36 "
        "(KHTML, like Gecko) Silk/124.2.1 like Chrome/124.0.6367.118 Safari/537.36",
        "stick",
        "Fire TV Stick",
    ),
    (
        "Mozilla/5.0 (Linux; Android 11; AFTKA Build/RS8117.2866N) AppleWebKit/537.36 "
        "(KHTML, like Gecko) Chrome/124.0.6367.82 Mobile Safari/537.36",
        "stick",
        "Fire TV Stick",
    ),
    (
        "Dalvik/2.1.0 (Linux; U; Android 9; AFTSSS Build/PS7633.3445N)",
        "stick",
        "Fire TV Stick",
    ),
    (
        "Mozilla/5.0 (X11; Linux armv7l) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/78.0.3904.108 Safari/537.36 CrKey/1.44.191160",
        "stick",
        "Chromecast",
    ),
    (
        "Mozilla/5.0 (Linux; Android 12.0; Build/STTL.240206.002) AppleWebKit/537.36 "
        "(KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 CrKey/1.56.500000 "
        "DeviceType/AndroidTV",
        "stick",
        "Chromecast",
    ),
    ("Roku/DVP-12.5 (12.5.0.4178)", "stick", "Roku"),
    (
        "Mozilla/5.0 (Roku; Linux; Roku Express 3930X) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/75.0.3770.130 Safari/537.36",
        "stick",
        "Roku",
    ),
    ("AppleTV11,1/11.1", "stick", "Apple TV"),
    (
        "AppleCoreMedia/1.0.0.21L569 (Apple TV; U; CPU OS 17_4 like Mac OS X; en_us)",
        "stick",
        "Apple TV",
    ),
    (
        "Mozilla/5.0 (Linux; Android 9; SHIELD Android TV Build/PPR1.180610.011) "
        "AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.6367.54 Mobile Safari/537.36",
        "stick",
        "NVIDIA Shield",
    ),
    # Not a device a person would recognise
    ("", "unknown", "Unknown device"),
    ("curl/8.0", "unknown", "Unknown device"),
    ("python-requests/2.31.0", "unknown", "Unknown device"),
    ("asdkjh 1234 !!@@", "unknown", "Unknown device"),
    (
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        "unknown",
        "Unknown device",
    ),
]


@pytest.mark.parametrize(
    ("ua", "kind", "name"), CASES, ids=[f"{kind}-{name}" for _, kind, name in CASES]
)
def test_parse_user_agent_names_real_devices(ua: str, kind: str, name: str) -> None:
    assert parse_user_agent(ua) == ParsedAgent(kind=kind, name=name)


def test_table_covers_every_kind() -> None:
    assert len(CASES) >= 45
    assert {kind for _, kind, _ in CASES} == KINDS


@pytest.mark.parametrize("ua", [ua for ua, _, _ in CASES])
def test_names_carry_no_version_numbers(ua: str) -> None:
    name = parse_user_agent(ua).name
    assert not re.search(r"\d+\.\d+", name)
    assert 0 < len(name) <= 100


def test_ten_kilobyte_user_agent_is_truncated_before_parsing(monkeypatch) -> None:
    seen: list[int] = []
    real_parse = useragent.parse

    def recording_parse(ua: str):
        seen.append(len(ua))
        return real_parse(ua)

    monkeypatch.setattr(useragent, "parse", recording_parse)
    huge = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) " + "A" * 10_240

    agent = parse_user_agent(huge)

    assert seen
    assert max(seen) <= MAX_UA_LENGTH
    assert agent.kind in KINDS
    assert len(agent.name) <= 100


@pytest.mark.parametrize(
    "ua",
    [
        "<script>alert(1)</script>",
        "(" * 10_240,
        "\x00\xff" * 5_000,
        "Mozilla/5.0 (Linux; Android 14; " + "x; " * 3_000 + ")",
    ],
    ids=["script", "parentheses", "binary", "many-tokens"],
)
def test_hostile_user_agents_do_not_raise(ua: str) -> None:
    agent = parse_user_agent(ua)

    assert agent.kind in KINDS
    assert len(agent.name) <= 100


def test_script_tag_is_an_unknown_device() -> None:
    assert parse_user_agent("<script>alert(1)</script>") == ParsedAgent("unknown", "Unknown device")


def test_non_string_is_an_unknown_device() -> None:
    assert parse_user_agent(None) == ParsedAgent("unknown", "Unknown device")  # type: ignore[arg-type]


def test_parser_failure_gives_unknown_device(monkeypatch) -> None:
    def broken_parse(ua: str):
        raise RuntimeError("boom")

    monkeypatch.setattr(useragent, "parse", broken_parse)

    # A string no other test parses, so the cache cannot answer for the parser.
    assert parse_user_agent("Mozilla/5.0 (broken-parser-test)") == ParsedAgent(
        "unknown", "Unknown device"
    )


def test_repeated_user_agent_is_served_from_cache() -> None:
    ua = CASES[0][0] + " cache-test"
    parse_user_agent(ua)
    hits = useragent._parse.cache_info().hits

    parse_user_agent(ua)

    assert useragent._parse.cache_info().hits == hits + 1
