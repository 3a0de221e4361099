// Graph model <-> the graph JSON contract of DESIGN.md. Positions travel in
// nodes[].ui; nothing else about the page is stored. Reading is defensive: a
// corrupt project is salvaged as far as possible and every problem reported.

import { NODE_ID_RE } from "./graph.js";

export class CorruptGraph extends Error {}

/** The contract as the API takes it. `withUi: false` leaves positions out. */
export function toContract(graph, { withUi = true } = {}) {
  const incoming = new Map();
  for (const e of graph.edges) incoming.set(e.target, (incoming.get(e.target) || 0) + 1);
  const nodes = [...graph.nodes.values()].map((n) => {
    const node = { id: n.id, type: n.type, params: structuredClone(n.params) };
    if (n.shares) node.shares = n.shares;
    if (withUi) node.ui = { x: n.x, y: n.y };
    return node;
  });
  const edges = graph.edges.map((e) => {
    const edge = { source: e.source, target: e.target };
    // A lone wire on port 0 needs no port; merge layers keep theirs explicit.
    if (e.port !== 0 || incoming.get(e.target) > 1) edge.port = e.port;
    return edge;
  });
  return { name: graph.name || "", nodes, edges };
}

const isPlainObject = (v) => v !== null && typeof v === "object" && !Array.isArray(v);

function expandSequential(layers, problems) {
  if (!Array.isArray(layers)) throw new CorruptGraph("'sequential' is not a list of layers.");
  const nodes = [];
  const edges = [];
  layers.forEach((layer, i) => {
    if (!isPlainObject(layer)) {
      problems.push(`Layer ${i + 1} of 'sequential' is not an object; it was dropped.`);
      return;
    }
    const id = layer.id || `${String(layer.type || "layer").toLowerCase()}_${i}`;
    if (nodes.length) edges.push({ source: nodes[nodes.length - 1].id, target: id });
    nodes.push({ ...layer, id });
  });
  return { nodes, edges };
}

/**
 * Contract JSON -> {name, nodes: [{id, type, params, shares, x, y, placed}],
 * edges: [{source, target, port}], problems: [string], placed: bool}.
 * Throws CorruptGraph when nothing sensible can be read.
 */
export function fromContract(data) {
  if (!isPlainObject(data)) throw new CorruptGraph("The saved graph is not a JSON object.");
  const problems = [];
  let rawNodes = data.nodes;
  let rawEdges = data.edges;
  if (data.sequential !== undefined) ({ nodes: rawNodes, edges: rawEdges } = expandSequential(data.sequential, problems));
  if (rawNodes === undefined) rawNodes = [];
  if (rawEdges === undefined) rawEdges = [];
  if (!Array.isArray(rawNodes)) throw new CorruptGraph("The saved graph's 'nodes' is not a list.");
  if (!Array.isArray(rawEdges)) {
    problems.push("The saved graph's 'edges' is not a list; the wires were dropped.");
    rawEdges = [];
  }

  const nodes = [];
  const ids = new Set();
  let placed = true;
  rawNodes.forEach((raw, i) => {
    if (!isPlainObject(raw) || typeof raw.id !== "string" || typeof raw.type !== "string") {
      problems.push(`Node ${i + 1} has no id or type; it was dropped.`);
      return;
    }
    if (!NODE_ID_RE.test(raw.id) || ids.has(raw.id)) {
      problems.push(`Node id '${String(raw.id).slice(0, 64)}' is invalid or repeated; that node was dropped.`);
      return;
    }
    let params = raw.params === undefined ? {} : raw.params;
    if (!isPlainObject(params)) {
      problems.push(`Node '${raw.id}' had unreadable params; they were reset.`);
      params = {};
    }
    const ui = isPlainObject(raw.ui) ? raw.ui : {};
    const hasPos = Number.isFinite(ui.x) && Number.isFinite(ui.y);
    if (!hasPos) placed = false;
    ids.add(raw.id);
    nodes.push({
      id: raw.id,
      type: raw.type.slice(0, 64),
      params,
      shares: typeof raw.shares === "string" ? raw.shares : null,
      x: hasPos ? ui.x : 0,
      y: hasPos ? ui.y : 0,
    });
  });
  for (const node of nodes) {
    if (node.shares && !ids.has(node.shares)) {
      problems.push(`Node '${node.id}' shared '${node.shares}', which is missing; it now has its own layer.`);
      node.shares = null;
    }
  }

  const edges = [];
  const nextPort = new Map();
  const taken = new Set();
  rawEdges.forEach((raw, i) => {
    if (!isPlainObject(raw) || !ids.has(raw.source) || !ids.has(raw.target)) {
      problems.push(`Wire ${i + 1} points at a missing layer; it was dropped.`);
      return;
    }
    let port = Number.isInteger(raw.port) && raw.port >= 0 ? raw.port : null;
    if (port === null || taken.has(`${raw.target}#${port}`)) {
      port = nextPort.get(raw.target) || 0;
      while (taken.has(`${raw.target}#${port}`)) port += 1;
    }
    taken.add(`${raw.target}#${port}`);
    nextPort.set(raw.target, Math.max(nextPort.get(raw.target) || 0, port + 1));
    edges.push({ source: raw.source, target: raw.target, port });
  });

  const name = typeof data.name === "string" ? data.name : "";
  return { name, nodes, edges, problems, placed };
}
