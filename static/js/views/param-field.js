// One parameter of the inspector form, generated from its catalog spec:
// checkbox for bool, select for choices, text for the rest. Values are
// checked as they are typed with the server's rules; a bad value is flagged
// and not applied.

import { h } from "../dom.js";
import { checkParam, formatDefault, formatParam, parseParam } from "../model/params.js";

const sameValue = (a, b) => JSON.stringify(a) === JSON.stringify(b);

/**
 * @param {object} spec catalog ParamSpec
 * @param {{value: any, isSet: boolean, disabled: boolean, maxDim: number|null,
 *          onCommit: (value: any) => void, onUnset: () => void}} opts
 * @returns {{el: HTMLElement, sync: (value: any, isSet: boolean) => void}}
 */
export function paramField(spec, opts) {
  const id = `param-${spec.name}-${Math.random().toString(36).slice(2, 8)}`;
  const errorId = `${id}-error`;
  const docId = `${id}-doc`;
  const error = h("div", { class: "param-error", id: errorId, "data-testid": `param-error-${spec.name}`, hidden: true, role: "alert" });
  const reset = h("button", { type: "button", class: "param-reset", title: `Reset ${spec.name} to the Keras default`, "aria-label": `Reset ${spec.name}` }, "↺");
  const label = h("label", { for: id, class: "param-name" }, spec.name, spec.required ? h("abbr", { title: "required" }, " *") : "");
  const defaultText = h("span", { class: "param-default", title: "Keras default" }, `default ${formatDefault(spec)}`);
  const doc = spec.doc ? h("div", { class: "param-doc", id: docId }, spec.doc.replace(/\s+/g, " ").slice(0, 400)) : "";
  let input;

  const flag = (message) => {
    error.hidden = !message;
    error.textContent = message || "";
    input.classList.toggle("invalid", Boolean(message));
    if (message) input.setAttribute("aria-invalid", "true");
    else input.removeAttribute("aria-invalid");
  };

  const commit = (parsed) => {
    if (parsed.unset) {
      if (spec.required) {
        flag(`'${spec.name}' is required.`);
        return;
      }
      flag(null);
      opts.onUnset();
      return;
    }
    const message = checkParam(spec, parsed.value, opts.maxDim);
    flag(message);
    if (!message) opts.onCommit(parsed.value);
  };

  if (spec.kind === "bool") {
    input = h("input", { type: "checkbox", id, "data-testid": `param-${spec.name}` });
    input.addEventListener("change", () => {
      const value = input.checked;
      if (!spec.required && sameValue(value, spec.default)) commit({ unset: true });
      else commit({ value });
    });
  } else if (spec.kind === "choice" && Array.isArray(spec.choices)) {
    input = h("select", { id, "data-testid": `param-${spec.name}` });
    const options = spec.choices.map((c) => h("option", { value: JSON.stringify(c) },
      `${c}${sameValue(c, spec.default) ? "  (default)" : ""}`));
    if (spec.nullable || spec.default === null) {
      options.unshift(h("option", { value: "null" }, `None${spec.default === null ? "  (default)" : ""}`));
    }
    input.append(...options);
    input.addEventListener("change", () => {
      const value = JSON.parse(input.value);
      if (!spec.required && sameValue(value, spec.default)) commit({ unset: true });
      else commit({ value });
    });
  } else {
    const numeric = spec.kind === "int" || spec.kind === "float";
    input = h("input", {
      type: "text",
      id,
      inputmode: numeric ? (spec.kind === "int" ? "numeric" : "decimal") : null,
      placeholder: spec.required ? "required" : formatParam(spec, spec.default) || "None",
      autocomplete: "off",
      spellcheck: "false",
      "data-testid": `param-${spec.name}`,
    });
    input.addEventListener("input", () => commit(parseParam(spec, input.value)));
    input.addEventListener("blur", () => {
      if (input.classList.contains("invalid")) return; // keep the bad text visible until fixed
      const parsed = parseParam(spec, input.value);
      if (!parsed.unset) input.value = formatParam(spec, parsed.value);
    });
  }
  input.setAttribute("aria-describedby", [errorId, doc ? docId : null].filter(Boolean).join(" "));
  input.disabled = Boolean(opts.disabled);
  reset.addEventListener("click", () => {
    flag(null);
    opts.onUnset();
  });

  const sync = (value, isSet) => {
    reset.hidden = !isSet || spec.required || opts.disabled;
    if (document.activeElement === input && input.type !== "checkbox") return; // never overwrite typing
    const effective = isSet ? value : spec.default;
    if (input.type === "checkbox") input.checked = Boolean(effective);
    else if (input.tagName === "SELECT") {
      const wanted = JSON.stringify(effective === undefined ? null : effective);
      if (![...input.options].some((o) => o.value === wanted)) {
        input.append(h("option", { value: wanted }, `${effective} (not in the list)`));
      }
      input.value = wanted;
    } else {
      input.value = isSet ? formatParam(spec, value) : "";
    }
    if (isSet) flag(checkParam(spec, value, opts.maxDim));
    else flag(spec.required ? `'${spec.name}' is required.` : null);
  };
  sync(opts.value, opts.isSet);

  const el = h("div", { class: `param param-${spec.kind}`, "data-param": spec.name },
    h("div", { class: "param-label" }, label, defaultText, reset),
    input, error, doc);
  return { el, sync, input };
}
