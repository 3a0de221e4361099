// The Results tab for the selected run: the predictions figures from the API
// (y-original vs y-predicted, the model's curve, confusion matrix, decision
// boundary), the model's test metrics next to the scikit-learn baseline's,
// the trained model.keras to download, and the canvas's model as Keras code.

import { h } from "../dom.js";
import { PlotView } from "./plot.js";
import { formatMetric, formatTime } from "./run-view.js";
import { isShown, onShown } from "./visibility.js";

const FIGURE_TITLES = {
  predictions: "Original vs predicted (test split)",
  curve: "The model's curve",
  decision_boundary: "Decision boundary",
  confusion_matrix: "Confusion matrix",
};
const FIGURE_ORDER = ["predictions", "curve", "decision_boundary", "confusion_matrix"];
const LOWER_IS_BETTER = new Set(["mse", "mae", "loss", "rmse"]);
const METRIC_LABELS = { mse: "mean squared error", mae: "mean absolute error", r2: "R²", accuracy: "accuracy" };

export class ResultsPanelView {
  /**
   * @param {HTMLElement} container
   * @param {{loadPredictions: (id) => Promise<object>, modelUrl: (id) => string,
   *          onExportCode: () => void, plotlyUrl?: string}} deps
   */
  constructor(container, deps) {
    this.root = container;
    this.deps = deps;
    container.classList.add("results-panel");
    this.runLine = h("p", { class: "muted", "data-testid": "results-run" });
    this.status = h("p", { class: "results-status", "data-testid": "results-status", role: "status" });
    this.verdict = h("p", { class: "verdict", "data-testid": "results-verdict", hidden: true });
    this.compare = h("table", { class: "data-table compare-table", "data-testid": "results-metrics", hidden: true });
    this.testMetrics = h("table", { class: "data-table", "data-testid": "test-metrics", hidden: true });
    this.figures = h("div", { class: "results-figures", "data-testid": "results-figures" });
    this.download = h("a", { class: "button-link", "data-testid": "download-model", download: "" }, "Download model.keras");
    this.download.hidden = true;
    this.exportBtn = h("button", { type: "button", "data-testid": "export-code", title: "Download the model on the canvas as a runnable Keras Python script (POST /api/graphs/code)", onclick: () => deps.onExportCode() }, "Export code (.py)");
    this.actions = h("div", { class: "button-row results-actions" }, this.download, this.exportBtn);
    container.append(
      h("h2", {}, "Results"),
      this.runLine, this.status,
      this.actions,
      this.verdict, this.figures, this.compare, this.testMetrics,
    );
    this._runId = null;
    this._loaded = null; // run id whose predictions are shown
    this._loading = null;
    this._plots = [];
    this._state = null;
    this.show(null);
    // Predictions (with their figures) are fetched when the tab is first looked at.
    onShown(container, () => this._state && this.show(this._state));
  }

  /** Show the selected run (a RunState or null); loads its predictions once it has completed. */
  show(state) {
    this._state = state;
    const changed = (state ? state.runId : null) !== this._runId;
    this._runId = state ? state.runId : null;
    if (changed) this._reset();
    if (!state) {
      this.runLine.textContent = "";
      this._status("No run selected. Train a model in the Train tab, or open a past run there.", "empty");
      return;
    }
    const run = state.run;
    this.runLine.textContent = `Run ${state.runId.slice(0, 8)}${run ? ` · ${run.dataset_id}` : ""}${run ? ` · ${formatTime(run.created_at)}` : ""} · ${state.status}`;
    this._testMetrics(state.finalMetrics);
    if (state.status === "completed") {
      this.download.href = this.deps.modelUrl(state.runId);
      this.download.setAttribute("download", `model-${state.runId.slice(0, 8)}.keras`);
      this.download.hidden = false;
      if (this._loaded !== state.runId && this._loading !== state.runId) {
        if (isShown(this.root)) this._load(state.runId);
        else this._status("The predictions load when this tab is opened.", "waiting");
      }
    } else if (state.active) {
      this._status(`${state.describe()}. The results appear here when training completes.`, "waiting");
    } else {
      const why = state.error ? `: ${state.error.replace(/\.?\s*$/, ".")}` : ".";
      const ended = { failed: "failed", cancelled: "was cancelled", interrupted: "was interrupted" }[state.status] || `ended ${state.status}`;
      this._status(`This run ${ended}${why} It has no predictions.`, "none");
    }
  }

  _reset() {
    for (const plot of this._plots) plot.clear();
    this._plots = [];
    this.figures.replaceChildren();
    this.compare.hidden = true;
    this.verdict.hidden = true;
    this.testMetrics.hidden = true;
    this.download.hidden = true;
    this._loaded = null;
  }

