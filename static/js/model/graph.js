// The graph being edited: nodes, wires, positions. Pure model, never touches
// the DOM (DESIGN.md style rule 9). Every mutation emits one "change" event
// with {reason, coalesce}; views and controllers listen and redraw.

import { Emitter } from "../events.js";

export const NODE_ID_RE = /^[A-Za-z0-9_.:\-]{1,64}$/;

/** Keras-style base name: "Conv2D" -> "conv2d", "MaxPooling2D" -> "max_pooling2d". */
export function baseId(type) {
  return String(type)
    .replace(/(\d)D(?=[A-Z]|$)/g, "$1d")
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1_$2")
    .toLowerCase()
    .replace(/[^a-z0-9_.:\-]/g, "_")
    .slice(0, 50) || "layer";
}

export class Graph extends Emitter {
  /** @param {import("./catalog.js").Catalog} catalog arity and port rules */
  constructor(catalog) {
    super();
    this.catalog = catalog;
    this.name = "";
    this.nodes = new Map(); // id -> {id, type, params, shares, x, y}
    this.edges = []; // {id, source, target, port}
    this._edgeSeq = 0;
    this._batch = null;
  }

  // ---- change notification -------------------------------------------------

  /** Run fn as one change (one event, one undo step). */
  batch(reason, fn, coalesce = null) {
    if (this._batch) return fn();
    this._batch = { reason, coalesce, changed: false };
    try {
      return fn();
    } finally {
      const done = this._batch;
      this._batch = null;
      if (done.changed) this.emit("change", { reason: done.reason, coalesce: done.coalesce });
    }
  }

  _changed(reason, coalesce = null) {
    if (this._batch) this._batch.changed = true;
    else this.emit("change", { reason, coalesce });
  }

  // ---- queries --------------------------------------------------------------

  node(id) {
    return this.nodes.get(id) || null;
  }

  freshId(type) {
    const base = baseId(type);
    let n = 1;
    while (this.nodes.has(`${base}_${n}`)) n += 1;
    return `${base}_${n}`;
  }

  /** Edges into `id`, sorted by port. */
  inputsOf(id) {
    return this.edges.filter((e) => e.target === id).sort((a, b) => a.port - b.port);
  }

  outputsOf(id) {
    return this.edges.filter((e) => e.source === id);
  }

  /** True when `from` can reach `to` following wires. */
  reaches(from, to) {
    const seen = new Set();
    const stack = [from];
    while (stack.length) {
      const id = stack.pop();
      if (id === to) return true;
      if (seen.has(id)) continue;
      seen.add(id);
      for (const e of this.edges) if (e.source === id) stack.push(e.target);
    }
    return false;
  }

  /** A wire source -> target would close a loop. */
  wouldCycle(source, target) {
    return source === target || this.reaches(target, source);
  }

  /** Ids in chain order when the graph is one path (a Sequential model), else null. */
  chainOrder() {
    if (this.nodes.size === 0) return [];
    if (this.edges.length !== this.nodes.size - 1) return null;
    if ([...this.nodes.values()].some((n) => n.shares)) return null;
    const starts = [...this.nodes.keys()].filter((id) => !this.edges.some((e) => e.target === id));
    if (starts.length !== 1) return null;
    const order = [starts[0]];
    const seen = new Set(order);
    let current = starts[0];
    for (;;) {
      const out = this.outputsOf(current);
      if (out.length === 0) break;
      if (out.length !== 1) return null;
      current = out[0].target;
      if (seen.has(current) || this.inputsOf(current).length !== 1) return null;
      seen.add(current);
      order.push(current);
    }
    return order.length === this.nodes.size ? order : null;
  }

  /** The first port of `target` a new wire may use, or null when full. */
  freePort(target) {
    const node = this.node(target);
    if (!node) return null;
    const used = new Set(this.inputsOf(target).map((e) => e.port));
    const count = this.catalog.portCount(node.type, used.size);
    for (let port = 0; port < count; port += 1) if (!used.has(port)) return port;
    return null;
  }

