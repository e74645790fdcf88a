"""Browser tests: Playwright driving the machine's Chromium (never a browser download of its own)."""

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
OUTPUT = Path(__file__).resolve().parents[2] / "test-output" / "screenshots"

# Playwright's sync API runs an event loop in this thread; the test itself touches no database
# while the browser is open, the live server does that in its own thread.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
# Playwright's wait_for_function evaluates its predicate as a string in the page, which the site's
# Content-Security-Policy refuses (no 'unsafe-eval'); these screens bypass the policy for that, and
# test_content_security_policy.py opens its own, with the policy enforced.
PHONE = {
    "viewport": {"width": 360, "height": 740},
    "device_scale_factor": 2,
    "locale": "zh-CN",
    "is_mobile": True,
    "has_touch": True,
}
DESK = {"viewport": {"width": 1440, "height": 900}, "locale": "zh-CN"}


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not shutil.which(CHROMIUM) and not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"Chromium not found at {CHROMIUM}; .ci/run installs it")
        pytest.skip(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-background-networking",
                "--disable-gpu",
                "--disable-component-update",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def phone(browser):  # type: ignore[no-untyped-def]
    """A 360 px wide phone screen in Chinese."""
    context = browser.new_context(**PHONE, bypass_csp=True)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.js_errors = errors  # type: ignore[attr-defined]
    yield page
    context.close()


def screenshot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    OUTPUT.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(OUTPUT / f"{name}.png"), full_page=True)


@pytest.fixture
def desk(browser):  # type: ignore[no-untyped-def]
    """A 1440 px wide desk screen in Chinese, as reviewers use the console."""
    context = browser.new_context(**DESK, bypass_csp=True)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.js_errors = errors  # type: ignore[attr-defined]
    yield page
    context.close()
