// Edits the selection: a layer's name, inputs (a keyboard way to wire),
// weight sharing and parameters; or a wire; or several layers at once.

import { h } from "../dom.js";
import { formatCount, formatShapes } from "../format.js";
import { categoryLabel } from "../model/catalog.js";
import { portTotal } from "./node-card.js";
import { paramField } from "./param-field.js";

const SHORTCUTS = [
  ["/", "search layers"],
  ["Enter", "add the focused layer"],
  ["Delete", "remove the selection"],
  ["Ctrl+D", "duplicate"],
  ["Ctrl+A", "select all"],
  ["Arrows", "move the selection"],
  ["Ctrl+Z / Ctrl+Shift+Z", "undo / redo"],
  ["F / L", "fit view / tidy layout"],
  ["+ / −", "zoom"],
  ["Shift+drag", "select an area"],
];

export class InspectorView {
  /** @param {HTMLElement} container @param {{graph, catalog, selection, actions, maxDim}} deps */
  constructor(container, deps) {
    this.root = container;
    this.deps = deps;
    this.graph = deps.graph;
    this.catalog = deps.catalog;
    this.selection = deps.selection;
    this.summary = null;
    this._key = null;
    this._fields = new Map();
    container.classList.add("inspector");
    container.setAttribute("data-testid", "inspector");
    this.graph.on("change", () => this.refresh());
    this.selection.on("change", () => this.refresh());
    this.refresh();
  }

  setSummary(summary) {
    this.summary = summary;
    this._renderInfo();
  }

  /** Rebuild when what is shown changes shape; otherwise update values in place. */
  refresh() {
    const sel = this.selection;
    const graph = this.graph;
    let key;
    if (sel.edge) key = `edge:${sel.edge}`;
    else if (sel.size > 1) key = `many:${[...sel.nodes].sort().join(",")}`;
    else if (sel.single && graph.node(sel.single)) {
      const n = graph.node(sel.single);
      const inputs = graph.inputsOf(n.id).map((e) => `${e.port}<${e.source}`).join(",");
      const peers = [...graph.nodes.values()].filter((m) => m.id !== n.id).map((m) => `${m.id}:${m.type}:${m.shares || ""}`).join(",");
      const wires = graph.edges.map((e) => `${e.source}>${e.target}`).join(",");
      key = `node:${n.id}:${n.type}:${n.shares}:${inputs}:${peers}:${wires}`;
    } else key = "none";
    if (key !== this._key) {
      this._key = key;
      this._build();
    } else if (sel.single) {
      const node = graph.node(sel.single);
      for (const [name, field] of this._fields) field.sync(node.params[name], name in node.params);
    }
    this._renderInfo();
  }

  _build() {
    const sel = this.selection;
    this._fields = new Map();
    this.info = null;
    if (sel.edge) return this._buildEdge(sel.edge);
    if (sel.size > 1) return this._buildMany();
    if (sel.single && this.graph.node(sel.single)) return this._buildNode(this.graph.node(sel.single));
    return this._buildEmpty();
  }

  _buildEmpty() {
    this.root.replaceChildren(
      h("h2", {}, "Inspector"),
      h("p", { class: "muted" }, "Select a layer on the canvas to edit its parameters."),
      h("h3", {}, "Keyboard"),
      h("dl", { class: "shortcuts" }, SHORTCUTS.flatMap(([k, v]) => [h("dt", {}, h("kbd", {}, k)), h("dd", {}, v)])),
    );
  }

  _buildMany() {
    const ids = [...this.selection.nodes];
    this.root.replaceChildren(
      h("h2", {}, `${ids.length} layers selected`),
      h("p", { class: "muted" }, ids.join(", ")),
      h("div", { class: "button-row" },
        h("button", { type: "button", onclick: () => this.deps.actions.duplicate() }, "Duplicate"),
        h("button", { type: "button", class: "danger", onclick: () => this.deps.actions.remove() }, "Delete")),
    );
  }

  _buildEdge(edgeId) {
    const edge = this.graph.edges.find((e) => e.id === edgeId);
    if (!edge) return this._buildEmpty();
    const target = this.graph.node(edge.target);
    this.root.replaceChildren(
      h("h2", {}, "Connection"),
      h("p", {}, `${edge.source} → ${edge.target}`, h("span", { class: "muted" }, ` (${this.catalog.portLabel(target.type, edge.port)})`)),
      h("div", { class: "button-row" },
        h("button", { type: "button", class: "danger", "data-testid": "delete-wire", onclick: () => this.deps.actions.remove() }, "Delete connection")),
    );
  }

