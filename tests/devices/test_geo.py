from __future__ import annotations

from pathlib import Path

import netaddr
import pytest
from mmdb_writer import MMDBWriter

from devices import geo
from devices.geo import Location, country_name, describe_location, locate

LISBON = {
    "city": {"names": {"en": "Lisbon"}},
    "country": {"iso_code": "PT", "names": {"en": "Portugal"}},
}


@pytest.fixture(autouse=True)
def _fresh_readers():
    geo.reset_cache()
    yield
    geo.reset_cache()


@pytest.fixture
def city_database(tmp_path: Path) -> Path:
    """A tiny GeoLite2-City database: two Portuguese networks in Lisbon, one GB one."""
    # IPv6 with IPv4 mapped in, as MaxMind ships GeoLite2-City.
    writer = MMDBWriter(
        ip_version=6,
        ipv4_compatible=True,
        database_type="GeoLite2-City",
        languages=["en"],
        description="StreamGuard test database",
    )
    writer.insert_network(netaddr.IPSet(["193.136.0.0/16", "2001:690::/32"]), LISBON)
    writer.insert_network(
        netaddr.IPSet(["81.2.69.0/24"]),
        {"country": {"iso_code": "GB", "names": {"en": "United Kingdom"}}},
    )
    path = tmp_path / "GeoLite2-City.mmdb"
    writer.to_db_file(str(path))
    return path


def test_city_comes_from_the_database(settings, city_database: Path) -> None:
    settings.GEOIP_PATH = str(city_database)

    assert locate("193.136.4.20") == Location(city="Lisbon", country="PT")
    assert locate("2001:690:2008::1") == Location(city="Lisbon", country="PT")


def test_network_without_city_gives_country_only(settings, city_database: Path) -> None:
    settings.GEOIP_PATH = str(city_database)

    assert locate("81.2.69.142") == Location(city="", country="GB")


def test_geoip_path_may_name_the_directory(settings, city_database: Path) -> None:
    settings.GEOIP_PATH = str(city_database.parent)

    assert locate("193.136.4.20") == Location(city="Lisbon", country="PT")


def test_address_missing_from_database_falls_back_to_iptocc(settings, city_database: Path) -> None:
    settings.GEOIP_PATH = str(city_database)

    assert locate("8.8.8.8") == Location(city="", country="US")


def test_database_is_opened_once(settings, city_database: Path) -> None:
    settings.GEOIP_PATH = str(city_database)

    locate("193.136.4.20")
    locate("193.136.4.21")
    locate("8.8.8.8")

    assert geo._reader.cache_info().misses == 1


def test_without_geoip_path_only_the_country_is_known(settings) -> None:
    settings.GEOIP_PATH = ""

    assert locate("8.8.8.8") == Location(city="", country="US")
    assert locate("2001:4860:4860::8888") == Location(city="", country="US")


def test_missing_database_file_falls_back_to_iptocc(settings, tmp_path: Path) -> None:
    settings.GEOIP_PATH = str(tmp_path / "absent.mmdb")

    assert locate("8.8.8.8") == Location(city="", country="US")


def test_corrupt_database_file_falls_back_to_iptocc(settings, tmp_path: Path) -> None:
    corrupt = tmp_path / "corrupt.mmdb"
    corrupt.write_bytes(b"not a maxmind database" * 100)
    settings.GEOIP_PATH = str(corrupt)

    assert locate("8.8.8.8") == Location(city="", country="US")


@pytest.mark.parametrize(
    "ip",
    [
        None,
        "",
        "not an ip",
        "999.1.1.1",
        "127.0.0.1",
        "::1",
        "10.1.2.3",
        "192.168.1.10",
        "172.16.0.1",
        "100.64.0.1",
        "169.254.10.10",
        "fe80::1",
        "fd00::1",
        "::ffff:192.168.1.10",
        "240.0.0.1",
    ],
)
def test_private_and_invalid_addresses_have_no_location(
    settings, city_database: Path, ip: str | None
) -> None:
    settings.GEOIP_PATH = str(city_database)

    assert locate(ip) == Location(city="", country="")


def test_ipv4_mapped_address_is_located_as_ipv4(settings, city_database: Path) -> None:
    settings.GEOIP_PATH = str(city_database)

    assert locate("::ffff:193.136.4.20") == Location(city="Lisbon", country="PT")


@pytest.mark.parametrize(
    ("city", "country", "expected"),
    [
        ("Lisbon", "PT", "Lisbon, Portugal"),
        ("", "PT", "Portugal"),
        ("Lisbon", "", "Lisbon"),
        ("", "", "Unknown location"),
    ],
)
def test_describe_location(city: str, country: str, expected: str) -> None:
    assert describe_location(city=city, country=country) == expected


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("PT", "Portugal"),
        ("pt", "Portugal"),
        ("GB", "United Kingdom"),
        ("KR", "South Korea"),
        ("", ""),
        ("XK", "XK"),
    ],
)
def test_country_name(code: str, expected: str) -> None:
    assert country_name(code) == expected
