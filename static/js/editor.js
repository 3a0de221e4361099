// The editor: one graph, its selection and history, shown by the canvas,
// sequential list, inspector and summary table. Everything a user does goes
// through the actions here; projects.js persists the result.

import { Graph } from "./model/graph.js";
import { History } from "./model/history.js";
import { Selection } from "./model/selection.js";
import { fromContract, toContract } from "./model/serialize.js";
import { layeredLayout } from "./layout.js";
import { LiveSummary } from "./live-summary.js";
import { CanvasView } from "./views/canvas.js";
import { InspectorView } from "./views/inspector.js";
import { MinimapView } from "./views/minimap.js";
import { PaletteView } from "./views/palette.js";
import { SequentialView } from "./views/sequential.js";
import { SummaryTableView } from "./views/summary-table.js";
import { CanvasToolbar } from "./views/canvas-toolbar.js";

export class Editor {
  /**
   * @param {{catalog, api, notices, config, el: Record<string, HTMLElement>,
   *          onEdit: (graph: object) => void, onKind: (kind: string) => void,
   *          onHistory: (canUndo: boolean, canRedo: boolean) => void, onView: (mode: string) => void}} deps
   */
  constructor(deps) {
    this.deps = deps;
    const { catalog, api, notices, el, config } = deps;
    this.catalog = catalog;
    this.notices = notices;
    this.graph = new Graph(catalog);
    this.selection = new Selection();
    this.history = new History();
    this.summary = new LiveSummary(api);
    this.mode = "graph";
    this._snap = this._snapshot();
    this._quiet = 0; // >0 while loading: no history step, no autosave
    this._needsLayout = false;

    const notify = (message, kind) => notices.toast(message, kind);
    const actions = {
      remove: () => this.remove(),
      duplicate: () => this.duplicate(),
      showGraph: () => this.setView("graph"),
    };
    this.canvas = new CanvasView(el.canvas, {
      graph: this.graph, catalog, selection: this.selection, notify,
      onDropLayer: (type, pos) => this.addLayer(type, pos),
    });
    this.toolbar = new CanvasToolbar(el.toolbar, { canvas: this.canvas, onTidy: () => this.tidy() });
    this.minimap = new MinimapView(el.minimap, this.canvas);
    this.sequential = new SequentialView(el.sequential, { graph: this.graph, catalog, selection: this.selection, actions });
    this.inspector = new InspectorView(el.inspector, {
      graph: this.graph, catalog, selection: this.selection, actions, notify, maxDim: config.maxDim ?? null,
    });
    this.table = new SummaryTableView(el.summary, { graph: this.graph, onSelect: (id) => this.focusNode(id) });
    this.palette = new PaletteView(el.palette, { catalog, onAdd: (type) => this.addLayer(type) });

    this.graph.on("change", (change) => this._changed(change));
    this.summary.on("result", (summary) => this._applySummary(summary));
    this.summary.on("state", (state) => {
      this.table.setState(state, state === "error" ? "Could not update" : "");
      this.canvas.setStale(state !== "fresh");
    });
    this.summary.on("error", (err) => this._summaryFailed(err));
  }

  // ---- state -------------------------------------------------------------------------

  _snapshot() {
    const contract = toContract(this.graph);
    contract.name = "";
    return JSON.stringify(contract);
  }

  modelContract() {
    return toContract(this.graph, { withUi: false });
  }

  contract() {
    return toContract(this.graph);
  }

  _changed({ reason, coalesce }) {
    const snap = this._snapshot();
    if (!this._quiet && reason !== "history" && snap !== this._snap) this.history.record(this._snap, coalesce);
    this._snap = snap;
    this.selection.prune(this.graph);
    this.deps.onHistory(this.history.canUndo, this.history.canRedo);
    this.deps.onKind(this._kind(this.graph.chainOrder() ? "sequential" : "functional"));
    this.summary.schedule(this.modelContract());
    if (!this._quiet) this.deps.onEdit(this.contract());
  }

  _applySummary(summary) {
    this.notices.clear("summary");
    this.deps.onKind(this._kind(summary.kind));
    this.canvas.setSummary(summary, this.summary.state !== "fresh");
    this.inspector.setSummary(summary);
    this.sequential.setSummary(summary);
    this.table.render(summary);
    this.minimap.request();
  }

  /** An empty canvas is neither Sequential nor Functional yet. */
  _kind(kind) {
    return this.graph.nodes.size ? kind : null;
  }

  _summaryFailed(err) {
    if (err.offline || err.status >= 500) {
      this.notices.banner("summary", "The server cannot be reached, so shapes and parameter counts are out of date. Keep editing: they update when it is back.", { kind: "warning" });
    } else {
      this.notices.banner("summary", `The server could not check this model: ${err.message}`, { kind: "error" });
    }
  }

