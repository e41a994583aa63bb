"""Browser tests: Playwright drives Debian's Chromium against a live server started by the tests.

Without /usr/bin/chromium these tests are skipped, and pytest says why; with
REQUIRE_E2E=1 (as CI sets it) a missing browser is a failure instead.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.auth.hashers import make_password
from django.utils import timezone
from playwright.sync_api import Browser, BrowserContext, Page, expect

from accounts.models import Profile
from catalog.models import Rating, Title
from devices.models import Device
from parental.models import MaturityLevel, ParentalPin
from parental.services import controls_for
from tests.catalog.factories import DeviceFactory, GenreFactory, TitleFactory, ViewingFactory
from tests.conftest import GOOD_PIN
from tests.factories import PASSWORD, ProfileFactory, UserFactory

# Playwright's sync API keeps an event loop on the test thread; the ORM calls the tests
# make there (factories, assertions) are plain synchronous code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
ROOT = Path(__file__).resolve().parents[2]
# Test runs change no tracked file: screenshots go to the ignored test-results/ unless
# scripts/screenshots points this at docs/screenshots/ to refresh the README's on purpose.
# A relative path is taken from the repository root, wherever pytest runs from.
SCREENSHOTS = ROOT / os.environ.get("STREAMGUARD_SCREENSHOTS_DIR", "test-results/screenshots")
PHONE = {"width": 360, "height": 780}
DESKTOP = {"width": 1280, "height": 900}
TV_SCREEN = {"width": 1920, "height": 1080}

expect.set_options(timeout=10_000)


def pytest_collection_modifyitems(config, items) -> None:
    e2e = [item for item in items if "tests/e2e/" in str(item.fspath)]
    for item in e2e:
        item.add_marker(pytest.mark.e2e)
    if e2e and not shutil.which(CHROMIUM):
        if os.environ.get("REQUIRE_E2E") == "1":
            raise pytest.UsageError(
                f"REQUIRE_E2E=1 but no Chromium at {CHROMIUM}: apt-get install chromium"
            )
        skip = pytest.mark.skip(reason=f"browser tests need Chromium at {CHROMIUM}")
        for item in e2e:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "headless": True,
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture
def site(live_server, settings) -> str:
    settings.SITE_URL = live_server.url
    settings.DEBUG = False
    return live_server.url


@pytest.fixture
def new_context(browser: Browser) -> Iterator[Callable[..., BrowserContext]]:
    """Fresh browser contexts: each one is a separate device with its own cookies."""
    contexts: list[BrowserContext] = []

    def _new(**kwargs) -> BrowserContext:
        kwargs.setdefault("viewport", DESKTOP)
        context = browser.new_context(**kwargs)
        contexts.append(context)
        return context

    yield _new
    for context in contexts:
        context.close()


@pytest.fixture
def account(transactional_db):
    return UserFactory(email="household@example.com", name="Robin")


def sign_in(page: Page, site: str, email: str, password: str = PASSWORD) -> None:
    page.goto(f"{site}/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Who's watching?")).to_be_visible()


def screenshot(page: Page, name: str) -> None:
    """Write a full-page screenshot into SCREENSHOTS (docs/screenshots/ via scripts/screenshots)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


# Shared by the flow, parental, accessibility and layout tests.

CHROME_LINUX = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36"
)


def pick_profile(page: Page, site: str, name: str) -> None:
    """Pick a profile on "Who's watching?" the way a person does: by its button."""
    page.goto(f"{site}/profiles/")
    page.get_by_role("button", name=name).click()
    expect(page.get_by_role("heading", name="Browse")).to_be_visible()


def confirm_password(page: Page, site: str, password: str = PASSWORD) -> None:
    """Re-enter the password, as parental controls and the PIN page ask."""
    page.goto(f"{site}/account/confirm-password/?next=/account/parental-pin/")
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Parental PIN")).to_be_visible()


def mark_page(page: Page) -> None:
    """Flag the loaded document; still_same_page() is False after any navigation."""
    page.evaluate("window.__e2eSamePage = true")


def still_same_page(page: Page) -> bool:
    return page.evaluate("window.__e2eSamePage === true")


@dataclass
class Household:
    """An account with content on every page: what the accessibility and layout tests visit."""

    adult: Profile
    kids: Profile
    titles: list[Title]


@pytest.fixture
def household(account) -> Household:
    """Titles in three genres, a locked Kids profile, a PIN, devices and months of viewings."""
    genres = {
        slug: GenreFactory(slug=slug, name=slug.capitalize())
        for slug in ("drama", "comedy", "animation")
    }
    titles = [
        TitleFactory(name=name, rating=rating, genres=[genres[genre]], year=year)
        for name, rating, genre, year in [
            ("Harbour Lights", Rating.TV_14, "drama", 2022),
            ("The Long Table", Rating.PG_13, "comedy", 2019),
            ("Captain Kettle", Rating.G, "comedy", 2018),
            ("Bramble Bears", Rating.TV_Y, "animation", 2020),
            ("Moonbeam Bakery", Rating.TV_G, "animation", 2022),
            ("Northern Line", Rating.R, "drama", 2021),
            ("Paper Boat Summer", Rating.PG, "drama", 2020),
            ("Robo Rascals", Rating.TV_Y7, "animation", 2023),
        ]
    ]
    adult = account.profiles.get()
    kids = ProfileFactory(user=account, name="Kids", is_kids=True, colour="green")
    ProfileFactory(user=account, name="Sam", colour="purple")

    ParentalPin.objects.create(user=account, pin_hash=make_password(GOOD_PIN))
    controls = controls_for(kids)
    controls.maturity = MaturityLevel.LITTLE_KIDS
    controls.locked = True
    controls.save()
    controls.blocked_titles.add(titles[2])

    now = timezone.now()
    devices = [
        DeviceFactory(
            user=account,
            kind=Device.Kind.PHONE,
            name="Safari on iPhone",
            ip="81.2.69.160",
            city="London",
            country="GB",
            last_seen_at=now - timedelta(hours=3),
            signed_in_at=now - timedelta(days=20),
            last_profile=adult,
        ),
        DeviceFactory(
            user=account,
            kind=Device.Kind.TV,
            name="Samsung Smart TV",
            ip="81.2.69.142",
            city="London",
            country="GB",
            last_seen_at=now - timedelta(days=1),
            signed_in_at=now - timedelta(days=60),
            last_profile=kids,
        ),
        DeviceFactory(
            user=account,
            kind=Device.Kind.CONSOLE,
            name="PlayStation 5",
            ip="2.80.0.1",
            city="Lisbon",
            country="PT",
            last_seen_at=now - timedelta(days=2),
            signed_in_at=now - timedelta(days=9),
        ),
        DeviceFactory(
            user=account,
            kind=Device.Kind.COMPUTER,
            name="Firefox on Mac",
            ip="81.2.69.150",
            city="London",
            country="GB",
            last_seen_at=now - timedelta(days=5),
            signed_in_at=now - timedelta(days=40),
            signed_out_at=now - timedelta(days=4),
            signed_out_reason=Device.SignOutReason.REMOTE,
        ),
    ]
    for n in range(12):
        device = devices[n % len(devices)]
        started = now - timedelta(days=n * 3, hours=n)
        ViewingFactory(
            profile=kids if device.kind == Device.Kind.TV else adult,
            title=titles[3 + n % 2] if device.kind == Device.Kind.TV else titles[n % 2],
            device=device,
            device_name=device.name,
            ip=device.ip,
            city=device.city,
            country=device.country,
            started_at=started,
            position_seconds=300 + 60 * n,
        )
    return Household(adult=adult, kids=kids, titles=titles)