  _buildNode(node) {
    const spec = this.catalog.get(node.type);
    const graph = this.graph;
    const parts = [];
    parts.push(h("div", { class: "inspector-title" },
      h("h2", {}, node.type),
      h("span", { class: "muted" }, spec ? categoryLabel(spec.category) : "not in the catalog")));
    if (spec && spec.doc) {
      parts.push(h("details", { class: "inspector-doc" }, h("summary", {}, `About ${node.type}`),
        ...spec.doc.trim().split(/\n\s*\n/).slice(0, 6).map((p) => h("p", {}, p.replace(/\s+/g, " ")))));
    }
    this.info = h("div", { class: "inspector-info", "data-testid": "inspector-info" });
    parts.push(this.info);

    // Name (the Keras layer name).
    const nameInput = h("input", { type: "text", value: node.id, "data-testid": "node-name", id: "inspector-node-name", autocomplete: "off", spellcheck: "false" });
    const nameError = h("div", { class: "param-error", hidden: true, role: "alert" });
    const rename = () => {
      const message = graph.renameNode(node.id, nameInput.value.trim());
      nameError.hidden = !message;
      nameError.textContent = message || "";
      nameInput.classList.toggle("invalid", Boolean(message));
      if (!message) this.selection.set([nameInput.value.trim()]);
    };
    nameInput.addEventListener("change", rename);
    nameInput.addEventListener("keydown", (e) => e.key === "Enter" && rename());
    parts.push(h("div", { class: "param" }, h("label", { for: "inspector-node-name", class: "param-name" }, "name"), nameInput, nameError));

    // Inputs: pick each port's source from a list (wiring without a mouse).
    const arity = this.catalog.arity(node.type);
    if (arity.max !== 0) {
      const inputs = graph.inputsOf(node.id);
      const total = portTotal(this.catalog, node, inputs);
      const rows = [];
      for (let port = 0; port < total; port += 1) {
        const wired = inputs.find((e) => e.port === port);
        const select = h("select", { "data-testid": `input-port-${port}`, "aria-label": `Input ${port + 1}` },
          h("option", { value: "" }, "— not connected —"),
          ...[...graph.nodes.values()].filter((m) => m.id !== node.id).map((m) => {
            const cycle = graph.wouldCycle(m.id, node.id) && !(wired && wired.source === m.id);
            return h("option", { value: m.id, disabled: cycle, selected: wired && wired.source === m.id },
              `${m.id} (${m.type})${cycle ? " — would make a cycle" : ""}`);
          }));
        select.addEventListener("change", () => {
          if (!select.value) {
            if (wired) graph.disconnect(wired.id);
          } else {
            const result = graph.connect(select.value, node.id, port);
            if (!result.ok) this.deps.notify(`Connection refused. ${result.reason}`, "error");
          }
        });
        rows.push(h("label", { class: "port-row" }, h("span", {}, this.catalog.portLabel(node.type, port)), select));
      }
      parts.push(h("fieldset", { class: "inspector-inputs" }, h("legend", {}, total > 1 ? "Inputs (in order)" : "Input"), rows));
    }

    // Weight sharing with another layer of the same type.
    const peers = [...graph.nodes.values()].filter((m) => m.id !== node.id && m.type === node.type && !m.shares);
    if (node.type !== "Input" && (peers.length || node.shares)) {
      const select = h("select", { "data-testid": "shares", "aria-label": "Share weights with" },
        h("option", { value: "" }, "its own weights"),
        ...peers.map((m) => h("option", { value: m.id, selected: node.shares === m.id }, `the weights of ${m.id}`)));
      select.addEventListener("change", () => graph.setShares(node.id, select.value || null));
      parts.push(h("label", { class: "param shares-row" }, h("span", { class: "param-name" }, "weights"), select));
    }

    // Parameters from the catalog.
    const params = h("fieldset", { class: "inspector-params", "data-testid": "param-form" },
      h("legend", {}, node.shares ? `Parameters (from ${node.shares})` : "Parameters"));
    const owner = node.shares ? graph.node(node.shares) : node;
    for (const pspec of spec ? spec.params : []) {
      const name = pspec.name;
      const key = `param:${node.id}:${name}`;
      const field = paramField(pspec, {
        value: owner.params[name],
        isSet: name in owner.params,
        disabled: Boolean(node.shares),
        maxDim: this.deps.maxDim,
        onCommit: (value) => graph.setParam(node.id, name, value, key),
        onUnset: () => graph.unsetParam(node.id, name, key),
      });
      this._fields.set(name, field);
      params.append(field.el);
    }
    if (!spec) params.append(h("p", { class: "error-text" }, `The server does not offer ${node.type}. Replace this layer.`));
    parts.push(params);
    parts.push(h("div", { class: "button-row" },
      h("button", { type: "button", onclick: () => this.deps.actions.duplicate() }, "Duplicate"),
      h("button", { type: "button", class: "danger", "data-testid": "delete-node", onclick: () => this.deps.actions.remove() }, "Delete")));
    this.root.replaceChildren(...parts);
  }

  _renderInfo() {
    if (!this.info || !this.selection.single) return;
    const info = this.summary && this.summary.nodes && this.summary.nodes[this.selection.single];
    if (!info) {
      this.info.replaceChildren(h("span", { class: "muted" }, "Computing shape…"));
      return;
    }
    const items = [
      h("div", {}, h("span", { class: "muted" }, "Output "), h("strong", {}, info.output_shapes ? formatShapes(info.output_shapes) : "—")),
      h("div", {}, h("span", { class: "muted" }, "Params "), h("strong", {}, info.shared_with ? `shared with ${info.shared_with}` : formatCount(info.params))),
    ];
    if (info.error) items.push(h("div", { class: "error-box" }, h("strong", {}, info.error), info.hint ? h("p", {}, `Hint: ${info.hint}`) : ""));
    else if (info.warning) items.push(h("div", { class: "warning-box" }, info.warning, info.hint ? h("p", {}, `Hint: ${info.hint}`) : ""));
    this.info.replaceChildren(...items);
  }
}
