// The graph canvas: layer cards over an SVG of wires, in a pannable,
// zoomable world. Rendering and viewport only; pointer and drop handling live
// in canvas-input.js. Events: "viewport", "render".

import { h, s } from "../dom.js";
import { Emitter } from "../events.js";
import { NODE_WIDTH, createNodeCard, inputPortOffset, portTotal, updateNodeCard } from "./node-card.js";
import { attachCanvasInput } from "./canvas-input.js";
import { wirePath } from "./wires.js";

const MIN_ZOOM = 0.2;
const MAX_ZOOM = 2.5;

export class CanvasView extends Emitter {
  /**
   * @param {HTMLElement} container
   * @param {{graph, catalog, selection, notify: (msg: string, kind?: string) => void,
   *          onDropLayer: (type: string, pos: {x, y}) => void}} deps
   */
  constructor(container, deps) {
    super();
    this.root = container;
    this.graph = deps.graph;
    this.catalog = deps.catalog;
    this.selection = deps.selection;
    this.deps = deps;
    this.summary = null;
    this.stale = false;
    this.viewport = { x: 40, y: 40, k: 1 };
    this.cards = new Map();
    this._frame = null;

    container.classList.add("canvas");
    container.tabIndex = 0;
    container.setAttribute("role", "application");
    container.setAttribute("aria-label", "Model graph canvas. Arrow keys move the selection; Delete removes it.");
    this.wires = s("svg", { class: "canvas-wires", "aria-hidden": "true" });
    this.wireLayer = s("g");
    this.tempWire = s("path", { class: "wire-temp", hidden: true, "data-testid": "wire-temp" });
    this.wires.append(this.wireLayer, this.tempWire);
    this.nodeLayer = h("div", { class: "canvas-nodes" });
    this.world = h("div", { class: "canvas-world" }, this.wires, this.nodeLayer);
    this.marquee = h("div", { class: "canvas-marquee", hidden: true });
    this.empty = h("div", { class: "canvas-empty", "data-testid": "canvas-empty" },
      h("strong", {}, "Start with an Input layer."),
      h("span", {}, "Drag layers here from the palette, or select one there and press Enter."));
    container.append(this.world, this.marquee, this.empty);

    this.graph.on("change", () => this.requestRender());
    this.selection.on("change", () => this.requestRender());
    attachCanvasInput(this);
    this._applyViewport();
    if (typeof ResizeObserver === "function") new ResizeObserver(() => this.emit("viewport", this.viewport)).observe(container);
  }

  // ---- rendering -----------------------------------------------------------------

  requestRender() {
    if (this._frame) return;
    this._frame = requestAnimationFrame(() => {
      this._frame = null;
      this.render();
    });
  }

  setSummary(summary, stale = false) {
    this.summary = summary;
    this.stale = stale;
    this.requestRender();
  }

  setStale(stale) {
    if (this.stale === stale) return;
    this.stale = stale;
    this.requestRender();
  }

  /** Synchronous redraw (also used before measuring, e.g. fit and layout). */
  render() {
    if (this._frame) {
      cancelAnimationFrame(this._frame);
      this._frame = null;
    }
    const graph = this.graph;
    for (const [id, el] of this.cards) {
      if (!graph.nodes.has(id)) {
        el.remove();
        this.cards.delete(id);
      }
    }
    const infos = (this.summary && this.summary.nodes) || {};
    for (const node of graph.nodes.values()) {
      let el = this.cards.get(node.id);
      if (!el) {
        el = createNodeCard(node.id);
        this.cards.set(node.id, el);
        this.nodeLayer.append(el);
      }
      updateNodeCard(el, node, {
        catalog: this.catalog,
        inputs: graph.inputsOf(node.id),
        info: infos[node.id] || null,
        selected: this.selection.has(node.id),
        stale: this.stale,
      });
    }
    this._renderWires();
    this.empty.hidden = graph.nodes.size > 0;
    this.emit("render");
  }

  _renderWires() {
    const paths = [];
    for (const e of this.graph.edges) {
      const a = this.outPortPosition(e.source);
      const b = this.inPortPosition(e.target, e.port);
      if (!a || !b) continue;
      const d = wirePath(a.x, a.y, b.x, b.y);
      const selected = this.selection.edge === e.id;
      paths.push(s("g", {
        class: `wire${selected ? " selected" : ""}`,
        "data-testid": "wire",
        "data-edge-id": e.id,
        "data-source": e.source,
        "data-target": e.target,
        "data-port": String(e.port),
      }, s("path", { class: "wire-hit", d }), s("path", { class: "wire-line", d })));
    }
    this.wireLayer.replaceChildren(...paths);
  }

  // ---- geometry ---------------------------------------------------------------------

  nodeSize(id) {
    const el = this.cards.get(id);
    return { width: NODE_WIDTH, height: el ? el.offsetHeight || 96 : 96 };
  }

  outPortPosition(id) {
    const node = this.graph.node(id);
    if (!node) return null;
    return { x: node.x + NODE_WIDTH / 2, y: node.y + this.nodeSize(id).height };
  }

  inPortPosition(id, port) {
    const node = this.graph.node(id);
    if (!node) return null;
    const total = portTotal(this.catalog, node, this.graph.inputsOf(id));
    const off = inputPortOffset(Math.min(port, Math.max(total - 1, 0)), Math.max(total, 1));
    return { x: node.x + off.x, y: node.y + off.y };
  }