  _status(text, state) {
    this.status.textContent = text;
    this.status.dataset.state = state;
    this.status.hidden = !text;
  }

  async _load(runId) {
    this._loading = runId;
    this._status("Loading the predictions…", "loading");
    try {
      const result = await this.deps.loadPredictions(runId);
      if (runId !== this._runId) return;
      this._loaded = runId;
      this._status("", "ready");
      this._render(result);
    } catch (err) {
      if (runId === this._runId) this._status(`Could not load the predictions: ${err.message}`, "error");
    } finally {
      if (this._loading === runId) this._loading = null;
    }
  }

  _render(result) {
    this.root.dataset.task = result.task;
    this._compare(result);
    this._verdict(result);
    const figures = result.figures || (result.figure ? { predictions: result.figure } : {});
    const keys = Object.keys(figures).sort((a, b) => FIGURE_ORDER.indexOf(a) - FIGURE_ORDER.indexOf(b));
    this.figures.replaceChildren();
    for (const key of keys) {
      const box = h("figure", { class: "results-figure", "data-figure": key },
        h("figcaption", {}, FIGURE_TITLES[key] || key.replace(/_/g, " ")));
      this.figures.append(box);
      const plot = new PlotView(box, { height: key === "confusion_matrix" ? 380 : 340, url: this.deps.plotlyUrl, label: FIGURE_TITLES[key] || key, testid: `results-figure-${key}` });
      // The caption names the figure; a legend on top fits a narrow panel better than one on the right.
      const fig = figures[key] || {};
      const layout = { ...(fig.layout || {}), title: undefined, margin: { ...(fig.layout?.margin || {}), t: 40, r: 16 } };
      if (key !== "confusion_matrix") layout.legend = { orientation: "h", x: 0, y: 1.02, yanchor: "bottom" };
      plot.render(fig.data || [], layout);
      this._plots.push(plot);
    }
    if (result.truncated) this.figures.append(h("p", { class: "muted" }, `Showing the first points of ${result.n_test} test rows.`));
  }

  /** Model vs baselines, one row per metric; the best value of a row is marked. */
  _compare(result) {
    const columns = [{ name: "Your model", metrics: result.metrics || {} }];
    if (result.baseline) columns.push({ name: result.baseline.model, metrics: result.baseline.metrics || {} });
    const simple = result.mean_baseline || result.majority_baseline;
    if (simple) columns.push({ name: simple.model, metrics: simple.metrics || {} });
    const keys = Object.keys(result.metrics || {});
    this.compare.replaceChildren(
      h("caption", {}, `Test split (${result.n_test} rows; trained on ${result.n_train})`),
      h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "metric"), ...columns.map((c) => h("th", { scope: "col", class: "num" }, c.name)))),
      h("tbody", {}, ...keys.map((key) => {
        const values = columns.map((c) => c.metrics[key]);
        const finite = values.filter((v) => typeof v === "number");
        const best = finite.length ? (LOWER_IS_BETTER.has(key) ? Math.min(...finite) : Math.max(...finite)) : null;
        return h("tr", { "data-metric": key },
          h("th", { scope: "row", title: LOWER_IS_BETTER.has(key) ? "lower is better" : "higher is better" }, `${METRIC_LABELS[key] || key} ${LOWER_IS_BETTER.has(key) ? "↓" : "↑"}`),
          ...values.map((v, i) => h("td", { class: `num${v === best && best !== null ? " best" : ""}`, "data-value": v ?? "", "data-column": i === 0 ? "model" : "baseline" }, formatMetric(v))));
      })));
    this.compare.hidden = keys.length === 0;
  }

  _verdict(result) {
    const base = result.baseline?.model || "the baseline";
    let text = null;
    if (result.beats_baseline === true) text = `Your model does better than ${base} on the test split.`;
    else if (result.beats_baseline === false) {
      text = `${base} does at least as well as your model on the test split.` +
        (result.task === "regression" ? " A straight line may be all this data needs, or the model needs more epochs." : " Try more epochs, more units or a different learning rate.");
    }
    this.verdict.hidden = !text;
    this.verdict.textContent = text || "";
    this.verdict.dataset.beats = String(result.beats_baseline);
  }

  _testMetrics(final) {
    const rows = Object.entries(final || {}).filter(([k, v]) => k.startsWith("test_") && (typeof v === "number" || v === null));
    this.testMetrics.hidden = rows.length === 0;
    if (!rows.length) return;
    this.testMetrics.replaceChildren(
      h("caption", {}, "Test metrics (Keras evaluate and scikit-learn scores)"),
      h("tbody", {}, ...rows.map(([k, v]) => h("tr", { "data-metric": k, "data-testid": "test-metric" },
        h("th", { scope: "row" }, k), h("td", { class: "num", "data-value": v ?? "" }, formatMetric(v))))));
  }
}
