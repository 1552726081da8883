"""Fixtures of the browser tests: Debian's Chromium driven by Playwright (sync API) against
pytest-django's `live_server`, which runs Guichet in a thread of this process.

One headless browser for the whole session, a fresh context (cookies, storage) for each test. The
server shares this process, so `time_machine.travel(...)` in a test moves the server's clock too,
and the database is the test database (`transactional_db`: what the test writes is committed and
seen by the server thread, and the tables are emptied after each test).

Helpers the tests share (texts through the catalogue, logging in) are in tests/browser/helpers.py.
"""

import os
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright

from tests.browser.helpers import BELGIAN_LOCALE, TIMEOUT_MS

# Playwright's sync API keeps an asyncio loop around the calling thread; without this Django
# refuses ORM calls made by the test (fixtures, assertions) as if they came from async code.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--disable-quic",
]

expect.set_options(timeout=TIMEOUT_MS)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not os.access(CHROMIUM, os.X_OK):
        pytest.skip(f"{CHROMIUM} is missing: `make system-packages` installs Debian's Chromium")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def language() -> str:
    """The language the member's browser asks for (Accept-Language); override to change it."""
    return "fr"


@pytest.fixture
def context(browser, live_server, transactional_db, language) -> Iterator[BrowserContext]:
    made = browser.new_context(base_url=live_server.url, locale=BELGIAN_LOCALE[language])
    made.set_default_timeout(TIMEOUT_MS)
    yield made
    made.close()


@pytest.fixture
def page(context) -> Page:
    return context.new_page()
