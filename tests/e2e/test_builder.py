"""The visual builder in a real Chromium: drag, wire, live shapes and counts
compared with Keras, shape errors, refused cycles, undo, autosave."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import (
    drag_layer, new_project, node, nodes, open_editor, shape_text, start_wire, wait_summary, wire, wires,
)

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def keras():
    return pytest.importorskip("keras")


def lambda_has(cls: str):
    """A regex matching a class attribute that contains ``cls``."""
    return re.compile(rf"(^|\s){re.escape(cls)}(\s|$)")


def build_three(page, input_shape="3"):
    """Input -> Dense -> Dense, dragged from the palette and wired by mouse."""
    drag_layer(page, "Input", 160, 80)
    expect(node(page, "input_1")).to_be_visible()
    page.get_by_test_id("param-shape").fill(input_shape)
    drag_layer(page, "Dense", 440, 230)
    drag_layer(page, "Dense", 160, 400)
    expect(nodes(page)).to_have_count(3)
    wire(page, "input_1", "dense_1")
    wire(page, "dense_1", "dense_2")
    expect(wires(page)).to_have_count(2)
    wait_summary(page)


def expect_matches_keras(page, keras, units1, units2, features=3):
    inputs = keras.Input(shape=(features,))
    d1 = keras.layers.Dense(units1)
    d2 = keras.layers.Dense(units2)
    out1 = d1(inputs)
    out2 = d2(out1)
    model = keras.Model(inputs, out2)
    expect(node(page, "input_1").get_by_test_id("node-shape")).to_have_text(shape_text(tuple(inputs.shape)))
    expect(node(page, "dense_1").get_by_test_id("node-shape")).to_have_text(shape_text(tuple(out1.shape)))
    expect(node(page, "dense_2").get_by_test_id("node-shape")).to_have_text(shape_text(tuple(out2.shape)))
    expect(node(page, "dense_1").get_by_test_id("node-params")).to_have_attribute("data-params", str(d1.count_params()))
    expect(node(page, "dense_2").get_by_test_id("node-params")).to_have_attribute("data-params", str(d2.count_params()))
    expect(page.get_by_test_id("total-params")).to_have_attribute("data-value", str(model.count_params()))
    expect(page.get_by_test_id("total-params")).to_have_text(f"{model.count_params():,}")


def test_drag_wire_and_counts_match_keras(page, keras):
    open_editor(page)
    new_project(page, "blank", "Dragged MLP")
    build_three(page)
    expect(page.get_by_test_id("model-kind")).to_have_text("Sequential")
    # The catalog's example for a fresh Dense is 32 units.
    expect_matches_keras(page, keras, 32, 32)

    # Change units in the inspector: the counts follow.
    node(page, "dense_2").click()
    units = page.get_by_test_id("param-units")
    units.fill("10")
    wait_summary(page)
    expect_matches_keras(page, keras, 32, 10)

    # An invalid value is flagged as typed and not applied.
    units.fill("-4")
    expect(page.get_by_test_id("param-error-units")).to_contain_text("must be at least 1")
    expect(units).to_have_attribute("aria-invalid", "true")
    expect(node(page, "dense_2").get_by_test_id("node-params")).to_have_attribute("data-params", str(32 * 10 + 10))
    units.fill("7")
    expect(page.get_by_test_id("param-error-units")).to_be_hidden()
    wait_summary(page)
    expect_matches_keras(page, keras, 32, 7)


def test_shape_error_shows_on_the_node(page):
    open_editor(page)
    new_project(page, "blank", "Shape error")
    drag_layer(page, "Input", 160, 80)
    drag_layer(page, "Dense", 440, 230)
    drag_layer(page, "Conv2D", 160, 400)
    wire(page, "input_1", "dense_1")
    wire(page, "dense_1", "conv2d_1")
    wait_summary(page)
    conv = node(page, "conv2d_1")
    expect(conv).to_have_class(lambda_has("has-error"))
    error = conv.get_by_test_id("node-error")
    expect(error).to_be_visible()
    expect(error).to_contain_text("ndim")
    expect(error).to_contain_text("Hint:")
    row = page.locator("[data-testid='summary-row'][data-node-id='conv2d_1']")
    expect(row).to_have_class(lambda_has("error"))
    expect(page.locator("[data-testid='summary-error'][data-node-id='conv2d_1']")).to_contain_text("Hint:")
    # The Dense before it is fine.
    expect(node(page, "dense_1")).not_to_have_class(lambda_has("has-error"))


def test_cycle_is_refused_while_drawing(page):
    open_editor(page)
    new_project(page, "blank", "No cycles")
    build_three(page)
    start_wire(page, "dense_2", "dense_1")
    expect(node(page, "dense_1")).to_have_class(lambda_has("drop-refused"))
    expect(page.get_by_test_id("wire-temp")).to_have_class(lambda_has("refused"))
    page.mouse.up()
    expect(page.get_by_test_id("toast")).to_contain_text("cycle")
    expect(wires(page)).to_have_count(2)
    # A wire into itself is refused too.
    start_wire(page, "dense_1", "dense_1")
    page.mouse.up()
    expect(wires(page)).to_have_count(2)


def test_undo_redo_and_autosave_survive_reload(page):
    open_editor(page)
    new_project(page, "blank", "Autosaved")
    build_three(page)
    node(page, "dense_2").click()
    page.keyboard.press("Delete")
    expect(nodes(page)).to_have_count(2)
    page.get_by_test_id("canvas").click(position={"x": 40, "y": 40})  # focus the canvas, clear selection
    page.keyboard.press("Control+z")
    expect(nodes(page)).to_have_count(3)
    expect(wires(page)).to_have_count(2)
    page.keyboard.press("Control+Shift+z")
    expect(nodes(page)).to_have_count(2)
    page.get_by_test_id("undo").click()
    expect(nodes(page)).to_have_count(3)

    node(page, "dense_1").click()
    page.get_by_test_id("param-units").fill("64")
    wait_summary(page)
    expect(page.get_by_test_id("save-status")).to_have_attribute("data-state", "saved")
    page.reload()
    page.wait_for_selector("body[data-ready='true']")
    expect(page.get_by_test_id("project-name")).to_have_value("Autosaved")
    expect(nodes(page)).to_have_count(3)
    expect(wires(page)).to_have_count(2)
    wait_summary(page)
    expect(node(page, "dense_1").get_by_test_id("node-shape")).to_have_text("(None, 64)")
