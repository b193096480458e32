"""Real-browser tests: Playwright driving Debian's Chromium against live_server."""

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
PASSWORD = "pw-for-tests-1"

# Playwright's sync API runs an event loop in this thread; the ORM calls the
# tests make to arrange data are still plain synchronous code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).parent
    browser_missing = not Path(CHROMIUM).exists()
    for item in items:
        if Path(item.fspath).is_relative_to(here):
            item.add_marker(pytest.mark.e2e)
            if browser_missing:
                item.add_marker(
                    pytest.mark.skip(
                        reason="browser tests skipped: Chromium not found. "
                        "Enable them with `apt-get install -y chromium` (or set CHROMIUM_PATH)."
                    )
                )


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser, live_server):
    """Open a fresh browser context (its own cookies) and return its first page."""
    contexts = []

    def open_page(*, width=1280, javascript=True):
        context = browser.new_context(
            base_url=live_server.url,
            viewport={"width": width, "height": 900},
            java_script_enabled=javascript,
            accept_downloads=True,
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def seeded(transactional_db):
    from django.core.management import call_command

    from learning.models import Course

    call_command("loaddata", "coalition_of_the_willing.json", verbosity=0)
    return Course.objects.get(slug="coalition-of-the-willing")


def login(page, username, password=PASSWORD):
    page.goto("/accounts/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    page.get_by_role("button", name="Log in").click()


def screenshot(page, name):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    width = page.viewport_size["width"]
    page.screenshot(path=SCREENSHOTS / f"{name}-{width}.png", full_page=True)


def assert_no_horizontal_overflow(page):
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"{page.url} scrolls sideways by {overflow}px"


def correct_choice_ids(quiz):
    from quizzes.models import Choice

    return set(
        Choice.objects.filter(question__quiz=quiz, is_correct=True).values_list("pk", flat=True)
    )
