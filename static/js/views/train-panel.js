// The Train tab: which data the run uses, Train and Cancel, the selected
// run's status, curves and metrics, a refused request's reasons, the compile
// and fit settings, and the project's run history.

import { h } from "../dom.js";
import { CompileFormView } from "./compile-form.js";
import { RunHistoryView } from "./run-history.js";
import { RunView } from "./run-view.js";

export class TrainPanelView {
  /**
   * @param {HTMLElement} container
   * @param {{onTrain, onCancel, onShowData, onShowResults, onShowNode, onOpenRun, onReuse, onRefreshRuns, onSettings,
   *          limits?: object, plotlyUrl?: string}} deps
   */
  constructor(container, deps) {
    this.root = container;
    this.deps = deps;
    container.classList.add("train-panel");
    this.dataLine = h("span", { class: "train-dataset-text", "data-testid": "train-dataset" }, "No dataset yet.");
    this.matchLine = h("p", { class: "train-match warning-box", "data-testid": "train-match", hidden: true });
    this.trainBtn = h("button", { type: "button", class: "primary big", "data-testid": "train-button", onclick: () => deps.onTrain() }, "Train");
    this.cancelBtn = h("button", { type: "button", class: "danger", "data-testid": "cancel-button", disabled: true, onclick: () => deps.onCancel() }, "Cancel");
    this.resultsBtn = h("button", { type: "button", "data-testid": "see-results", hidden: true, onclick: () => deps.onShowResults() }, "See results →");
    this.reuseBtn = h("button", { type: "button", "data-testid": "reuse-settings", hidden: true, title: "Load this run's dataset and settings into the forms", onclick: () => deps.onReuse() }, "Use its settings");
    this.requestError = h("div", { class: "error-box request-error", "data-testid": "train-error", role: "alert", hidden: true });
    const runBox = h("section", { class: "run-box", "aria-label": "Current run" });
    this.run = new RunView(runBox, { plotlyUrl: deps.plotlyUrl });
    const formBox = h("div");
    this.form = new CompileFormView(formBox, { onChange: () => deps.onSettings(), limits: deps.limits || {} });
    const historyBox = h("section", { class: "history-box", "aria-label": "Run history" });
    this.history = new RunHistoryView(historyBox, { onOpen: (run) => deps.onOpenRun(run), onRefresh: () => deps.onRefreshRuns() });

    container.append(
      h("h2", {}, "Train"),
      h("p", { class: "train-dataset" }, this.dataLine, " ",
        h("button", { type: "button", class: "link", "data-testid": "train-change-data", onclick: () => deps.onShowData() }, "Change")),
      this.matchLine,
      h("div", { class: "button-row train-actions" }, this.trainBtn, this.cancelBtn, this.resultsBtn, this.reuseBtn),
      this.requestError,
      runBox,
      h("details", { class: "settings-box", open: true, "data-testid": "train-settings" }, h("summary", {}, "Settings"), formBox),
      historyBox,
    );
  }

  setDataset(dataset, params) {
    if (!dataset) {
      this.dataLine.textContent = "No dataset yet.";
      return;
    }
    const p = params && Object.keys(params).length ? ` (${Object.entries(params).map(([k, v]) => `${k}=${v}`).join(", ")})` : "";
    this.dataLine.textContent = `Dataset: ${dataset.name}${p} · ${dataset.task}`;
  }

  /** The Data tab's fit check, repeated here when it is a problem. */
  setMatch(result) {
    const problem = result && result.level === "error";
    this.matchLine.hidden = !problem;
    if (problem) this.matchLine.textContent = `${result.message} ${result.hint}`.trim();
  }

  /** Buttons for the selected run's state. `busy`: a request is in flight. */
  setControls({ active = false, busy = false, completed = false, reusable = false } = {}) {
    this.trainBtn.disabled = active || busy;
    this.trainBtn.textContent = busy ? "Starting…" : active ? "Training…" : "Train";
    this.cancelBtn.disabled = !active;
    this.resultsBtn.hidden = !completed;
    this.reuseBtn.hidden = !reusable || active;
  }

  /** A refused request: the message, every compile-check problem, and a way to the layer at fault. */
  showRequestError(err) {
    const issues = (err.errors || []).filter((e) => e.level !== "warning");
    const node = err.node || issues.find((i) => i.node)?.node;
    const items = issues.length > 1
      ? h("ul", {}, ...issues.map((i) => h("li", {}, i.message, i.hint ? ` ${i.hint}` : "")))
      : "";
    const field = err.field ? h("p", { class: "muted" }, `Field: ${err.field}`) : "";
    const show = node ? h("button", { type: "button", class: "link", "data-testid": "train-error-show", onclick: () => this.deps.onShowNode(node) }, `Select layer '${node}'`) : "";
    const title = err.status === 422 ? "The run was not started:" : "Could not start the run:";
    this.requestError.replaceChildren(h("strong", {}, title), " ", h("span", { "data-testid": "train-error-message" }, err.message), items, field, show);
    this.requestError.hidden = false;
  }

  showMessage(message) {
    this.requestError.replaceChildren(h("span", { "data-testid": "train-error-message" }, message));
    this.requestError.hidden = false;
  }

  clearRequestError() {
    this.requestError.hidden = true;
    this.requestError.replaceChildren();
  }
}
