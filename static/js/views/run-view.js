// One run on screen: status line (with queue position), batch progress, the
// live curves, the final metrics and any error or warning. Redrawn from a
// RunState (model/run-state.js).

import { h } from "../dom.js";
import { RunChartView } from "./run-chart.js";

export function formatMetric(v) {
  if (v === null || v === undefined) return "—";
  if (typeof v !== "number") return String(v);
  if (v === 0) return "0";
  const a = Math.abs(v);
  return a >= 1e5 || a < 1e-3 ? v.toExponential(3) : Number(v.toPrecision(5)).toString();
}

/** Server times are UTC; naive ISO strings get their "Z". */
export function formatTime(iso) {
  if (!iso) return "";
  const t = Date.parse(/[zZ]|[+-]\d\d:\d\d$/.test(iso) ? iso : `${iso}Z`);
  return Number.isFinite(t) ? new Date(t).toLocaleString() : "";
}

const LABELS = {
  loss: "loss (training)",
  val_loss: "val_loss (validation)",
  epochs_run: "epochs run",
  fit_seconds: "fit time (s)",
  samples_per_second: "samples / s",
  total_seconds: "total time (s)",
};

export class RunView {
  constructor(container, { plotlyUrl } = {}) {
    this.root = container;
    container.classList.add("run-view");
    this.title = h("div", { class: "run-title muted", "data-testid": "run-title" });
    this.status = h("p", { class: "run-status", "data-testid": "run-status", "data-status": "", role: "status", "aria-live": "polite" });
    this.bar = h("progress", { class: "run-progress", max: "1", value: "0", "data-testid": "run-progress", "aria-label": "Training progress" });
    this.barText = h("span", { class: "run-progress-text muted", "data-testid": "run-progress-text" });
    this.progress = h("div", { class: "run-progress-row", hidden: true }, this.bar, this.barText);
    this.error = h("div", { class: "run-error error-box", "data-testid": "run-error", role: "alert", hidden: true });
    this.warnings = h("div", { class: "warning-box", "data-testid": "run-warnings", hidden: true });
    const chartBox = h("div", { class: "chart-box" });
    this.chart = new RunChartView(chartBox, { url: plotlyUrl });
    this.metrics = h("table", { class: "data-table metrics-table", "data-testid": "final-metrics", hidden: true });
    container.append(this.title, this.status, this.progress, this.error, this.warnings, chartBox, this.metrics);
    this.show(null);
  }

  /** Draw a RunState (null: no run yet). */
  show(state) {
    if (!state) {
      this.title.textContent = "";
      this.status.textContent = "No run yet: pick a dataset, check the settings and press Train.";
      this.status.dataset.status = "";
      this.progress.hidden = true;
      this.metrics.hidden = true;
      this.warnings.hidden = true;
      this.chart.update(null);
      return;
    }
    this.root.dataset.runId = state.runId;
    const run = state.run;
    const when = run ? formatTime(run.created_at) : "";
    this.title.textContent = `Run ${state.runId.slice(0, 8)}${run ? ` · ${run.dataset_id}` : ""}${when ? ` · ${when}` : ""}`;
    this.status.textContent = state.describe();
    this.status.dataset.status = state.status;
    const fraction = state.progress();
    this.progress.hidden = fraction === null || (!state.active && state.status !== "completed");
    if (fraction !== null) {
      this.bar.value = fraction;
      this.bar.setAttribute("aria-valuetext", `${Math.round(fraction * 100)}%`);
      this.barText.textContent = `${Math.round(fraction * 100)}%${state.epochs ? ` · ${state.epochsDone}/${state.epochs} epochs` : ""}`;
    }
    this.error.hidden = !state.error;
    this.error.textContent = state.error || "";
    this._warnings(state.warnings);
    this.chart.update(state);
    this._metrics(state);
  }

  _warnings(list) {
    this.warnings.hidden = !list || !list.length;
    if (!list || !list.length) return;
    this.warnings.replaceChildren(...list.map((w) => h("p", {}, h("strong", {}, w.message), w.hint ? ` ${w.hint}` : "")));
  }

  _metrics(state) {
    const rows = state.metricRows();
    this.metrics.hidden = rows.length === 0;
    if (!rows.length) return;
    this.metrics.replaceChildren(
      h("caption", {}, state.status === "completed" ? "Final metrics" : "Last metrics"),
      h("tbody", {}, ...rows.map(([key, value]) => h("tr", { "data-metric": key, "data-testid": "final-metric" },
        h("th", { scope: "row" }, LABELS[key] || key),
        h("td", { class: "num", "data-value": value === null ? "" : String(value) }, formatMetric(value))))));
  }
}
