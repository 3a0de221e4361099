"""Projects in the browser: templates, open/rename/duplicate/delete, and what
the page does when the server is away, refuses a save, or sends a corrupt
project: it says so and keeps the user's work."""

from __future__ import annotations

import json
import re

import httpx
import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import drag_layer, new_project, node, nodes, open_editor, wait_summary, wires

pytestmark = pytest.mark.e2e

TEMPLATES = {
    "tutorial_mlp": ("Sequential", 4673),  # 3*128+128 + 128*32+32 + 32+1
    "classifier_2d": ("Sequential", None),
    "digits_cnn": ("Sequential", None),
    "lstm_sequence": ("Sequential", None),
    "residual_block": ("Functional", None),
    "shared_two_input": ("Functional", None),
}


def test_every_template_builds_without_errors(page):
    open_editor(page)
    for template, (kind, total) in TEMPLATES.items():
        new_project(page, template)
        wait_summary(page)
        expect(page.get_by_test_id("summary-error")).to_have_count(0)
        expect(page.locator(".node.has-error")).to_have_count(0)
        expect(page.get_by_test_id("model-kind")).to_have_text(kind)
        if total is not None:
            expect(page.get_by_test_id("total-params")).to_have_attribute("data-value", str(total))
    # The shared layer shows as shared, with one set of weights.
    expect(node(page, "encode_right").get_by_test_id("node-params")).to_have_text("shared")


def test_rename_duplicate_open_delete(page, live_server):
    open_editor(page)
    new_project(page, "tutorial_mlp", "Original")
    name = page.get_by_test_id("project-name")
    name.fill("Renamed MLP")
    name.press("Enter")
    expect(page.get_by_test_id("save-status")).to_have_attribute("data-state", "saved")
    names = [p["name"] for p in httpx.get(f"{live_server.url}/api/projects").json()]
    assert "Renamed MLP" in names

    page.get_by_test_id("duplicate-project").click()
    expect(name).to_have_value("Renamed MLP (copy)")
    expect(nodes(page)).to_have_count(4)

    page.get_by_test_id("open-project").click()
    dialog = page.get_by_test_id("open-dialog")
    row = dialog.get_by_test_id("project-row").filter(has=page.locator("strong", has_text=re.compile(r"^Renamed MLP$")))
    row.locator(".project-open").click()
    expect(name).to_have_value("Renamed MLP")

    page.get_by_test_id("delete-project").click()
    page.get_by_test_id("confirm-yes").click()
    expect(name).not_to_have_value("Renamed MLP")
    names = [p["name"] for p in httpx.get(f"{live_server.url}/api/projects").json()]
    assert "Renamed MLP" not in names and "Renamed MLP (copy)" in names


def test_refused_save_is_reported_and_work_kept(page, console):
    console.allow_failed_requests = True
    open_editor(page)
    new_project(page, "blank", "Refused")
    page.route("**/api/projects/*", lambda route: route.fulfill(
        status=422, content_type="application/json", body=json.dumps({"detail": "Graph refused by a test."}))
        if route.request.method == "PUT" else route.continue_())
    drag_layer(page, "Input", 200, 100)
    expect(page.get_by_test_id("save-status")).to_have_attribute("data-state", "error")
    banner = page.locator("[data-testid='banner'][data-key='save']")
    expect(banner).to_contain_text("Graph refused by a test.")
    draft = page.evaluate("""() => Object.entries(localStorage)
        .filter(([k]) => k.startsWith('neuralcanvas.draft.')).map(([, v]) => JSON.parse(v))
        .find((d) => d.name === 'Refused')""")
    assert draft["dirty"] and draft["graph"]["nodes"][0]["type"] == "Input"
    page.unroute("**/api/projects/*")
    drag_layer(page, "Dense", 200, 300)
    expect(page.get_by_test_id("save-status")).to_have_attribute("data-state", "saved")
    expect(banner).to_have_count(0)


