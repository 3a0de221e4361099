// A table like Keras's model.summary(): layer, type, output shape, params,
// connected to; then totals and weight memory; then every error with its hint.

import { h } from "../dom.js";
import { formatBytes, formatCount, formatShapes } from "../format.js";

export class SummaryTableView {
  /** @param {HTMLElement} container @param {{graph, onSelect: (id: string) => void}} deps */
  constructor(container, { graph, onSelect }) {
    this.root = container;
    this.graph = graph;
    this.onSelect = onSelect;
    container.classList.add("summary");
    this.status = h("span", { class: "summary-status", "data-testid": "summary-status", "data-state": "pending" }, "Computing…");
    this.kind = h("span", { class: "kind-badge", "data-testid": "summary-kind" });
    this.table = h("table", { class: "summary-table", "data-testid": "summary-table" });
    this.totals = h("div", { class: "summary-totals", "data-testid": "summary-totals" });
    this.errors = h("ul", { class: "summary-errors", "data-testid": "summary-errors" });
    this.toggle = h("button", { type: "button", class: "summary-toggle", "aria-expanded": "true", "data-testid": "summary-toggle" }, "Hide table");
    this.toggle.addEventListener("click", () => {
      const collapsed = container.classList.toggle("collapsed");
      this.toggle.setAttribute("aria-expanded", String(!collapsed));
      this.toggle.textContent = collapsed ? "Show table" : "Hide table";
      window.dispatchEvent(new Event("resize"));
    });
    container.append(
      h("div", { class: "summary-head" }, h("h2", {}, "Model summary"), this.kind, this.status, this.toggle),
      h("div", { class: "summary-scroll" }, this.errors, this.table),
      this.totals,
    );
  }

  setState(state, message = "") {
    this.status.dataset.state = state;
    this.status.textContent = { pending: "Computing…", fresh: "Up to date", error: message || "Out of date" }[state] || state;
    this.status.title = message;
    this.root.classList.toggle("stale", state !== "fresh");
  }

  render(summary) {
    if (!summary) return;
    const graph = this.graph;
    const empty = Object.keys(summary.nodes || {}).length === 0;
    this.kind.textContent = empty ? "Empty" : summary.kind === "sequential" ? "Sequential" : "Functional";
    this.kind.dataset.kind = empty ? "" : summary.kind;
    const head = h("thead", {}, h("tr", {},
      h("th", { scope: "col" }, "Layer"), h("th", { scope: "col" }, "Type"),
      h("th", { scope: "col" }, "Output shape"), h("th", { scope: "col", class: "num" }, "Param #"),
      summary.kind === "sequential" ? "" : h("th", { scope: "col" }, "Connected to")));
    const order = (summary.order || Object.keys(summary.nodes || {})).filter((id) => summary.nodes[id]);
    const rows = order.map((id) => {
      const info = summary.nodes[id];
      const node = graph.node(id);
      const inputs = node ? graph.inputsOf(id).map((e) => e.source).join(", ") : "";
      const row = h("tr", { "data-node-id": id, "data-testid": "summary-row", class: info.error ? "error" : info.warning ? "warning" : "", tabindex: "0" },
        h("td", {}, id),
        h("td", {}, node ? node.type : "?"),
        h("td", { "data-testid": "summary-shape" }, info.output_shapes ? formatShapes(info.output_shapes) : "—"),
        h("td", { class: "num", "data-testid": "summary-params" }, info.shared_with ? `shared (${info.shared_with})` : formatCount(info.params)),
        summary.kind === "sequential" ? "" : h("td", {}, inputs || "—"));
      const select = () => this.onSelect(id);
      row.addEventListener("click", select);
      row.addEventListener("keydown", (e) => e.key === "Enter" && select());
      const extra = [row];
      if (info.error || info.warning) {
        extra.push(h("tr", { class: `detail ${info.error ? "error" : "warning"}`, "data-testid": `summary-${info.error ? "error" : "warning"}`, "data-node-id": id },
          h("td", { colspan: summary.kind === "sequential" ? "4" : "5" },
            `${info.error || info.warning}${info.hint ? ` — Hint: ${info.hint}` : ""}`)));
      }
      return extra;
    });
    this.table.replaceChildren(head, h("tbody", {}, rows.flat()));

    const bytes = (n) => formatBytes(Math.round((summary.weight_bytes || 0) * (n / Math.max(summary.total_params || 1, 1))));
    this.totals.replaceChildren(
      h("div", {}, "Total params: ", h("strong", { "data-testid": "total-params", "data-value": String(summary.total_params) }, formatCount(summary.total_params)),
        h("span", { class: "muted" }, ` (${formatBytes(summary.weight_bytes || 0)})`)),
      h("div", {}, "Trainable params: ", h("strong", { "data-testid": "trainable-params" }, formatCount(summary.trainable_params)),
        h("span", { class: "muted" }, ` (${bytes(summary.trainable_params)})`)),
      h("div", {}, "Non-trainable params: ", h("strong", { "data-testid": "non-trainable-params" }, formatCount(summary.non_trainable_params)),
        h("span", { class: "muted" }, ` (${bytes(summary.non_trainable_params)})`)),
      h("div", {}, "Weight memory: ", h("strong", { "data-testid": "weight-memory" }, formatBytes(summary.weight_bytes || 0))),
    );

    // Problems of a layer sit under its row; this list holds those of the whole model.
    const listed = (issue) => !issue.node || !summary.nodes[issue.node];
    const issues = [
      ...(summary.errors || []).filter(listed).map((e) => ({ ...e, level: "error" })),
      ...(summary.warnings || []).filter(listed).map((w) => ({ ...w, level: "warning" })),
    ];
    this.errors.replaceChildren(...issues.map((issue) => {
      const item = h("li", { class: issue.level, "data-testid": `summary-${issue.level}` },
        h("strong", {}, issue.node || "Model"),
        `: ${issue.message}`,
        issue.hint ? h("span", { class: "hint" }, ` Hint: ${issue.hint}`) : "");
      return item;
    }));
    this.errors.hidden = issues.length === 0;
  }
}
