"""Building without a mouse, and the sequential list view of the same project."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import new_project, node, nodes, open_editor, wait_summary, wires

pytestmark = pytest.mark.e2e


def add_by_keyboard(page, query: str) -> None:
    page.keyboard.press("/")
    expect(page.get_by_test_id("palette-search")).to_be_focused()
    page.keyboard.type(query)
    page.keyboard.press("Enter")


def order(page) -> list[str]:
    return page.get_by_test_id("seq-row").evaluate_all("rows => rows.map((r) => r.dataset.nodeId)")


def test_keyboard_building_and_sequential_view(page):
    open_editor(page)
    new_project(page, "blank", "Keyboard")
    page.get_by_test_id("canvas").focus()
    add_by_keyboard(page, "Input")
    expect(node(page, "input_1")).to_be_visible()
    # Each new layer goes below the selected one and is wired from it.
    page.get_by_test_id("canvas").focus()
    add_by_keyboard(page, "Dense")
    page.get_by_test_id("canvas").focus()
    add_by_keyboard(page, "Dense")
    expect(nodes(page)).to_have_count(3)
    expect(wires(page)).to_have_count(2)
    wait_summary(page)
    expect(page.get_by_test_id("model-kind")).to_have_text("Sequential")

    # Wire from the inspector: dense_2 takes its input from input_1 instead.
    node(page, "dense_2").focus()
    page.get_by_test_id("input-port-0").select_option("input_1")
    expect(page.locator("[data-testid='wire'][data-target='dense_2']")).to_have_attribute("data-source", "input_1")
    expect(page.get_by_test_id("model-kind")).to_have_text("Functional")
    page.get_by_test_id("undo").click()
    expect(page.locator("[data-testid='wire'][data-target='dense_2']")).to_have_attribute("data-source", "dense_1")

    # The same project as a list: reorder, insert, remove.
    page.get_by_test_id("view-sequential").click()
    expect(page.get_by_test_id("sequential-list")).to_be_visible()
    assert order(page) == ["input_1", "dense_1", "dense_2"]
    page.get_by_role("button", name="Move dense_1 down").click()
    expect(page.get_by_test_id("seq-row").nth(1)).to_have_attribute("data-node-id", "dense_2")
    page.locator("[data-testid='seq-row'][data-node-id='input_1']").get_by_test_id("seq-insert").click()
    page.get_by_test_id("palette-search").fill("drop")
    page.locator("[data-testid='palette-item'][data-type='Dropout']").click()
    expect(page.get_by_test_id("seq-row")).to_have_count(4)
    assert order(page) == ["input_1", "dropout_1", "dense_2", "dense_1"]
    page.get_by_role("button", name="Remove dropout_1").click()
    expect(page.get_by_test_id("seq-row")).to_have_count(3)
    assert order(page) == ["input_1", "dense_2", "dense_1"]
    wait_summary(page)
    expect(page.get_by_test_id("model-kind")).to_have_text("Sequential")

    # Back on the canvas the wires follow the list; a branch makes it Functional.
    page.get_by_test_id("view-graph").click()
    expect(wires(page)).to_have_count(2)
    expect(page.locator("[data-testid='wire'][data-target='dense_1']")).to_have_attribute("data-source", "dense_2")
    node(page, "input_1").click()
    page.get_by_test_id("palette-search").fill("")
    page.locator("[data-testid='palette-item'][data-type='Dense']").click()
    wait_summary(page)
    expect(page.get_by_test_id("model-kind")).to_have_text("Functional")
    page.get_by_test_id("view-sequential").click()
    expect(page.get_by_test_id("sequential-unavailable")).to_be_visible()
