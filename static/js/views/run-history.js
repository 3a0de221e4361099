// The project's past runs (GET /api/runs?project_id=…), newest first; a
// button per run reopens it (curves, metrics and results).

import { h } from "../dom.js";
import { formatMetric, formatTime } from "./run-view.js";

export class RunHistoryView {
  /** @param {HTMLElement} container @param {{onOpen: (run) => void, onRefresh: () => void}} deps */
  constructor(container, { onOpen, onRefresh }) {
    this.root = container;
    this.onOpen = onOpen;
    this.list = h("ol", { class: "run-list", "data-testid": "run-history" });
    this.note = h("p", { class: "muted", "data-testid": "run-history-note" });
    container.append(
      h("div", { class: "section-head" }, h("h3", {}, "Runs of this project"),
        h("button", { type: "button", class: "small", "data-testid": "run-history-refresh", onclick: onRefresh }, "Refresh")),
      this.note, this.list);
    this.selected = null;
    this.runs = [];
  }

  setRuns(runs, selectedId = this.selected) {
    this.runs = runs;
    this.selected = selectedId;
    this.note.textContent = runs.length ? "" : "No runs yet.";
    this.list.replaceChildren(...runs.map((run) => this._row(run)));
  }

  setError(message) {
    this.note.textContent = message;
  }

  select(id) {
    this.selected = id;
    for (const button of this.list.querySelectorAll("button[data-run-id]")) {
      button.setAttribute("aria-current", String(button.dataset.runId === id));
    }
  }

  _row(run) {
    const m = run.final_metrics || {};
    const loss = m.test_loss ?? m.loss;
    const epochs = m.epochs_run !== undefined ? `${m.epochs_run} epoch${m.epochs_run === 1 ? "" : "s"}` : "";
    const details = [run.dataset_id, epochs, loss !== undefined ? `loss ${formatMetric(loss)}` : "", formatTime(run.created_at)].filter(Boolean).join(" · ");
    return h("li", {},
      h("button", {
        type: "button", class: "run-row", "data-run-id": run.id, "data-testid": "run-row", "data-status": run.status,
        "aria-current": String(run.id === this.selected), onclick: () => this.onOpen(run),
      },
      h("span", { class: "status-badge", "data-status": run.status }, run.status === "queued" && run.queue_position ? `queued #${run.queue_position}` : run.status),
      h("span", { class: "run-row-text" }, details)));
  }
}
