// One layer on the canvas: an HTML card with its type, key parameters,
// output shape, parameter count, error or warning, and its ports.

import { h } from "../dom.js";
import { formatCount, formatShapes, formatValue } from "../format.js";

export const NODE_WIDTH = 256;

export function createNodeCard(id) {
  const el = h("div", {
    class: "node",
    tabindex: "0",
    role: "group",
    "data-testid": "node",
    "data-node-id": id,
  });
  el.style.width = `${NODE_WIDTH}px`;
  el._parts = {
    portsIn: h("div", { class: "ports-in" }),
    type: h("span", { class: "node-type", "data-testid": "node-type" }),
    id: h("span", { class: "node-id", "data-testid": "node-id" }),
    params: h("div", { class: "node-params", "data-testid": "node-key-params" }),
    shape: h("span", { class: "node-shape", "data-testid": "node-shape" }),
    count: h("span", { class: "node-count", "data-testid": "node-params" }),
    shares: h("div", { class: "node-shares", hidden: true }),
    problem: h("div", { class: "node-problem", "data-testid": "node-error", role: "alert", hidden: true }),
    out: h("span", { class: "port port-out", "data-testid": "port-out", title: "Output: drag to another layer's input" }),
  };
  const p = el._parts;
  el.append(
    p.portsIn,
    h("div", { class: "node-head" }, p.type, p.id),
    p.params,
    p.shares,
    h("div", { class: "node-foot" }, p.shape, p.count),
    p.problem,
    p.out,
  );
  return el;
}

function setText(el, text) {
  if (el.textContent !== text) el.textContent = text;
}

/**
 * Bring a card up to date.
 * @param {HTMLElement} el
 * @param {object} node graph node
 * @param {{catalog, inputs: object[], info: object|null, selected: boolean, stale: boolean}} ctx
 */
export function updateNodeCard(el, node, { catalog, inputs, info, selected, stale }) {
  const p = el._parts;
  el.style.transform = `translate(${node.x}px, ${node.y}px)`;
  el.dataset.type = node.type;
  el.classList.toggle("selected", selected);
  el.classList.toggle("stale", stale);
  el.classList.toggle("is-input", node.type === "Input");
  el.classList.toggle("unknown-type", !catalog.has(node.type));
  setText(p.type, node.type);
  setText(p.id, node.id);

  const owner = node.shares ? node.shares : null;
  const key = catalog.keyParams(node.type, node.params);
  setText(p.params, key.map(([name, value]) => `${name} ${formatValue(value)}`).join(" · ") || (owner ? "" : "defaults"));
  p.shares.hidden = !owner;
  setText(p.shares, owner ? `shares weights of ${owner}` : "");

  const error = info && info.error;
  const warning = !error && info && info.warning;
  el.classList.toggle("has-error", Boolean(error));
  el.classList.toggle("has-warning", Boolean(warning));
  const shapes = info && info.output_shapes;
  setText(p.shape, shapes ? formatShapes(shapes) : error ? "no output" : "…");
  const params = info ? info.params || 0 : null;
  p.count.dataset.params = params === null ? "" : String(params);
  setText(p.count, params === null ? "" : owner ? "shared" : `${formatCount(params)} params`);
  p.problem.hidden = !(error || warning);
  p.problem.classList.toggle("warning", Boolean(warning));
  if (error || warning) {
    const hint = info.hint ? `Hint: ${info.hint}` : "";
    const text = `${error || warning}${hint ? "\n" + hint : ""}`;
    if (p.problem.dataset.text !== text) {
      p.problem.dataset.text = text;
      p.problem.replaceChildren(h("span", { class: "problem-message" }, error || warning),
        hint ? h("span", { class: "problem-hint" }, hint) : "");
    }
  }
  p.problem.setAttribute("role", error ? "alert" : "note");

  // Input ports, in order; named for attention-style layers.
  const used = new Set(inputs.map((e) => e.port));
  const total = portTotal(catalog, node, inputs);
  const signature = `${total}|${[...used].join(",")}`;
  if (p.portsIn.dataset.sig !== signature) {
    p.portsIn.dataset.sig = signature;
    const showLabels = total > 1;
    p.portsIn.replaceChildren(...Array.from({ length: total }, (_, i) => {
      const label = catalog.portLabel(node.type, i);
      return h("span", {
        class: `port port-in${used.has(i) ? " connected" : ""}`,
        "data-testid": "port-in",
        "data-port": String(i),
        title: `Input ${i + 1}: ${label}`,
        style: `left: ${((i + 1) / (total + 1)) * 100}%`,
      }, showLabels ? h("span", { class: "port-label" }, label) : "");
    }));
  }
  p.out.hidden = false;
  el.setAttribute("aria-label", `${node.type} layer ${node.id}${shapes ? `, output ${formatShapes(shapes)}` : ""}${error ? ", has an error" : ""}`);
}

/** How many input ports a card shows: the catalog's count, or more if wired. */
export function portTotal(catalog, node, inputs) {
  const count = catalog.portCount(node.type, inputs.length);
  return Math.max(count, inputs.length ? Math.max(...inputs.map((e) => e.port)) + 1 : 0);
}

/** Where port `i` of `total` sits on a card, relative to the card's top-left. */
export function inputPortOffset(i, total) {
  return { x: (NODE_WIDTH * (i + 1)) / (total + 1), y: 0 };
}
