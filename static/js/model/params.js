// Parameter values: text <-> value for the inspector, and the same checks as
// app/graph/catalog.py check_param, so a bad value is flagged as it is typed
// with the message the server would give. Pure: no DOM.

const NONE_WORDS = new Set(["none", "null"]);

function short(value) {
  let text;
  if (value === null) text = "None";
  else if (typeof value === "string") text = `'${value}'`;
  else if (typeof value === "boolean") text = value ? "True" : "False";
  else if (Array.isArray(value)) text = `[${value.map(short).join(", ")}]`;
  else text = String(value);
  return text.length <= 60 ? text : `${text.slice(0, 57)}...`;
}

function num(value) {
  return Number.isInteger(value) ? value.toLocaleString("en-US") : String(value);
}

const isInt = (v) => typeof v === "number" && Number.isInteger(v);

function checkBounds(spec, value, received, maxDim) {
  const low = spec.min;
  let high = spec.max;
  if (maxDim != null && (spec.kind === "int" || spec.kind === "int_tuple") && high == null && low != null && low >= 1) {
    high = maxDim;
  }
  if (low != null && value < low) return `'${spec.name}' must be at least ${num(low)}. ${received}`;
  if (high != null && value > high) return `'${spec.name}' must be at most ${num(high)}. ${received}`;
  return null;
}

function isJsonPlain(value, depth = 0) {
  if (depth > 3) return false;
  if (value === null || ["boolean", "number"].includes(typeof value)) return true;
  if (typeof value === "string") return value.length <= 200;
  if (Array.isArray(value)) return value.length <= 64 && value.every((v) => isJsonPlain(v, depth + 1));
  return false;
}

/** Why `value` is not acceptable for `spec`, or null (mirrors check_param). */
export function checkParam(spec, value, maxDim = null) {
  const received = `Received: ${spec.name}=${short(value)}`;
  const n = spec.name;
  if (value === null || value === undefined) {
    if (spec.nullable || spec.default === null || spec.default === undefined) return null;
    return `'${n}' cannot be null. ${received}`;
  }
  switch (spec.kind) {
    case "any":
      return isJsonPlain(value) ? null : `'${n}' must be plain JSON. ${received}`;
    case "bool":
      return typeof value === "boolean" ? null : `'${n}' must be true or false. ${received}`;
    case "int":
      if (!isInt(value)) return `'${n}' must be an integer. ${received}`;
      return checkBounds(spec, value, received, maxDim);
    case "float":
      if (typeof value !== "number" || !Number.isFinite(value)) return `'${n}' must be a finite number. ${received}`;
      return checkBounds(spec, value, received, null);
    case "str":
      return typeof value === "string" && value.length <= 200
        ? null : `'${n}' must be a string of at most 200 characters. ${received}`;
    case "choice": {
      if (spec.choices && spec.choices.includes(value)) return null;
      const shown = (spec.choices || []).slice(0, 12).map(short).join(", ");
      return `'${n}' must be one of ${shown}. ${received}`;
    }
    case "int_tuple": {
      const items = isInt(value) ? [value] : value;
      if (!Array.isArray(items) || !items.length || !items.every(isInt)) {
        return `'${n}' must be an integer or a list of integers. ${received}`;
      }
      if (spec.length && items.length !== 1 && items.length !== spec.length) {
        return `'${n}' must have ${spec.length} values. ${received}`;
      }
      for (const item of items) {
        const message = checkBounds(spec, item, received, maxDim);
        if (message) return message;
      }
      return null;
    }
    case "shape":
      if (!Array.isArray(value) || value.length > 8) return `'${n}' must be a list of at most 8 dimensions. ${received}`;
      for (const dim of value) {
        if (dim !== null && (!isInt(dim) || dim < 1)) return `'${n}' dimensions must be positive integers or null. ${received}`;
        if (dim !== null && maxDim != null && dim > maxDim) return `'${n}' dimensions must be at most ${num(maxDim)}. ${received}`;
      }
      return null;
    case "int_list":
    case "axis":
      if (spec.kind === "axis" && isInt(value)) return null;
      if (!Array.isArray(value) || value.length > 16 || !value.every(isInt)) return `'${n}' must be a list of integers. ${received}`;
      return null;
    case "float_list": {
      const ok = Array.isArray(value) && value.length <= 64 && value.every((v) => typeof v === "number");
      return ok ? null : `'${n}' must be a list of numbers. ${received}`;
    }
    default:
      return `'${n}' has an unknown kind '${spec.kind}'.`;
  }
}

function parseNumber(text) {
  const t = text.trim();
  if (NONE_WORDS.has(t.toLowerCase())) return null;
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(t)) return NaN;
  return Number(t);
}

function parseList(text) {
  const body = text.trim().replace(/^[[(]/, "").replace(/[\])]$/, "").trim();
  if (!body) return [];
  return body.split(/[,\s×x]+/).filter(Boolean).map(parseNumber);
}

/**
 * Text typed in the inspector -> {value} or {unset: true} (use the Keras
 * default). Values that do not parse are returned as typed, so checkParam
 * names the problem.
 */
export function parseParam(spec, text) {
  const raw = String(text);
  const t = raw.trim();
  if (t === "" && spec.kind !== "str") return { unset: true };
  switch (spec.kind) {
    case "int":
    case "float": {
      const value = parseNumber(t);
      return { value: Number.isNaN(value) ? t : value };
    }
    case "int_tuple": {
      const items = parseList(t);
      if (items.some((v) => Number.isNaN(v) || v === null)) return { value: t };
      return { value: items.length === 1 ? items[0] : items };
    }
    case "shape":
    case "int_list":
    case "float_list": {
      if (NONE_WORDS.has(t.toLowerCase())) return { value: null };
      const items = parseList(t);
      if (items.some((v) => Number.isNaN(v))) return { value: t };
      return { value: items };
    }
    case "axis": {
      const items = parseList(t);
      if (items.some((v) => Number.isNaN(v) || v === null)) return { value: t };
      const bracketed = /^[[(]/.test(t) || items.length !== 1;
      return { value: bracketed ? items : items[0] };
    }
    case "bool":
      return { value: ["true", "1", "yes"].includes(t.toLowerCase()) };
    case "str":
      if (raw === "") return { unset: true };
      return { value: raw };
    case "any":
      if (NONE_WORDS.has(t.toLowerCase())) return { value: null };
      try {
        return { value: JSON.parse(t) };
      } catch {
        return { value: raw };
      }
    default:
      return { value: raw };
  }
}

/** A value as the text an inspector field shows (inverse of parseParam). */
export function formatParam(spec, value) {
  if (value === undefined) return "";
  if (value === null) return "None";
  if (Array.isArray(value)) return value.map((v) => (v === null ? "None" : String(v))).join(", ");
  if (spec && spec.kind === "any" && typeof value === "string") return value;
  if (typeof value === "boolean") return value ? "True" : "False";
  return String(value);
}

/** Keras's default as shown beside a field. */
export function formatDefault(spec) {
  if (spec.required) return "required";
  const d = spec.default;
  if (d === null || d === undefined) return "None";
  if (typeof d === "string") return `"${d}"`;
  if (Array.isArray(d)) return `(${d.map((v) => (v === null ? "None" : v)).join(", ")}${d.length === 1 ? "," : ""})`;
  if (typeof d === "boolean") return d ? "True" : "False";
  return String(d);
}
