// The Data tab: pick a built-in dataset (with its generator parameters) or an
// uploaded one, see its preview (shapes, first rows, statistics, plotly
// figure) and whether it fits the model's Input; upload a CSV or NPZ.
// Requests go through the functions passed in; the controller decides what a
// choice means for training.

import { clear, h } from "../dom.js";
import { formatShape } from "../format.js";
import { checkField, numberField, selectField } from "./form-fields.js";
import { PlotView } from "./plot.js";
import { uploadForm } from "./upload-form.js";
import { isShown, onShown } from "./visibility.js";

const num = (v) => (typeof v === "number" ? (Number.isInteger(v) ? String(v) : v.toPrecision(4).replace(/\.?0+(e|$)/, "$1")) : v === null || v === undefined ? "—" : String(v));

export class DataPanelView {
  /**
   * @param {HTMLElement} container
   * @param {{loadPreview: (id, params, opts) => Promise<object>, upload: (form: FormData) => Promise<object>,
   *          remove: (id) => Promise<void>, onChange: (choice: {dataset, params}) => void,
   *          onShowNode: (id: string) => void, plotlyUrl?: string}} deps
   */
  constructor(container, deps) {
    this.root = container;
    this.deps = deps;
    this.datasets = [];
    this.dataset = null;
    this.fields = new Map(); // param name -> field
    this._previewTimer = null;
    this._previewAbort = null;
    this._previewWanted = false; // a preview is due but the tab is hidden
    container.classList.add("data-panel");

    this.select = selectField({ name: "dataset", label: "Dataset", options: [], testid: "dataset-select", onChange: (id) => this._picked(id) });
    this.description = h("p", { class: "dataset-description muted", "data-testid": "dataset-description" });
    this.params = h("fieldset", { class: "dataset-params", "data-testid": "dataset-params", hidden: true }, h("legend", {}, "Generator"));
    this.paramBox = h("div", { class: "field-grid" });
    this.params.append(this.paramBox);
    this.removeBtn = h("button", { type: "button", class: "danger", hidden: true, "data-testid": "dataset-delete", onclick: () => this._remove() }, "Delete this upload");
    this.match = h("div", { class: "match", "data-testid": "data-match", "data-level": "unknown", role: "status" });
    this.facts = h("dl", { class: "facts", "data-testid": "preview-facts" });
    this.previewStatus = h("p", { class: "muted", "data-testid": "preview-status" });
    this.head = h("div", { class: "table-scroll", "data-testid": "preview-head" });
    this.stats = h("div", { class: "table-scroll", "data-testid": "preview-stats" });
    const figureBox = h("div", { class: "figure-box" });
    this.figure = new PlotView(figureBox, { height: 320, url: deps.plotlyUrl, label: "Dataset preview chart", testid: "preview-figure" });
    this.preview = h("section", { class: "preview", "data-testid": "data-preview", "aria-label": "Preview" },
      h("h3", {}, "Preview"), this.previewStatus, this.facts, figureBox,
      h("details", { open: true }, h("summary", {}, "First rows"), this.head),
      h("details", {}, h("summary", {}, "Statistics"), this.stats));

    container.append(
      h("h2", {}, "Data"),
      this.select.el, this.description, this.removeBtn, this.params, this.match, this.preview,
      uploadForm({ upload: deps.upload }),
    );
    onShown(container, () => this._previewWanted && this._loadPreview());
  }

  // ---- choosing -------------------------------------------------------------------------

  /** Fill the list; `choice` ({id, params}) is selected when it exists. */
  setDatasets(datasets, choice = null) {
    this.datasets = datasets;
    this.select.setOptions(datasets.map((d) => ({
      value: d.id,
      label: d.kind === "upload" ? `${d.name} (${d.task})` : `${d.name} · ${d.task}`,
      group: d.kind === "upload" ? "Uploaded" : "Built-in",
    })));
    const id = choice && datasets.some((d) => d.id === choice.id) ? choice.id : datasets[0]?.id;
    if (id) this.choose(id, choice && choice.id === id ? choice.params : null, { notify: false });
  }

