"""Browser tests: Playwright drives Debian's Chromium against a live server started by the tests.

Without /usr/bin/chromium these tests are skipped, and pytest says why; with
REQUIRE_E2E=1 (as CI sets it) a missing browser is a failure instead.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.factories import PASSWORD, UserFactory

# Playwright's sync API keeps an event loop on the test thread; the ORM calls the tests
# make there (factories, assertions) are plain synchronous code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
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
    """Write a screenshot of the page into docs/screenshots/ (shown in the README)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
