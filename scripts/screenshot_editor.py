"""Regenerate docs/screenshot-editor.png: the editor with the digits CNN template.

    .venv/bin/python scripts/screenshot_editor.py

Starts its own server on a free port with a throw-away data directory and
drives Debian's Chromium through Playwright (as the browser tests do).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playwright.sync_api import expect, sync_playwright  # noqa: E402

from tests.conftest import LiveServer  # noqa: E402
from tests.e2e.conftest import CHROMIUM_ARGS, chromium_path  # noqa: E402
from tests.e2e.helpers import new_project, node, open_editor, wait_summary  # noqa: E402

OUT = ROOT / "docs" / "screenshot-editor.png"


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        server = LiveServer(Path(tmp)).start()
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
                page = browser.new_page(viewport={"width": 1600, "height": 1000}, base_url=server.url)
                open_editor(page)
                new_project(page, "digits_cnn", "Digits CNN")
                wait_summary(page)
                node(page, "conv2").click()
                page.get_by_test_id("param-filters").fill("24")
                wait_summary(page)
                expect(page.get_by_test_id("save-status")).to_have_attribute("data-state", "saved")
                page.mouse.move(5, 990)
                page.screenshot(path=str(OUT))
                browser.close()
        finally:
            server.stop()
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
