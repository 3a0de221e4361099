// The layer catalog served by GET /api/layers, with the questions the
// builder asks of it. Pure data: no DOM.

// Parameters worth showing on a node, in order of interest; the first three
// that a node sets are shown.
const KEY_PARAMS = [
  "shape", "units", "filters", "kernel_size", "pool_size", "size", "strides", "rate",
  "num_heads", "key_dim", "input_dim", "output_dim", "target_shape", "dims", "axis",
  "activation", "padding", "return_sequences", "n",
];

// Category order in the palette; categories the catalog adds later go last.
const CATEGORY_ORDER = [
  "core", "convolution", "pooling", "recurrent", "attention", "merging", "normalization",
  "regularization", "reshaping", "activation", "embedding", "preprocessing", "image_preprocessing",
];

/** "image_preprocessing" -> "Image preprocessing" */
export function categoryLabel(name) {
  const text = String(name || "other").replace(/_/g, " ");
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export class Catalog {
  constructor(layers) {
    this.layers = Array.isArray(layers) ? layers : [];
    this._byType = new Map(this.layers.map((layer) => [layer.type, layer]));
  }

  get(type) {
    return this._byType.get(type) || null;
  }

  has(type) {
    return this._byType.has(type);
  }

  /** [{name, layers: [spec...]}] in palette order. */
  categories() {
    const groups = new Map();
    for (const layer of this.layers) {
      const name = layer.category || "other";
      if (!groups.has(name)) groups.set(name, []);
      groups.get(name).push(layer);
    }
    const rank = (name) => {
      const i = CATEGORY_ORDER.indexOf(name.toLowerCase());
      return i < 0 ? CATEGORY_ORDER.length : i;
    };
    return [...groups.entries()]
      .sort((a, b) => rank(a[0]) - rank(b[0]) || a[0].localeCompare(b[0]))
      .map(([name, layers]) => ({ name, layers }));
  }

  /** Layers whose type, category or doc mention every word of `query`. */
  search(query) {
    const words = query.toLowerCase().split(/\s+/).filter(Boolean);
    if (!words.length) return this.layers;
    const scored = [];
    for (const layer of this.layers) {
      const type = layer.type.toLowerCase();
      const hay = `${type} ${(layer.category || "").toLowerCase()} ${(layer.doc || "").toLowerCase()}`;
      if (!words.every((w) => hay.includes(w))) continue;
      const score = type === words[0] ? 0 : type.startsWith(words[0]) ? 1 : type.includes(words[0]) ? 2 : 3;
      scored.push([score, layer]);
    }
    return scored.sort((a, b) => a[0] - b[0]).map(([, layer]) => layer);
  }

  /** {min, max (null: any), names} for a type; unknown types take one input. */
  arity(type) {
    const spec = this.get(type);
    if (!spec) return { min: 1, max: 1, names: [] };
    const max = spec.max_inputs === undefined ? 1 : spec.max_inputs;
    return { min: spec.min_inputs ?? 1, max, names: spec.input_names || [] };
  }

  /** Number of input ports to draw for a node with `connected` wires in. */
  portCount(type, connected) {
    const { min, max, names } = this.arity(type);
    if (max === 0) return 0;
    if (max === 1) return 1;
    if (max === null) return Math.max(min, connected + 1, names.length);
    return Math.max(min, Math.min(max, Math.max(connected + 1, names.length)));
  }

  portLabel(type, index) {
    const { max, names } = this.arity(type);
    if (names[index]) return names[index];
    return max === 1 ? "input" : `input ${index + 1}`;
  }

  /** True when a layer with this many inputs must renumber its ports 0..n-1. */
  compactsPorts(type) {
    const { max, names } = this.arity(type);
    return max !== 1 && names.length === 0;
  }

  param(type, name) {
    return this.get(type)?.params.find((p) => p.name === name) || null;
  }

  /** Fresh params for a new node: the catalog's example. */
  example(type) {
    return structuredClone(this.get(type)?.example || {});
  }

  /** [[name, value]] to show on a node, at most `limit`. */
  keyParams(type, params, limit = 3) {
    const spec = this.get(type);
    const names = Object.keys(params || {});
    const required = new Set((spec?.params || []).filter((p) => p.required).map((p) => p.name));
    const rank = (name) => {
      const i = KEY_PARAMS.indexOf(name);
      return (required.has(name) ? 0 : 100) + (i < 0 ? KEY_PARAMS.length : i);
    };
    return names.sort((a, b) => rank(a) - rank(b)).slice(0, limit).map((n) => [n, params[n]]);
  }

  /** The first paragraph of a layer's doc, for tooltips. */
  shortDoc(type) {
    const doc = (this.get(type)?.doc || "").trim();
    return doc.split(/\n\s*\n/)[0].replace(/\s+/g, " ");
  }
}
