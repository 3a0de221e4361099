"""Training in the browser: pick the tutorial's data in the Data tab, train in
the Train tab while the loss curve grows one point per epoch, read the results
(figure, test metrics, baseline) in the Results tab, and see a compile-check
failure explained in the Train panel."""

from __future__ import annotations

import re
import uuid
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Page, expect

from tests.e2e.helpers import new_project, open_editor, wait_summary

pytestmark = pytest.mark.e2e

EPOCHS = 5

# Records every value the chart's data-points attribute takes (what is plotted).
RECORD_POINTS = """() => {
  const chart = document.querySelector("[data-testid='run-chart']");
  window.__points = [chart.dataset.points];
  new MutationObserver(() => window.__points.push(chart.dataset.points))
    .observe(chart, { attributes: true, attributeFilter: ["data-points"] });
}"""


def project_id(page: Page) -> str:
    page.wait_for_function("() => window.neuralCanvas.store.current && window.neuralCanvas.store.current.id")
    return page.evaluate("() => window.neuralCanvas.store.current.id")


def choose_dataset(page: Page, dataset_id: str) -> None:
    page.get_by_test_id("tab-data").click()
    page.get_by_test_id("dataset-select").select_option(dataset_id)
    expect(page.get_by_test_id("data-preview")).to_have_attribute("data-dataset-id", dataset_id)


def test_train_tutorial_regression_live_curve_and_results(page, live_server):
    open_editor(page)
    new_project(page, "tutorial_mlp", f"Train {uuid.uuid4().hex[:6]}")
    wait_summary(page)
    pid = project_id(page)

    choose_dataset(page, "tutorial_regression")
    expect(page.get_by_test_id("data-match")).to_have_attribute("data-level", "ok")
    expect(page.get_by_test_id("preview-rows")).to_have_text("150")
    expect(page.get_by_test_id("preview-input-shape")).to_have_text("(3,)")
    expect(page.get_by_test_id("preview-figure").locator(".main-svg").first).to_be_visible()
    expect(page.get_by_test_id("preview-head").locator("tbody tr")).to_have_count(10)

    page.get_by_test_id("tab-train").click()
    expect(page.get_by_test_id("compile-loss")).to_have_value("mean_squared_error")
    expect(page.get_by_test_id("metric-mean_absolute_error")).to_be_checked()
    page.get_by_test_id("fit-epochs").fill(str(EPOCHS))
    page.get_by_test_id("fit-batch-size").fill("4")
    page.evaluate(RECORD_POINTS)
    page.get_by_test_id("train-button").click()

    status = page.get_by_test_id("run-status")
    expect(status).to_have_attribute("data-status", "completed", timeout=60_000)
    chart = page.get_by_test_id("run-chart")
    expect(chart).to_have_attribute("data-points", str(EPOCHS))
    points = [int(p) for p in page.evaluate("() => window.__points")]
    assert points == sorted(points), points  # the curve only grows
    assert points[-1] == EPOCHS
    assert any(0 < p < EPOCHS for p in points), f"no intermediate redraw: {points}"
    # Each plotted trace (loss, val_loss, mae, val_mae) has one point per epoch.
    lengths = page.evaluate("() => document.querySelector(\"[data-testid='loss-chart']\").data.map((t) => t.x.length)")
    assert lengths and all(n == EPOCHS for n in lengths), lengths

    run_id = page.locator(".run-view").get_attribute("data-run-id")
    run = httpx.get(f"{live_server.url}/api/runs/{run_id}", timeout=10).json()
    assert run["status"] == "completed" and run["project_id"] == pid
    assert run["request"]["fit"]["epochs"] == EPOCHS and run["request"]["fit"]["batch_size"] == 4
    final = run["final_metrics"]
    shown = page.locator("[data-testid='final-metric'][data-metric='loss'] td")
    assert float(shown.get_attribute("data-value")) == pytest.approx(final["loss"], rel=1e-9)
    expect(page.locator(f"[data-testid='run-row'][data-run-id='{run_id}']")).to_have_attribute("data-status", "completed")

    page.get_by_test_id("see-results").click()
    expect(page.get_by_test_id("panel-results")).to_be_visible()
    expect(page.get_by_test_id("results-figure-predictions").locator(".main-svg").first).to_be_visible()
    names = page.evaluate("() => document.querySelector(\"[data-testid='results-figure-predictions']\").data.map((t) => t.name)")
    assert "y-original" in names and "y-predicted" in names
    compare = page.get_by_test_id("results-metrics")
    expect(compare.locator("tr[data-metric='mse'] td")).to_have_count(3)  # model, LinearRegression, mean
    model_mse = compare.locator("tr[data-metric='mse'] td[data-column='model']").get_attribute("data-value")
    assert float(model_mse) == pytest.approx(final["test_mse"], rel=1e-9)
    test_loss = page.locator("[data-testid='test-metric'][data-metric='test_loss'] td").get_attribute("data-value")
    assert float(test_loss) == pytest.approx(final["test_loss"], rel=1e-9)
    download = page.get_by_test_id("download-model")
    expect(download).to_have_attribute("href", f"/api/runs/{run_id}/model.keras")
    assert httpx.get(f"{live_server.url}/api/runs/{run_id}/model.keras", timeout=10).status_code == 200

    # The model on the canvas as runnable Keras code.
    with page.expect_download() as download_info:
        page.get_by_test_id("export-code").click()
    script = Path(download_info.value.path()).read_text()
    assert "import keras" in script and "layers.Dense(units=128" in script


def test_compile_check_failure_is_shown_in_train_panel(page, console, live_server):
    console.allow_failed_requests = True  # the refused POST /api/runs (422) is logged by Chromium
    open_editor(page)
    new_project(page, "tutorial_mlp", f"Mismatch {uuid.uuid4().hex[:6]}")
    wait_summary(page)
    pid = project_id(page)

    choose_dataset(page, "iris")
    match = page.get_by_test_id("data-match")
    expect(match).to_have_attribute("data-level", "error")
    expect(match).to_contain_text("(4,)")

    page.get_by_test_id("tab-train").click()
    expect(page.get_by_test_id("train-match")).to_be_visible()
    expect(page.get_by_test_id("compile-loss")).to_have_value("sparse_categorical_crossentropy")
    page.get_by_test_id("fit-epochs").fill("2")
    page.get_by_test_id("train-button").click()

    error = page.get_by_test_id("train-error")
    expect(error).to_be_visible()
    expect(error).to_contain_text("Input 'x' expects samples shaped (3,)")
    expect(error).to_contain_text("Set the shape of 'x' to [4]")
    expect(page.get_by_test_id("train-button")).to_be_enabled()
    assert httpx.get(f"{live_server.url}/api/runs", params={"project_id": pid}, timeout=10).json() == []

    # The error leads to the layer at fault.
    page.get_by_test_id("train-error-show").click()
    expect(page.get_by_test_id("tab-inspector")).to_have_attribute("aria-selected", "true")
    expect(page.locator("[data-testid='node'][data-node-id='x']")).to_have_class(re.compile(r"\bselected\b"))
