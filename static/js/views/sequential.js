// The same project as an ordered list, like keras.Sequential: append (from
// the palette), insert after a chosen layer, reorder (drag, or the arrow
// buttons / Alt+Arrow keys), remove. Only a single chain can be shown as a list.

import { h } from "../dom.js";
import { formatCount, formatShapes, formatValue } from "../format.js";

const ROW_MIME = "application/x-neuralcanvas-row";

export class SequentialView {
  /** @param {HTMLElement} container @param {{graph, catalog, selection, actions}} deps */
  constructor(container, deps) {
    this.root = container;
    this.deps = deps;
    this.graph = deps.graph;
    this.catalog = deps.catalog;
    this.selection = deps.selection;
    this.summary = null;
    this.insertAfter = null; // id the next palette layer goes after; null: append
    container.classList.add("sequential");
    container.setAttribute("data-testid", "sequential-view");
    this.graph.on("change", () => this.visible && this.render());
    this.selection.on("change", () => this.visible && this.render());
  }

  get visible() {
    return !this.root.hidden;
  }

  setSummary(summary) {
    this.summary = summary;
    if (this.visible) this.render();
  }

  /** Where a layer added from the palette goes: {index} in the chain, or null if not a chain. */
  insertionIndex() {
    const order = this.graph.chainOrder();
    if (!order) return null;
    const i = this.insertAfter ? order.indexOf(this.insertAfter) : -1;
    return i >= 0 ? i + 1 : order.length;
  }

  render() {
    const order = this.graph.chainOrder();
    if (order === null) {
      this.root.replaceChildren(h("div", { class: "sequential-note", "data-testid": "sequential-unavailable" },
        h("h2", {}, "This model is Functional"),
        h("p", {}, "It branches, merges, shares a layer or has several inputs, so it is not one ordered list of layers. " +
          "Edit it in the Graph view; the Sequential list comes back when the model is a single chain again."),
        h("button", { type: "button", onclick: () => this.deps.actions.showGraph() }, "Open the Graph view")));
      return;
    }
    if (this.insertAfter && !order.includes(this.insertAfter)) this.insertAfter = null;
    const infos = (this.summary && this.summary.nodes) || {};
    const rows = order.map((id, i) => this._row(id, i, order, infos[id]));
    const appendHint = h("li", { class: `seq-append${this.insertAfter === null ? " active" : ""}` },
      this.insertAfter === null
        ? "New layers from the palette are appended here."
        : h("button", { type: "button", class: "link", onclick: () => this._setInsert(null) }, "Append new layers at the end instead"));
    this.root.replaceChildren(
      h("div", { class: "sequential-head" }, h("h2", {}, "Sequential"),
        h("p", { class: "muted" }, "Layers run top to bottom. Drag rows (or use Alt+↑/↓) to reorder; pick a row's + to insert after it.")),
      h("ol", { class: "seq-list", "data-testid": "sequential-list" }, rows, appendHint));
  }

  _setInsert(id) {
    this.insertAfter = id;
    this.render();
  }

  _row(id, index, order, info) {
    const node = this.graph.node(id);
    const key = this.catalog.keyParams(node.type, node.params, 4).map(([n, v]) => `${n} ${formatValue(v)}`).join(" · ");
    const move = (delta) => {
      const to = index + delta;
      if (to < 0 || to >= order.length) return;
      const next = order.slice();
      [next[index], next[to]] = [next[to], next[index]];
      this.graph.setChain(next);
      requestAnimationFrame(() => this.root.querySelector(`[data-node-id="${CSS.escape(id)}"]`)?.focus());
    };
    const row = h("li", {
      class: `seq-row${this.selection.has(id) ? " selected" : ""}${info && info.error ? " has-error" : ""}${this.insertAfter === id ? " insert-here" : ""}`,
      draggable: "true",
      tabindex: "0",
      "data-node-id": id,
      "data-testid": "seq-row",
    },
    h("span", { class: "seq-grip", "aria-hidden": "true" }, "⋮⋮"),
    h("span", { class: "seq-index" }, String(index + 1)),
    h("span", { class: "seq-main" },
      h("strong", {}, node.type), h("span", { class: "muted" }, ` ${id}`),
      h("span", { class: "seq-params" }, key),
      info && info.error ? h("span", { class: "seq-error", role: "alert" }, `${info.error}${info.hint ? ` Hint: ${info.hint}` : ""}`) : ""),
    h("span", { class: "seq-shape" }, info && info.output_shapes ? formatShapes(info.output_shapes) : ""),
    h("span", { class: "seq-count" }, info ? formatCount(info.params) : ""),
    h("span", { class: "seq-actions" },
      h("button", { type: "button", title: "Move up", "aria-label": `Move ${id} up`, disabled: index === 0, onclick: (e) => { e.stopPropagation(); move(-1); } }, "↑"),
      h("button", { type: "button", title: "Move down", "aria-label": `Move ${id} down`, disabled: index === order.length - 1, onclick: (e) => { e.stopPropagation(); move(1); } }, "↓"),
      h("button", { type: "button", title: "Insert the next palette layer after this one", "aria-label": `Insert after ${id}`, "data-testid": "seq-insert", onclick: (e) => { e.stopPropagation(); this._setInsert(id); } }, "+"),
      h("button", { type: "button", class: "danger", title: "Remove", "aria-label": `Remove ${id}`, onclick: (e) => { e.stopPropagation(); this._remove(id, order); } }, "✕")));
    row.addEventListener("click", () => this.selection.set([id]));
    row.addEventListener("keydown", (e) => {
      if (e.target !== row) return;
      if (e.altKey && e.key === "ArrowUp") move(-1);
      else if (e.altKey && e.key === "ArrowDown") move(1);
      else if (e.key === "Enter") this.selection.set([id]);
      else return;
      e.preventDefault();
    });
    row.addEventListener("dragstart", (e) => {
      e.dataTransfer.setData(ROW_MIME, id);
      e.dataTransfer.effectAllowed = "move";
    });
    row.addEventListener("dragover", (e) => {
      if (![...e.dataTransfer.types].includes(ROW_MIME)) return;
      e.preventDefault();
      row.classList.add("drag-over");
    });
    row.addEventListener("dragleave", () => row.classList.remove("drag-over"));
    row.addEventListener("drop", (e) => {
      row.classList.remove("drag-over");
      const moved = e.dataTransfer.getData(ROW_MIME);
      if (!moved || moved === id) return;
      e.preventDefault();
      const next = order.filter((x) => x !== moved);
      next.splice(next.indexOf(id) + (order.indexOf(moved) < index ? 1 : 0), 0, moved);
      this.graph.setChain(next);
    });
    return row;
  }

  /** Remove a layer and reconnect its neighbours: one undo step. */
  _remove(id, order) {
    const rest = order.filter((x) => x !== id);
    this.graph.batch("remove", () => {
      this.graph.removeNodes([id]);
      if (rest.length > 1) this.graph.setChain(rest, "remove");
    });
  }
}
