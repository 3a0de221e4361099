// Tidy layered layout of the graph, from the vendored dagre (static/vendor/).
// Input: node sizes and wires; output: top-left positions. No DOM.

import dagre from "../vendor/dagre/dagre.esm.js";

/**
 * @param {{id: string, width: number, height: number}[]} nodes
 * @param {{source: string, target: string, port?: number}[]} edges
 * @returns {Map<string, {x: number, y: number}>} top-left corners
 */
export function layeredLayout(nodes, edges, { direction = "TB", nodeGap = 48, rankGap = 64, origin = { x: 40, y: 40 } } = {}) {
  const g = new dagre.graphlib.Graph({ multigraph: true });
  g.setGraph({ rankdir: direction, nodesep: nodeGap, ranksep: rankGap, marginx: 0, marginy: 0 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const n of nodes) g.setNode(n.id, { width: n.width, height: n.height });
  // Wires into lower ports first, so merge inputs keep their left-to-right order.
  const sorted = edges.slice().sort((a, b) => (a.port ?? 0) - (b.port ?? 0));
  sorted.forEach((e, i) => {
    if (g.hasNode(e.source) && g.hasNode(e.target)) g.setEdge(e.source, e.target, { weight: 1 }, `w${i}`);
  });
  dagre.layout(g);
  const positions = new Map();
  for (const n of nodes) {
    const laid = g.node(n.id);
    positions.set(n.id, {
      x: Math.round(origin.x + laid.x - n.width / 2),
      y: Math.round(origin.y + laid.y - n.height / 2),
    });
  }
  orderMergeInputs(positions, edges);
  return positions;
}

/** Put the sources of a merge layer left to right in port order when they share a row. */
function orderMergeInputs(positions, edges) {
  const byTarget = new Map();
  for (const e of edges) {
    if (!byTarget.has(e.target)) byTarget.set(e.target, []);
    byTarget.get(e.target).push(e);
  }
  for (const wires of byTarget.values()) {
    if (wires.length < 2) continue;
    const sources = [...new Set(wires.sort((a, b) => (a.port ?? 0) - (b.port ?? 0)).map((e) => e.source))];
    const spots = sources.map((id) => positions.get(id)).filter(Boolean);
    if (spots.length !== sources.length || !spots.every((p) => p.y === spots[0].y)) continue;
    const xs = spots.map((p) => p.x).sort((a, b) => a - b);
    sources.forEach((id, i) => {
      positions.get(id).x = xs[i];
    });
  }
}
