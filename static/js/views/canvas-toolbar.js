// Zoom, fit-to-view and tidy-layout buttons over the canvas.

import { h } from "../dom.js";

export class CanvasToolbar {
  /** @param {HTMLElement} container @param {{canvas, onTidy: () => void}} deps */
  constructor(container, { canvas, onTidy }) {
    container.classList.add("canvas-toolbar");
    container.setAttribute("role", "toolbar");
    container.setAttribute("aria-label", "Canvas view");
    this.zoom = h("span", { class: "zoom-level", "data-testid": "zoom-level", "aria-live": "off" }, "100%");
    container.append(
      h("button", { type: "button", class: "icon", title: "Zoom out (−)", "aria-label": "Zoom out", "data-testid": "zoom-out", onclick: () => canvas.zoomAt(1 / 1.2) }, "−"),
      this.zoom,
      h("button", { type: "button", class: "icon", title: "Zoom in (+)", "aria-label": "Zoom in", "data-testid": "zoom-in", onclick: () => canvas.zoomAt(1.2) }, "+"),
      h("button", { type: "button", title: "Fit the whole model in view (F)", "data-testid": "fit-view", onclick: () => canvas.fit() }, "Fit"),
      h("button", { type: "button", title: "Tidy automatic layout (L)", "data-testid": "tidy-layout", onclick: () => onTidy() }, "Tidy"),
    );
    canvas.on("viewport", (v) => {
      this.zoom.textContent = `${Math.round(v.k * 100)}%`;
    });
  }
}