  /** Why source -> target (at port) cannot be drawn, or null when it can. */
  refuseReason(source, target) {
    if (!this.node(source) || !this.node(target)) return "That layer no longer exists.";
    if (source === target) return "A layer cannot feed itself.";
    if (this.wouldCycle(source, target)) {
      return `Connecting ${source} → ${target} would make a cycle: ${target} already feeds ${source}. A model must flow one way.`;
    }
    const { max } = this.catalog.arity(this.node(target).type);
    if (max === 0) return `${target} is an Input: it starts the model and takes no inputs.`;
    return null;
  }

  // ---- mutations -------------------------------------------------------------

  addNode(type, params = {}, pos = {}, id = null) {
    const nodeId = id && !this.nodes.has(id) ? id : this.freshId(type);
    this.nodes.set(nodeId, {
      id: nodeId,
      type,
      params: structuredClone(params),
      shares: null,
      x: Math.round(pos.x ?? 0),
      y: Math.round(pos.y ?? 0),
    });
    this._changed("add");
    return nodeId;
  }

  removeNodes(ids) {
    const gone = new Set(ids.filter((id) => this.nodes.has(id)));
    if (!gone.size) return;
    this.batch("remove", () => {
      for (const node of this.nodes.values()) {
        // A node sharing a removed layer keeps a copy of its parameters.
        if (node.shares && gone.has(node.shares) && !gone.has(node.id)) {
          node.params = structuredClone(this.nodes.get(node.shares).params);
          node.shares = null;
        }
      }
      const touched = new Set(this.edges.filter((e) => gone.has(e.source)).map((e) => e.target));
      for (const id of gone) this.nodes.delete(id);
      this.edges = this.edges.filter((e) => !gone.has(e.source) && !gone.has(e.target));
      for (const id of touched) this._compact(id);
      this._changed("remove");
    });
  }

  /** Copy nodes (and the wires among them); returns the new ids. */
  duplicate(ids, offset = 40) {
    const map = new Map();
    this.batch("duplicate", () => {
      for (const id of ids) {
        const node = this.node(id);
        if (!node) continue;
        const copy = this.addNode(node.type, node.params, { x: node.x + offset, y: node.y + offset });
        map.set(id, copy);
      }
      for (const [id, copy] of map) {
        const shares = this.node(id).shares;
        if (shares) this.nodes.get(copy).shares = map.get(shares) || shares;
      }
      for (const e of [...this.edges]) {
        if (map.has(e.source) && map.has(e.target)) {
          this._addEdge(map.get(e.source), map.get(e.target), e.port);
        }
      }
    });
    return [...map.values()];
  }

  moveNodes(ids, dx, dy, coalesce = null) {
    if (!dx && !dy) return;
    for (const id of ids) {
      const node = this.node(id);
      if (node) {
        node.x = Math.round(node.x + dx);
        node.y = Math.round(node.y + dy);
      }
    }
    this._changed("move", coalesce);
  }

  /** positions: Map or object id -> {x, y} */
  setPositions(positions, reason = "layout") {
    const entries = positions instanceof Map ? [...positions] : Object.entries(positions);
    for (const [id, p] of entries) {
      const node = this.node(id);
      if (node) {
        node.x = Math.round(p.x);
        node.y = Math.round(p.y);
      }
    }
    this._changed(reason);
  }

  setParam(id, name, value, coalesce = null) {
    const node = this.node(id);
    if (!node) return;
    if (JSON.stringify(node.params[name]) === JSON.stringify(value)) return;
    node.params[name] = structuredClone(value);
    this._changed("param", coalesce);
  }

  unsetParam(id, name, coalesce = null) {
    const node = this.node(id);
    if (!node || !(name in node.params)) return;
    delete node.params[name];
    this._changed("param", coalesce);
  }

  /** Make `id` reuse the layer (and weights) of `owner`; null stops sharing. */
  setShares(id, owner) {
    const node = this.node(id);
    if (!node || node.shares === owner) return;
    if (owner) {
      node.params = {};
    } else if (node.shares && this.node(node.shares)) {
      node.params = structuredClone(this.node(node.shares).params);
    }
    node.shares = owner || null;
    this._changed("shares");
  }

