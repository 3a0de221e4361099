// What is selected on the canvas: node ids and at most one wire. No DOM.

import { Emitter } from "../events.js";

export class Selection extends Emitter {
  constructor() {
    super();
    this.nodes = new Set();
    this.edge = null;
  }

  has(id) {
    return this.nodes.has(id);
  }

  get size() {
    return this.nodes.size;
  }

  /** The only selected node id, or null. */
  get single() {
    return this.nodes.size === 1 ? [...this.nodes][0] : null;
  }

  set(ids) {
    this.nodes = new Set(ids);
    this.edge = null;
    this.emit("change");
  }

  toggle(id) {
    if (this.nodes.has(id)) this.nodes.delete(id);
    else this.nodes.add(id);
    this.edge = null;
    this.emit("change");
  }

  setEdge(edgeId) {
    this.nodes = new Set();
    this.edge = edgeId;
    this.emit("change");
  }

  clear() {
    if (!this.nodes.size && !this.edge) return;
    this.nodes = new Set();
    this.edge = null;
    this.emit("change");
  }

  /** Drop ids that no longer exist in `graph`. */
  prune(graph) {
    const before = this.nodes.size + (this.edge ? 1 : 0);
    this.nodes = new Set([...this.nodes].filter((id) => graph.nodes.has(id)));
    if (this.edge && !graph.edges.some((e) => e.id === this.edge)) this.edge = null;
    if (this.nodes.size + (this.edge ? 1 : 0) !== before) this.emit("change");
  }
}
