// One plotly chart in a container: loads plotly.js on first use, draws only
// while the container is visible (a hidden tab has no width), coalesces
// bursts of updates into one Plotly.react per animation frame, and follows
// the container's size.

import { h } from "../dom.js";
import { loadPlotly } from "../plotly-loader.js";

const CONFIG = { displaylogo: false, responsive: false, modeBarButtonsToRemove: ["lasso2d", "select2d"] };
const FONT = { family: "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif", size: 14, color: "#1d2433" };

export class PlotView {
  /**
   * @param {HTMLElement} container
   * @param {{height?: number, label?: string, testid?: string, url?: string, onRender?: (el: HTMLElement) => void}} options
   */
  constructor(container, { height = 300, label = "Chart", testid = null, url, onRender = null } = {}) {
    this.root = container;
    this.height = height;
    this.url = url;
    this.onRender = onRender;
    this.el = h("div", { class: "plot", role: "img", "aria-label": label, "data-testid": testid || undefined });
    this.message = h("p", { class: "plot-message muted", hidden: true });
    container.append(this.el, this.message);
    this._wanted = null; // {data, layout}
    this._frame = null;
    this._drawing = null;
    this._drawn = false;
    this._width = 0;
    if (typeof ResizeObserver === "function") {
      this._observer = new ResizeObserver(() => requestAnimationFrame(() => this._resized()));
      this._observer.observe(container);
    }
  }

  /** The container is on screen (a hidden tab has no layout). */
  get visible() {
    const box = this.root;
    return box.isConnected && box.offsetParent !== null && box.clientWidth > 0;
  }

  /** Draw (or redraw) with plotly data and layout. */
  render(data, layout = {}) {
    this._wanted = { data, layout };
    this.message.hidden = true;
    this._schedule();
  }

  /** Draw a figure from the API ({data, layout}). */
  figure(fig) {
    this.render(fig?.data || [], fig?.layout || {});
  }

  /** Remove the chart and show `text` instead (or nothing). */
  clear(text = "") {
    this._wanted = null;
    if (this._drawn && window.Plotly) window.Plotly.purge(this.el);
    this._drawn = false;
    this.el.hidden = Boolean(text);
    this.message.textContent = text;
    this.message.hidden = !text;
  }

  _schedule() {
    if (this._frame !== null) return;
    this._frame = requestAnimationFrame(() => {
      this._frame = null;
      this._draw();
    });
  }

  async _draw() {
    if (!this._wanted) return;
    if (!this.visible) return; // drawn when it is shown (see _resized)
    if (this._drawing) {
      await this._drawing; // the newest wish is drawn right after
      return this._schedule();
    }
    const { data, layout } = this._wanted;
    this._wanted = null;
    this.el.hidden = false;
    this._drawing = (async () => {
      try {
        const Plotly = await loadPlotly(this.url);
        const full = {
          ...layout,
          autosize: true,
          height: layout.height || this.height,
          font: { ...FONT, ...(layout.font || {}) },
          margin: { l: 56, r: 16, t: layout.title ? 48 : 16, b: 48, ...(layout.margin || {}) },
        };
        delete full.width;
        await Plotly.react(this.el, data, full, CONFIG);
        this._drawn = true;
        this._width = this.root.clientWidth;
        this.onRender?.(this.el);
      } catch (err) {
        this.message.textContent = `Could not draw the chart: ${err.message}`;
        this.message.hidden = false;
      }
    })();
    await this._drawing;
    this._drawing = null;
  }

  _resized() {
    if (!this.visible) return;
    if (this._wanted) return this._schedule();
    if (this._drawn && this.root.clientWidth !== this._width && window.Plotly) {
      this._width = this.root.clientWidth;
      window.Plotly.Plots.resize(this.el);
    }
  }
}