  /**
   * Replace the graph (open a project, restore a copy). Lays it out when
   * positions are missing. Returns true when it did a layout (worth saving).
   */
  load(parsed, name) {
    this._quiet += 1;
    try {
      this.graph.load({ name, nodes: parsed.nodes, edges: parsed.edges }, "load");
      this.selection.clear();
      this.canvas.setSummary(null, true);
      const laidOut = !parsed.placed && parsed.nodes.length > 0;
      this._needsLayout = false;
      if (laidOut) this.tidy({ fit: false });
      // A hidden canvas cannot measure its cards: lay out again when it is shown.
      if (laidOut && this.mode !== "graph") this._needsLayout = true;
      this.history.clear();
      this._snap = this._snapshot();
      this.deps.onHistory(false, false);
      // The canvas was just blanked: ask again even when the graph is unchanged.
      this.summary.schedule(this.modelContract(), { force: true });
      requestAnimationFrame(() => this.canvas.fit(null, { minZoom: 0.7 }));
      return laidOut;
    } finally {
      this._quiet -= 1;
    }
  }

  loadContract(data, name) {
    return this.load(fromContract(data), name);
  }

  setName(name) {
    this.graph.name = name;
  }

  // ---- actions ----------------------------------------------------------------------

  addLayer(type, pos = null) {
    if (!this.catalog.has(type)) return null;
    const params = this.catalog.example(type);
    const isInput = this.catalog.arity(type).max === 0;
    if (this.mode === "sequential") {
      const index = this.sequential.insertionIndex();
      if (index !== null) {
        const order = this.graph.chainOrder();
        let id;
        this.graph.batch("add", () => {
          id = this.graph.addNode(type, params, { x: 0, y: 0 });
          const next = order.slice();
          next.splice(isInput ? 0 : index, 0, id);
          this.graph.setChain(next, "add");
        });
        // Inserting after a row: the next layer goes after this new one, keeping order.
        if (!isInput && this.sequential.insertAfter) this.sequential.insertAfter = id;
        this._needsLayout = true;
        this.selection.set([id]);
        return id;
      }
    }
    const from = !pos && !isInput ? this.selection.single : null;
    const spot = pos || this.canvas.spotForNewNode(from);
    let id;
    this.graph.batch("add", () => {
      id = this.graph.addNode(type, params, spot);
      if (from) this.graph.connect(from, id);
    });
    this.selection.set([id]);
    requestAnimationFrame(() => this.canvas.reveal(id));
    return id;
  }

  remove() {
    const sel = this.selection;
    if (sel.edge) {
      this.graph.disconnect(sel.edge);
      return;
    }
    const ids = [...sel.nodes];
    if (!ids.length) return;
    const order = this.graph.chainOrder();
    if (this.mode === "sequential" && order) {
      const rest = order.filter((id) => !ids.includes(id));
      this.graph.batch("remove", () => {
        this.graph.removeNodes(ids);
        if (rest.length > 1) this.graph.setChain(rest, "remove");
      });
    } else {
      this.graph.removeNodes(ids);
    }
    this.canvas.root.focus({ preventScroll: true });
  }

  duplicate() {
    const ids = [...this.selection.nodes];
    if (!ids.length) return;
    const copies = this.graph.duplicate(ids);
    this.selection.set(copies);
  }

  selectAll() {
    this.selection.set([...this.graph.nodes.keys()]);
  }

  nudge(dx, dy) {
    const ids = [...this.selection.nodes];
    if (ids.length) this.graph.moveNodes(ids, dx, dy, "nudge");
  }

  undo() {
    this._restore(this.history.undo(this._snap));
  }

  redo() {
    this._restore(this.history.redo(this._snap));
  }

  _restore(snap) {
    if (!snap) return;
    const parsed = fromContract(JSON.parse(snap));
    this.graph.load({ name: this.graph.name, nodes: parsed.nodes, edges: parsed.edges }, "history");
  }

  /** Layered layout of the whole graph (the "Tidy" button). */
  tidy({ fit = true } = {}) {
    if (!this.graph.nodes.size) return;
    this.canvas.render();
    const nodes = [...this.graph.nodes.keys()].map((id) => ({ id, ...this.canvas.nodeSize(id) }));
    const positions = layeredLayout(nodes, this.graph.edges);
    this.graph.setPositions(positions, "layout");
    this._needsLayout = false;
    if (fit) requestAnimationFrame(() => this.canvas.fit(null, { minZoom: 0.7 }));
  }

  setView(mode) {
    this.mode = mode;
    const graphView = mode === "graph";
    this.deps.el.graphView.hidden = !graphView;
    this.deps.el.sequential.hidden = graphView;
    if (graphView) {
      this.canvas.render();
      if (this._needsLayout) this.tidy();
      else requestAnimationFrame(() => this.canvas.fit(null, { minZoom: 0.7 }));
    } else {
      this.sequential.render();
    }
    this.deps.onView(mode);
  }

  focusNode(id) {
    if (!this.graph.node(id)) return;
    this.selection.set([id]);
    if (this.mode === "graph") this.canvas.reveal(id);
    const card = this.mode === "graph" ? this.canvas.cardFor(id) : this.deps.el.sequential.querySelector(`[data-node-id="${CSS.escape(id)}"]`);
    card?.focus({ preventScroll: true });
  }
}