  /** Select a dataset programmatically (params: values to show; null: defaults). */
  choose(id, params = null, { notify = true } = {}) {
    const dataset = this.datasets.find((d) => d.id === id);
    if (!dataset) return;
    this.select.set(id);
    this.dataset = dataset;
    this.description.textContent = dataset.description || "";
    this.removeBtn.hidden = dataset.kind !== "upload";
    this._renderParams(dataset, params || {});
    this._schedulePreview(0);
    if (notify) this._notify();
  }

  _picked(id) {
    this.choose(id, null);
  }

  _renderParams(dataset, values) {
    this.fields.clear();
    clear(this.paramBox);
    for (const p of dataset.params || []) {
      const value = values[p.name] ?? p.default;
      const common = { name: p.name, label: p.name, testid: `dataset-param-${p.name}`, hint: p.description };
      const field = p.type === "boolean"
        ? checkField({ ...common, value, onChange: () => this._paramsChanged() })
        : numberField({ ...common, value, min: p.minimum, max: p.maximum, step: p.type === "integer" ? 1 : "any", onChange: () => this._paramsChanged() });
      this.fields.set(p.name, { spec: p, field });
      this.paramBox.append(field.el);
    }
    this.params.hidden = this.fields.size === 0;
  }

  /** The generator values, or null when one is invalid (flagged in place). */
  values() {
    const out = {};
    let ok = true;
    for (const [name, { spec, field }] of this.fields) {
      const value = field.get();
      let message = null;
      if (spec.type !== "boolean") {
        if (value === null || !Number.isFinite(value)) message = `${name} must be a number.`;
        else if (spec.type === "integer" && !Number.isInteger(value)) message = `${name} must be a whole number.`;
        else if (spec.minimum !== null && spec.minimum !== undefined && value < spec.minimum) message = `${name} must be at least ${spec.minimum}.`;
        else if (spec.maximum !== null && spec.maximum !== undefined && value > spec.maximum) message = `${name} must be at most ${spec.maximum}.`;
      }
      field.flag(message);
      if (message) ok = false;
      else out[name] = value;
    }
    return ok ? out : null;
  }

  /** The current choice: {dataset, params} (params null when a value is invalid). */
  choice() {
    return { dataset: this.dataset, params: this.dataset ? this.values() : null };
  }

  _paramsChanged() {
    this._notify();
    this._schedulePreview(350);
  }

  _notify() {
    this.deps.onChange(this.choice());
  }

  // ---- the model fit ------------------------------------------------------------------

  /** Show the result of matchDataset() (model/data-match.js). */
  setMatch(result) {
    const level = result ? result.level : "unknown";
    this.match.dataset.level = level;
    const icon = { ok: "✓", info: "ℹ", error: "✕", unknown: "…" }[level] || "";
    const show = result && result.node && level === "error"
      ? h("button", { type: "button", class: "link", "data-testid": "data-match-show", onclick: () => this.deps.onShowNode(result.node) }, `Select '${result.node}'`)
      : "";
    this.match.replaceChildren(
      h("span", { class: "match-icon", "aria-hidden": "true" }, icon),
      h("span", { class: "match-text" },
        h("strong", {}, result ? result.message : "Checking the model…"),
        result && result.hint ? h("span", { class: "match-hint" }, ` ${result.hint}`) : "",
        show ? " " : "", show));
  }

  // ---- preview ----------------------------------------------------------------------------

  _schedulePreview(ms) {
    clearTimeout(this._previewTimer);
    this._previewTimer = setTimeout(() => this._loadPreview(), ms);
  }

  async _loadPreview() {
    const dataset = this.dataset;
    if (!dataset) return;
    if (!isShown(this.root)) {
      this._previewWanted = true; // loaded when the Data tab is opened
      return;
    }
    this._previewWanted = false;
    const params = this.values();
    if (!params) {
      this.previewStatus.textContent = "Fix the values above to see the preview.";
      return;
    }
    this._previewAbort?.abort();
    const controller = new AbortController();
    this._previewAbort = controller;
    this.preview.setAttribute("aria-busy", "true");
    this.previewStatus.textContent = "Loading the preview…";
    try {
      const preview = await this.deps.loadPreview(dataset.id, params, { signal: controller.signal });
      if (controller.signal.aborted) return;
      this._renderPreview(preview);
      this.previewStatus.textContent = "";
    } catch (err) {
      if (err && err.name === "AbortError") return;
      this.previewStatus.textContent = `Could not load the preview: ${err.message}`;
      this.figure.clear();
    } finally {
      if (this._previewAbort === controller) this.preview.removeAttribute("aria-busy");
    }
  }

