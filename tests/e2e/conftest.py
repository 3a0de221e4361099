"""Browser fixtures: Debian's Chromium driven by Playwright (sync API).

Needs the ``playwright`` pip package and a Chromium binary (``apt-get install -y
chromium``; ``NC_CHROMIUM`` overrides the path). Each test gets a fresh
browser context (so a fresh localStorage), fails on any console error or
uncaught exception, and leaves a screenshot in ``test-artifacts/`` when it
fails.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
VIEWPORT = {"width": 1600, "height": 1000}


def chromium_path() -> str | None:
    for candidate in (os.environ.get("NC_CHROMIUM"), "/usr/bin/chromium", "/usr/bin/chromium-browser",
                      shutil.which("chromium"), shutil.which("chromium-browser")):
        if candidate and Path(candidate).exists():
            return candidate
    return None


@pytest.hookimpl(tryfirst=True, hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


@pytest.fixture(scope="session")
def browser():
    # Under CI a missing browser is a failure, never a silent skip.
    missing = pytest.fail if os.environ.get("CI") else pytest.skip
    try:
        from playwright import sync_api
    except ImportError:
        missing("pip install playwright (the 'test' extra)")
    executable = chromium_path()
    if executable is None:
        missing("Chromium not found: apt-get install -y chromium (or set NC_CHROMIUM)")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class ConsoleWatch:
    """Console errors and uncaught exceptions seen by a page."""

    # Failed requests that a test provokes on purpose (routes answering 4xx/5xx
    # or aborted) make Chromium log "Failed to load resource"; those are expected.
    EXPECTED = re.compile(r"Failed to load resource")

    def __init__(self):
        self.errors: list[str] = []
        self.allow_failed_requests = False

    def on_console(self, message):
        if message.type == "error":
            if self.allow_failed_requests and self.EXPECTED.search(message.text):
                return
            self.errors.append(f"console.error: {message.text}")

    def on_page_error(self, error):
        self.errors.append(f"uncaught: {error}")


@pytest.fixture
def console():
    return ConsoleWatch()


@pytest.fixture
def page(browser, live_server, console, request):
    context = browser.new_context(viewport=VIEWPORT, base_url=live_server.url)
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.on("console", console.on_console)
    page.on("pageerror", console.on_page_error)
    yield page
    failed = getattr(request.node, "rep_call", None) is not None and request.node.rep_call.failed
    if failed:
        ARTIFACTS.mkdir(exist_ok=True)
        name = re.sub(r"[^A-Za-z0-9_.-]", "_", request.node.nodeid.split("::")[-1])
        try:
            page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
        except Exception:  # the page may be gone; the failure itself matters more
            pass
    context.close()
    if not failed:
        assert console.errors == [], "\n".join(console.errors)
