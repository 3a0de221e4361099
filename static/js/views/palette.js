// Every catalog layer, grouped by category and searchable. Drag a layer onto
// the canvas, or activate it (click, Enter, Space) to add it next to the
// selection. The doc of the hovered or focused layer shows below the list.

import { h } from "../dom.js";
import { categoryLabel } from "../model/catalog.js";
import { LAYER_MIME } from "./canvas-input.js";

export class PaletteView {
  /** @param {HTMLElement} container @param {{catalog, onAdd: (type: string) => void}} deps */
  constructor(container, { catalog, onAdd }) {
    this.root = container;
    this.catalog = catalog;
    this.onAdd = onAdd;
    container.classList.add("palette");
    this.search = h("input", {
      type: "search",
      class: "palette-search",
      placeholder: "Search layers  ( / )",
      "aria-label": "Search layers",
      "data-testid": "palette-search",
      autocomplete: "off",
      spellcheck: "false",
    });
    this.list = h("div", { class: "palette-list", role: "list", "data-testid": "palette-list" });
    this.doc = h("div", { class: "palette-doc", "aria-live": "polite", "data-testid": "palette-doc" });
    this.count = h("div", { class: "palette-count muted" });
    container.append(h("div", { class: "palette-head" }, h("h2", {}, "Layers"), this.count), this.search, this.list, this.doc);
    this._build();
    this.showDoc(null);

    this.search.addEventListener("input", () => this.filter(this.search.value));
    this.search.addEventListener("keydown", (e) => {
      if (e.key === "Enter") {
        const first = this.visibleItems()[0];
        if (first) {
          e.preventDefault();
          this.onAdd(first.dataset.type);
          this.search.select(); // typing next replaces the query
        }
      } else if (e.key === "ArrowDown") {
        e.preventDefault();
        this.visibleItems()[0]?.focus();
      } else if (e.key === "Escape") {
        this.search.value = "";
        this.filter("");
      }
    });
  }

  _build() {
    const groups = this.catalog.categories();
    this.items = [];
    this.groups = groups.map(({ name, layers }) => {
      const items = layers.map((layer) => this._item(layer));
      this.items.push(...items);
      const details = h("details", { class: "palette-group", open: true, "data-category": name },
        h("summary", {}, categoryLabel(name), h("span", { class: "palette-group-count" }, String(layers.length))),
        h("div", { class: "palette-items" }, items));
      return details;
    });
    this.list.replaceChildren(...this.groups);
    this.count.textContent = `${this.items.length} types`;
  }

  _item(layer) {
    const doc = this.catalog.shortDoc(layer.type);
    const item = h("button", {
      type: "button",
      class: "palette-item",
      draggable: "true",
      role: "listitem",
      title: doc ? `${layer.type}: ${doc}` : layer.type,
      "data-testid": "palette-item",
      "data-type": layer.type,
      "aria-label": `Add ${layer.type}`,
    }, h("span", { class: "palette-item-type" }, layer.type));
    item.addEventListener("click", () => this.onAdd(layer.type));
    item.addEventListener("dragstart", (e) => {
      e.dataTransfer.setData(LAYER_MIME, layer.type);
      e.dataTransfer.setData("text/plain", layer.type);
      e.dataTransfer.effectAllowed = "copy";
    });
    item.addEventListener("mouseenter", () => this.showDoc(layer.type));
    item.addEventListener("focus", () => this.showDoc(layer.type));
    item.addEventListener("keydown", (e) => this._keys(e, item));
    return item;
  }

  _keys(e, item) {
    const items = this.visibleItems();
    const i = items.indexOf(item);
    if (e.key === "ArrowDown" && i < items.length - 1) items[i + 1].focus();
    else if (e.key === "ArrowUp") (i > 0 ? items[i - 1] : this.search).focus();
    else if (e.key === "Home") items[0]?.focus();
    else if (e.key === "End") items[items.length - 1]?.focus();
    else return;
    e.preventDefault();
  }

  visibleItems() {
    return this.items.filter((item) => !item.hidden && !item.closest("details").hidden);
  }

  filter(query) {
    const matches = new Set(this.catalog.search(query).map((l) => l.type));
    for (const item of this.items) item.hidden = !matches.has(item.dataset.type);
    for (const group of this.groups) {
      const any = [...group.querySelectorAll(".palette-item")].some((item) => !item.hidden);
      group.hidden = !any;
      if (query) group.open = true;
    }
    const shown = this.visibleItems().length;
    this.count.textContent = query ? `${shown} of ${this.items.length}` : `${this.items.length} types`;
    if (query && shown) this.showDoc(this.visibleItems()[0].dataset.type);
  }

  showDoc(type) {
    if (!type) {
      this.doc.replaceChildren(h("p", { class: "muted" }, "Hover or focus a layer to read its documentation. Enter adds it below the selected layer."));
      return;
    }
    const spec = this.catalog.get(type);
    const doc = (spec && spec.doc) || "";
    const paragraphs = doc.trim().split(/\n\s*\n/).slice(0, 3).map((p) => h("p", {}, p.replace(/\s+/g, " ")));
    this.doc.replaceChildren(h("h3", {}, type, h("span", { class: "muted" }, ` · ${spec ? categoryLabel(spec.category) : ""}`)), ...paragraphs);
  }

  focusSearch() {
    this.search.focus();
    this.search.select();
  }
}