  _renderPreview(p) {
    this.preview.dataset.datasetId = p.id;
    const fact = (term, value, testid) => [h("dt", {}, term), h("dd", { "data-testid": testid }, value)];
    this.facts.replaceChildren(
      ...fact("Rows", String(p.n_rows), "preview-rows"),
      ...fact("x", `${formatShape(p.x_shape)} ${p.x_dtype}`, "preview-x-shape"),
      ...fact("y", `${formatShape(p.y_shape)} ${p.y_dtype}`, "preview-y-shape"),
      ...fact("One sample", formatShape(p.input_shape), "preview-input-shape"),
      ...fact("Task", p.task + (p.n_classes ? ` · ${p.n_classes} classes (${p.label_encoding} labels)` : ""), "preview-task"),
    );
    this.figure.figure(p.figure);
    this.head.replaceChildren(headTable(p));
    this.stats.replaceChildren(statsTables(p.stats));
  }

  async _remove() {
    const dataset = this.dataset;
    if (!dataset || dataset.kind !== "upload") return;
    this.removeBtn.disabled = true;
    try {
      await this.deps.remove(dataset.id);
    } catch (err) {
      this.previewStatus.textContent = `Could not delete: ${err.message}`;
    } finally {
      this.removeBtn.disabled = false;
    }
  }
}

/** The first rows: one column per feature (flat samples) or the sample's shape (images). */
function headTable(p) {
  const xs = p.head?.x || [];
  const ys = p.head?.y || [];
  const flat = xs.every((row) => Array.isArray(row) && row.every((v) => typeof v === "number"));
  const names = flat ? (p.feature_names?.length === (xs[0] || []).length ? p.feature_names : (xs[0] || []).map((_, i) => `x${i}`)) : ["x"];
  const label = (y) => (p.class_names && Number.isInteger(y) && p.class_names[y] !== undefined ? `${y} (${p.class_names[y]})` : Array.isArray(y) ? `[${y.map(num).join(", ")}]` : num(y));
  return h("table", { class: "data-table" },
    h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "#"), ...names.map((n) => h("th", { scope: "col" }, n)), h("th", { scope: "col" }, "y"))),
    h("tbody", {}, ...xs.map((row, i) => h("tr", {},
      h("td", {}, String(i)),
      ...(flat ? row.map((v) => h("td", { class: "num" }, num(v))) : [h("td", {}, `array ${formatShape(p.input_shape)}`)]),
      h("td", { class: "num" }, label(ys[i]))))));
}

function statsTables(stats) {
  const parts = [];
  if (stats?.features?.length) {
    parts.push(h("table", { class: "data-table" },
      h("thead", {}, h("tr", {}, ...["feature", "mean", "std", "min", "max"].map((c) => h("th", { scope: "col" }, c)))),
      h("tbody", {}, ...stats.features.map((f) => h("tr", {}, h("td", {}, f.name), ...["mean", "std", "min", "max"].map((k) => h("td", { class: "num" }, num(f[k]))))))));
  }
  if (stats?.classes?.length) {
    parts.push(h("table", { class: "data-table" },
      h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "class"), h("th", { scope: "col", class: "num" }, "rows"))),
      h("tbody", {}, ...stats.classes.map((c) => h("tr", {}, h("td", {}, `${c.label} ${c.name !== String(c.label) ? `(${c.name})` : ""}`), h("td", { class: "num" }, String(c.count)))))));
  }
  const target = stats?.target;
  if (target && !Array.isArray(target)) {
    parts.push(h("table", { class: "data-table" },
      h("thead", {}, h("tr", {}, ...["target", "mean", "std", "min", "max"].map((c) => h("th", { scope: "col" }, c)))),
      h("tbody", {}, h("tr", {}, h("td", {}, "y"), ...["mean", "std", "min", "max"].map((k) => h("td", { class: "num" }, num(target[k])))))));
  }
  return parts.length ? h("div", {}, ...parts) : h("p", { class: "muted" }, "No statistics.");
}