def test_unreachable_server_keeps_editing_and_recovers(page, console):
    console.allow_failed_requests = True
    open_editor(page)
    new_project(page, "tutorial_mlp", "Offline")
    wait_summary(page)
    page.route("**/api/**", lambda route: route.abort())
    node(page, "h1").click()
    page.get_by_test_id("param-units").fill("64")
    expect(page.locator("[data-testid='banner'][data-key='summary']")).to_contain_text("cannot be reached")
    expect(page.get_by_test_id("save-status")).to_have_attribute("data-state", "offline")
    expect(node(page, "h1").get_by_test_id("node-key-params")).to_contain_text("units 64")
    page.unroute("**/api/**")
    # Both retry on their own once the server answers again.
    expect(page.get_by_test_id("save-status")).to_have_attribute("data-state", "saved", timeout=15_000)
    wait_summary(page)
    expect(node(page, "h1").get_by_test_id("node-params")).to_have_attribute("data-params", str(3 * 64 + 64))
    expect(page.locator("[data-testid='banner'][data-key='summary']")).to_have_count(0)


def test_corrupt_project_is_reported_and_left_untouched(page, live_server, console):
    console.allow_failed_requests = True
    created = httpx.post(f"{live_server.url}/api/projects", json={
        "name": "Damaged", "graph": {"sequential": [{"type": "Input", "params": {"shape": [3]}},
                                                    {"type": "Dense", "params": {"units": 1}}]}}).json()
    project_url = f"**/api/projects/{created['id']}"
    puts = []
    page.on("request", lambda r: puts.append(r.url) if r.method == "PUT" and created["id"] in r.url else None)

    def corrupt(route):
        if route.request.method != "GET":
            return route.continue_()
        body = dict(created, graph={"nodes": [{"id": "x", "type": "Input", "params": {"shape": [3]}}, {"oops": 1}],
                                    "edges": [{"source": "x", "target": "ghost"}]})
        return route.fulfill(status=200, content_type="application/json", body=json.dumps(body))

    page.route(project_url, corrupt)
    open_editor(page)
    page.get_by_test_id("open-project").click()
    page.get_by_test_id("open-dialog").get_by_test_id("project-row").filter(has_text="Damaged").locator(".project-open").click()
    banner = page.locator("[data-testid='banner'][data-key='corrupt']")
    expect(banner).to_contain_text("repaired")
    expect(nodes(page)).to_have_count(1)
    expect(page.get_by_test_id("save-status")).to_have_attribute("data-state", "paused")
    drag_layer(page, "Dense", 300, 300)  # editing goes on, but the stored copy is not overwritten
    page.wait_for_timeout(1200)
    assert puts == []

    # Unreadable at all: an empty canvas, a clear message, still no write. (Drop
    # this browser's copy of the edit above, or the page would rightly restore it.)
    page.evaluate("() => localStorage.clear()")
    page.unroute(project_url)
    page.route(project_url, lambda route: route.fulfill(status=200, content_type="application/json",
                                                        body=json.dumps(dict(created, graph={"nodes": "oops"}))))
    page.get_by_test_id("open-project").click()
    page.get_by_test_id("open-dialog").get_by_test_id("project-row").filter(has_text="Damaged").locator(".project-open").click()
    expect(banner).to_contain_text("could not be read")
    expect(nodes(page)).to_have_count(0)
    assert puts == []
    assert wires(page).count() == 0


def test_page_opens_from_this_browsers_copy_when_the_server_is_down(page, console):
    console.allow_failed_requests = True
    open_editor(page)
    new_project(page, "tutorial_mlp", "Works offline")
    expect(page.get_by_test_id("save-status")).to_have_attribute("data-state", "saved")
    page.route("**/api/**", lambda route: route.abort())
    page.reload()
    page.wait_for_selector("body[data-ready='true']")
    expect(page.locator("[data-testid='banner'][data-key='start']")).to_contain_text("cannot be reached")
    expect(page.get_by_test_id("project-name")).to_have_value("Works offline")
    expect(nodes(page)).to_have_count(4)
    node(page, "y").click()
    page.keyboard.press("Delete")
    expect(nodes(page)).to_have_count(3)
    expect(page.get_by_test_id("save-status")).to_have_attribute("data-state", "offline")
    page.unroute("**/api/**")
    expect(page.get_by_test_id("save-status")).to_have_attribute("data-state", "saved", timeout=15_000)
    page.reload()
    page.wait_for_selector("body[data-ready='true']")
    expect(page.get_by_test_id("project-name")).to_have_value("Works offline")
    expect(nodes(page)).to_have_count(3)
