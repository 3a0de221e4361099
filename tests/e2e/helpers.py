"""Steps the browser tests share: open the editor, make a project, drag a layer
from the palette, draw a wire, wait for the live summary."""

from __future__ import annotations

from playwright.sync_api import Locator, Page, expect


def open_editor(page: Page) -> None:
    page.goto("/")
    page.wait_for_selector("body[data-ready='true']")


def new_project(page: Page, template: str = "blank", name: str | None = None) -> None:
    page.get_by_test_id("new-project").click()
    dialog = page.get_by_test_id("new-dialog")
    dialog.get_by_test_id(f"template-{template}").click()
    if name is not None:
        dialog.get_by_test_id("new-project-name").fill(name)
    dialog.get_by_test_id("create-project").click()
    expect(dialog).to_be_hidden()
    if name is not None:
        expect(page.get_by_test_id("project-name")).to_have_value(name)
    if template == "blank":
        expect(page.get_by_test_id("canvas-empty")).to_be_visible()


def node(page: Page, node_id: str) -> Locator:
    return page.locator(f"[data-testid='node'][data-node-id='{node_id}']")


def nodes(page: Page) -> Locator:
    return page.get_by_test_id("node")


def wires(page: Page) -> Locator:
    return page.get_by_test_id("wire")


def drag_layer(page: Page, layer_type: str, x: float, y: float) -> None:
    """Drag a palette item onto the canvas, dropping at (x, y) inside the canvas."""
    item = page.locator(f"[data-testid='palette-item'][data-type='{layer_type}']")
    item.scroll_into_view_if_needed()
    item.drag_to(page.get_by_test_id("canvas"), target_position={"x": x, "y": y})


def center(locator: Locator) -> tuple[float, float]:
    box = locator.bounding_box()
    assert box is not None, "element is not visible"
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


def start_wire(page: Page, source: str, target: str, port: int = 0) -> None:
    """Press on source's output port and move over target's input port (no release)."""
    sx, sy = center(node(page, source).get_by_test_id("port-out"))
    tx, ty = center(node(page, target).locator(f"[data-testid='port-in'][data-port='{port}']"))
    page.mouse.move(sx, sy)
    page.mouse.down()
    page.mouse.move((sx + tx) / 2, (sy + ty) / 2, steps=4)
    page.mouse.move(tx, ty, steps=4)


def wire(page: Page, source: str, target: str, port: int = 0) -> None:
    start_wire(page, source, target, port)
    page.mouse.up()


def wait_summary(page: Page) -> None:
    """Wait until the live summary describes the graph on screen."""
    expect(page.get_by_test_id("summary-status")).to_have_attribute("data-state", "fresh")


def shape_text(shape: tuple) -> str:
    dims = ["None" if d is None else str(d) for d in shape]
    return f"({dims[0]},)" if len(dims) == 1 else f"({', '.join(dims)})"