  renameNode(oldId, newId) {
    if (oldId === newId) return null;
    if (!NODE_ID_RE.test(newId)) return "Use 1 to 64 letters, digits, _ . : or -.";
    if (this.nodes.has(newId)) return `'${newId}' is already used by another layer.`;
    const node = this.node(oldId);
    if (!node) return "That layer no longer exists.";
    const rebuilt = new Map();
    for (const [id, n] of this.nodes) {
      if (id === oldId) {
        n.id = newId;
        rebuilt.set(newId, n);
      } else rebuilt.set(id, n);
      if (n.shares === oldId) n.shares = newId;
    }
    this.nodes = rebuilt;
    for (const e of this.edges) {
      if (e.source === oldId) e.source = newId;
      if (e.target === oldId) e.target = newId;
    }
    this._changed("rename");
    return null;
  }

  /**
   * Wire source -> target. `port` null picks the first free one; a wire
   * already on that port is replaced. Returns {ok, reason}.
   */
  connect(source, target, port = null) {
    const reason = this.refuseReason(source, target);
    if (reason) return { ok: false, reason };
    const node = this.node(target);
    const { max } = this.catalog.arity(node.type);
    let slot = port;
    if (slot === null || slot === undefined) slot = this.freePort(target);
    if (slot === null) slot = max === 1 ? 0 : this.inputsOf(target).length - 1;
    const existing = this.edges.find((e) => e.target === target && e.port === slot);
    if (existing && existing.source === source) return { ok: true, edge: existing.id };
    let edgeId = null;
    this.batch("connect", () => {
      if (existing) this.edges = this.edges.filter((e) => e !== existing);
      edgeId = this._addEdge(source, target, slot);
      this._compact(target);
      this._changed("connect");
    });
    return { ok: true, edge: edgeId };
  }

  disconnect(edgeIds) {
    const ids = new Set(Array.isArray(edgeIds) ? edgeIds : [edgeIds]);
    const removed = this.edges.filter((e) => ids.has(e.id));
    if (!removed.length) return;
    this.batch("disconnect", () => {
      this.edges = this.edges.filter((e) => !ids.has(e.id));
      for (const e of removed) this._compact(e.target);
      this._changed("disconnect");
    });
  }

  /** Rewire the whole graph as one chain in this order (sequential view). */
  setChain(order, reason = "reorder") {
    this.batch(reason, () => {
      this.edges = [];
      for (let i = 1; i < order.length; i += 1) this._addEdge(order[i - 1], order[i], 0);
      this._changed(reason);
    });
  }

  /** Replace everything (open a project, undo/redo). */
  load({ name = "", nodes = [], edges = [] }, reason = "load") {
    this.batch(reason, () => {
      this.name = name;
      this.nodes = new Map();
      for (const n of nodes) {
        this.nodes.set(n.id, {
          id: n.id,
          type: n.type,
          params: structuredClone(n.params || {}),
          shares: n.shares || null,
          x: Math.round(n.x ?? 0),
          y: Math.round(n.y ?? 0),
        });
      }
      this.edges = [];
      for (const e of edges) {
        if (this.nodes.has(e.source) && this.nodes.has(e.target)) this._addEdge(e.source, e.target, e.port ?? 0);
      }
      this._changed(reason);
    });
  }

  // ---- internals --------------------------------------------------------------

  _addEdge(source, target, port) {
    this._edgeSeq += 1;
    const edge = { id: `e${this._edgeSeq}`, source, target, port };
    this.edges.push(edge);
    this._changed("connect");
    return edge.id;
  }

  /** Merge layers take "any number" of inputs: keep their ports 0..n-1. */
  _compact(target) {
    const node = this.node(target);
    if (!node || !this.catalog.compactsPorts(node.type)) return;
    this.inputsOf(target).forEach((e, i) => {
      e.port = i;
    });
  }
}
