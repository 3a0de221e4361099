"""Regenerate the README's screenshots in docs/: the editor (digits CNN), and the
tutorial regression trained for 40 epochs with its results.

    .venv/bin/python scripts/screenshots.py

Starts its own server on a free port with a throw-away data directory and
drives Debian's Chromium through Playwright (as the browser tests do).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playwright.sync_api import Page, expect, sync_playwright  # noqa: E402

from tests.conftest import LiveServer  # noqa: E402
from tests.e2e.conftest import CHROMIUM_ARGS, chromium_path  # noqa: E402
from tests.e2e.helpers import new_project, node, open_editor, wait_summary  # noqa: E402

DOCS = ROOT / "docs"


def editor(page: Page) -> None:
    new_project(page, "digits_cnn", "Digits CNN")
    wait_summary(page)
    node(page, "conv2").click()
    page.get_by_test_id("param-filters").fill("24")
    wait_summary(page)
    expect(page.get_by_test_id("save-status")).to_have_attribute("data-state", "saved")
    page.mouse.move(5, 990)
    page.screenshot(path=str(DOCS / "screenshot-editor.png"))


def training(page: Page) -> None:
    new_project(page, "tutorial_mlp", "Tutorial regression")
    wait_summary(page)
    page.get_by_test_id("tab-data").click()
    page.get_by_test_id("dataset-select").select_option("tutorial_regression")
    expect(page.get_by_test_id("data-preview")).to_have_attribute("data-dataset-id", "tutorial_regression")
    page.get_by_test_id("tab-train").click()
    page.get_by_test_id("fit-epochs").fill("40")
    page.get_by_test_id("fit-batch-size").fill("3")
    page.get_by_test_id("train-button").click()
    expect(page.get_by_test_id("run-status")).to_have_attribute("data-status", "completed", timeout=180_000)
    page.wait_for_timeout(500)
    page.screenshot(path=str(DOCS / "screenshot-train.png"))
    page.get_by_test_id("tab-results").click()
    page.wait_for_timeout(2500)
    page.screenshot(path=str(DOCS / "screenshot-results.png"))


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        server = LiveServer(Path(tmp)).start()
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
                for shoot in (editor, training):
                    page = browser.new_page(viewport={"width": 1600, "height": 1000}, base_url=server.url)
                    open_editor(page)
                    shoot(page)
                    page.close()
                browser.close()
        finally:
            server.stop()
    sys.stdout.write(f"wrote screenshots into {DOCS}\n")


if __name__ == "__main__":
    main()
