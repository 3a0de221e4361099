// Labelled form fields for the Data and Train panels: number, select and
// checkbox, each with an inline error line. Every field returns
// {el, input, get(), set(value), flag(message)}.

import { h } from "../dom.js";

let seq = 0;
const nextId = (name) => `f-${name.replace(/[^A-Za-z0-9_-]/g, "_")}-${(seq += 1)}`;

function errorLine(id, testid) {
  return h("div", { class: "field-error", id: `${id}-error`, role: "alert", hidden: true, "data-testid": testid ? `${testid}-error` : undefined });
}

/** Label, control, optional hint and error line: the frame every field shares. */
function fieldShell(id, label, input, hint, error) {
  return h("div", { class: "field" },
    h("label", { for: id }, label),
    input,
    hint ? h("div", { class: "field-hint muted", id: `${id}-hint` }, hint) : "",
    error);
}

function flagger(input, error) {
  return (message) => {
    error.hidden = !message;
    error.textContent = message || "";
    input.classList.toggle("invalid", Boolean(message));
    if (message) input.setAttribute("aria-invalid", "true");
    else input.removeAttribute("aria-invalid");
  };
}

/** A number input. `integer` rounds nothing: a non-integer is reported by get() as NaN-free but flagged by the caller. */
export function numberField({ name, label, value, min, max, step = "any", testid, hint, onChange }) {
  const id = nextId(name);
  const input = h("input", {
    type: "number", id, name, step: String(step), min: min ?? undefined, max: max ?? undefined,
    "data-testid": testid, "aria-describedby": hint ? `${id}-hint` : undefined, inputmode: "decimal",
  });
  input.value = value ?? "";
  const error = errorLine(id, testid);
  const el = fieldShell(id, label, input, hint, error);
  if (onChange) input.addEventListener("input", () => onChange(get()));
  const get = () => (input.value.trim() === "" ? null : Number(input.value));
  return { el, input, get, set: (v) => { input.value = v ?? ""; }, flag: flagger(input, error) };
}

/** A select of {value, label, group?} options; groups become optgroups. */
export function selectField({ name, label, options, value, testid, hint, onChange }) {
  const id = nextId(name);
  const input = h("select", { id, name, "data-testid": testid, "aria-describedby": hint ? `${id}-hint` : undefined });
  const error = errorLine(id, testid);
  const el = fieldShell(id, label, input, hint, error);
  const setOptions = (opts) => {
    const keep = input.value;
    const groups = new Map();
    const children = [];
    for (const o of opts) {
      const option = h("option", { value: o.value, title: o.title || undefined }, o.label ?? o.value);
      if (o.group) {
        if (!groups.has(o.group)) {
          const g = h("optgroup", { label: o.group });
          groups.set(o.group, g);
          children.push(g);
        }
        groups.get(o.group).append(option);
      } else children.push(option);
    }
    input.replaceChildren(...children);
    if (keep && opts.some((o) => o.value === keep)) input.value = keep;
  };
  setOptions(options || []);
  if (value !== undefined) input.value = value;
  if (onChange) input.addEventListener("change", () => onChange(input.value));
  return { el, input, get: () => input.value, set: (v) => { input.value = v; }, setOptions, flag: flagger(input, error) };
}

/** A checkbox with its label on the right. */
export function checkField({ name, label, value = false, testid, hint, onChange }) {
  const id = nextId(name);
  const input = h("input", { type: "checkbox", id, name, "data-testid": testid });
  input.checked = Boolean(value);
  const error = errorLine(id, testid);
  const el = h("div", { class: "field field-check" },
    input,
    h("label", { for: id }, label),
    hint ? h("div", { class: "field-hint muted" }, hint) : "",
    error);
  if (onChange) input.addEventListener("change", () => onChange(input.checked));
  return { el, input, get: () => input.checked, set: (v) => { input.checked = Boolean(v); }, flag: flagger(input, error) };
}
