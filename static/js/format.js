// Formatting of shapes, counts and sizes the way Keras's summary() prints them.

export function formatShape(shape) {
  if (!Array.isArray(shape)) return "?";
  const dims = shape.map((d) => (d === null || d === undefined ? "None" : String(d)));
  return dims.length === 1 ? `(${dims[0]},)` : `(${dims.join(", ")})`;
}

/** First output shape, with "+n" when a layer returns several tensors. */
export function formatShapes(shapes) {
  if (!Array.isArray(shapes) || shapes.length === 0) return "?";
  const first = formatShape(shapes[0]);
  return shapes.length > 1 ? `${first} +${shapes.length - 1}` : first;
}

export function formatCount(n) {
  return Number.isFinite(n) ? Math.round(n).toLocaleString("en-US") : "?";
}

/** Keras style: 18692 -> "18.25 KB" (1024-based units). */
export function formatBytes(bytes) {
  if (!Number.isFinite(bytes)) return "?";
  const units = ["B", "KB", "MB", "GB", "TB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(2)} ${units[unit]}`;
}

/** A parameter value as a short label for a node ("relu", "3×3", "0.5"). */
export function formatValue(value) {
  if (value === null || value === undefined) return "None";
  if (Array.isArray(value)) {
    if (value.every((v) => v === value[0]) && value.length === 2) return `${value[0]}×${value[1]}`;
    return `[${value.map((v) => (v === null ? "None" : v)).join(", ")}]`;
  }
  if (typeof value === "boolean") return value ? "True" : "False";
  return String(value);
}