  /** World box of all nodes, or null when empty. */
  bounds(ids = null) {
    let box = null;
    for (const node of this.graph.nodes.values()) {
      if (ids && !ids.includes(node.id)) continue;
      const { width, height } = this.nodeSize(node.id);
      const b = { x1: node.x, y1: node.y, x2: node.x + width, y2: node.y + height };
      box = box ? { x1: Math.min(box.x1, b.x1), y1: Math.min(box.y1, b.y1), x2: Math.max(box.x2, b.x2), y2: Math.max(box.y2, b.y2) } : b;
    }
    return box;
  }

  screenToWorld(clientX, clientY) {
    const rect = this.root.getBoundingClientRect();
    const v = this.viewport;
    return { x: (clientX - rect.left - v.x) / v.k, y: (clientY - rect.top - v.y) / v.k };
  }

  /** The visible part of the world. */
  visibleWorld() {
    const rect = this.root.getBoundingClientRect();
    const v = this.viewport;
    return { x1: -v.x / v.k, y1: -v.y / v.k, x2: (rect.width - v.x) / v.k, y2: (rect.height - v.y) / v.k };
  }

  /** A good spot for a new node: below `belowId`, else the middle of the view. */
  spotForNewNode(belowId = null) {
    const below = belowId && this.graph.node(belowId);
    if (below) {
      const { height } = this.nodeSize(belowId);
      let x = below.x;
      let y = below.y + height + 56;
      while ([...this.graph.nodes.values()].some((n) => Math.abs(n.x - x) < 40 && Math.abs(n.y - y) < 40)) x += NODE_WIDTH + 32;
      return { x, y };
    }
    const view = this.visibleWorld();
    let x = (view.x1 + view.x2) / 2 - NODE_WIDTH / 2;
    let y = view.y1 + 40;
    while ([...this.graph.nodes.values()].some((n) => Math.abs(n.x - x) < 40 && Math.abs(n.y - y) < 40)) y += 130;
    return { x, y };
  }

  // ---- viewport ---------------------------------------------------------------------

  setViewport(v) {
    this.viewport = { x: v.x, y: v.y, k: Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, v.k)) };
    this._applyViewport();
  }

  zoomAt(factor, clientX = null, clientY = null) {
    const rect = this.root.getBoundingClientRect();
    const cx = clientX === null ? rect.width / 2 : clientX - rect.left;
    const cy = clientY === null ? rect.height / 2 : clientY - rect.top;
    const v = this.viewport;
    const k = Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, v.k * factor));
    const wx = (cx - v.x) / v.k;
    const wy = (cy - v.y) / v.k;
    this.setViewport({ x: cx - wx * k, y: cy - wy * k, k });
  }

  panBy(dx, dy) {
    const v = this.viewport;
    this.setViewport({ x: v.x + dx, y: v.y + dy, k: v.k });
  }

  /** Centre the view on a world point. */
  centerOn(wx, wy) {
    const rect = this.root.getBoundingClientRect();
    const k = this.viewport.k;
    this.setViewport({ x: rect.width / 2 - wx * k, y: rect.height / 2 - wy * k, k });
  }

  /** Zoom and pan so every node (or `ids`) is visible. */
  fit(ids = null, { maxZoom = 1.25, minZoom = 0, padding = 48 } = {}) {
    this.render();
    const box = this.bounds(ids);
    if (!box) {
      this.setViewport({ x: 40, y: 40, k: 1 });
      return;
    }
    const rect = this.root.getBoundingClientRect();
    if (!rect.width || !rect.height) return;
    const w = box.x2 - box.x1 + padding * 2;
    const hgt = box.y2 - box.y1 + padding * 2;
    const k = Math.min(maxZoom, rect.width / w, rect.height / hgt);
    if (k < minZoom) {
      // Too big to read when fitted: show the top (the inputs) at a readable size.
      this.setViewport({ x: (rect.width - (box.x2 - box.x1) * minZoom) / 2 - box.x1 * minZoom, y: padding - box.y1 * minZoom, k: minZoom });
      return;
    }
    this.setViewport({
      x: (rect.width - (box.x2 - box.x1) * k) / 2 - box.x1 * k,
      y: (rect.height - (box.y2 - box.y1) * k) / 2 - box.y1 * k,
      k,
    });
  }

  /** Make sure node `id` is on screen. */
  reveal(id) {
    const node = this.graph.node(id);
    if (!node) return;
    const view = this.visibleWorld();
    const { width, height } = this.nodeSize(id);
    if (node.x < view.x1 || node.y < view.y1 || node.x + width > view.x2 || node.y + height > view.y2) {
      this.centerOn(node.x + width / 2, node.y + height / 2);
    }
  }

  _applyViewport() {
    const { x, y, k } = this.viewport;
    this.world.style.transform = `translate(${x}px, ${y}px) scale(${k})`;
    this.root.style.backgroundPosition = `${x}px ${y}px`;
    this.root.style.backgroundSize = `${24 * k}px ${24 * k}px`;
    this.root.dataset.zoom = k.toFixed(2);
    this.emit("viewport", this.viewport);
  }

  cardFor(id) {
    return this.cards.get(id) || null;
  }
}
