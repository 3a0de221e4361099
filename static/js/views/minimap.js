// An overview of the whole graph with the visible area outlined; click or
// drag on it to move the view there.

import { s } from "../dom.js";

export class MinimapView {
  /** @param {HTMLElement} container @param {import("./canvas.js").CanvasView} canvas */
  constructor(container, canvas) {
    this.root = container;
    this.canvas = canvas;
    this._frame = null;
    container.classList.add("minimap");
    container.setAttribute("data-testid", "minimap");
    container.setAttribute("aria-label", "Minimap: click to move the view");
    this.svg = s("svg", { class: "minimap-svg", role: "img", "aria-label": "Overview of the graph" });
    this.nodes = s("g");
    this.frame = s("rect", { class: "minimap-view" });
    this.svg.append(this.nodes, this.frame);
    container.append(this.svg);
    this._box = null;

    canvas.on("render", () => this.request());
    canvas.on("viewport", () => this.request());
    let dragging = false;
    const go = (e) => {
      if (!this._box) return;
      const rect = this.svg.getBoundingClientRect();
      const b = this._box;
      const scale = Math.max(b.w / rect.width, b.h / rect.height);
      // viewBox is centred with preserveAspectRatio="xMidYMid meet"
      const ox = (rect.width - b.w / scale) / 2;
      const oy = (rect.height - b.h / scale) / 2;
      canvas.centerOn(b.x + (e.clientX - rect.left - ox) * scale, b.y + (e.clientY - rect.top - oy) * scale);
    };
    this.svg.addEventListener("pointerdown", (e) => {
      dragging = true;
      this.svg.setPointerCapture(e.pointerId);
      go(e);
      e.preventDefault();
    });
    this.svg.addEventListener("pointermove", (e) => dragging && go(e));
    this.svg.addEventListener("pointerup", () => {
      dragging = false;
    });
  }

  request() {
    if (this._frame) return;
    this._frame = requestAnimationFrame(() => {
      this._frame = null;
      this.render();
    });
  }

  render() {
    const canvas = this.canvas;
    const graph = canvas.graph;
    const bounds = canvas.bounds();
    this.root.hidden = graph.nodes.size < 2;
    if (!bounds) return;
    const view = canvas.visibleWorld();
    const x1 = Math.min(bounds.x1, view.x1);
    const y1 = Math.min(bounds.y1, view.y1);
    const x2 = Math.max(bounds.x2, view.x2);
    const y2 = Math.max(bounds.y2, view.y2);
    const pad = 40;
    this._box = { x: x1 - pad, y: y1 - pad, w: x2 - x1 + 2 * pad, h: y2 - y1 + 2 * pad };
    this.svg.setAttribute("viewBox", `${this._box.x} ${this._box.y} ${this._box.w} ${this._box.h}`);
    const infos = (canvas.summary && canvas.summary.nodes) || {};
    const rects = [];
    for (const node of graph.nodes.values()) {
      const { width, height } = canvas.nodeSize(node.id);
      const info = infos[node.id];
      const cls = `minimap-node${info && info.error ? " error" : ""}${canvas.selection.has(node.id) ? " selected" : ""}`;
      rects.push(s("rect", { class: cls, x: node.x, y: node.y, width, height, rx: 8 }));
    }
    this.nodes.replaceChildren(...rects);
    this.frame.setAttribute("x", view.x1);
    this.frame.setAttribute("y", view.y1);
    this.frame.setAttribute("width", Math.max(0, view.x2 - view.x1));
    this.frame.setAttribute("height", Math.max(0, view.y2 - view.y1));
  }
}
