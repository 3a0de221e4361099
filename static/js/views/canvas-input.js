// Pointer, wheel and drop handling for the canvas: select, marquee-select,
// move, pan, zoom, draw wires (refusing cycles while drawing), pick up a
// wire by its input end, and drop layers from the palette.

import { wirePath } from "./wires.js";
import { NODE_WIDTH } from "./node-card.js";

export const LAYER_MIME = "application/x-neuralcanvas-layer";
const CLICK_SLOP = 4; // px a press may move and still count as a click

let gestureSeq = 0;

export function attachCanvasInput(view) {
  const root = view.root;
  let gesture = null;

  const hoverTarget = (clientX, clientY) => {
    const el = document.elementFromPoint(clientX, clientY);
    if (!el || !root.contains(el)) return null;
    const card = el.closest(".node");
    if (!card) return null;
    const port = el.closest(".port-in");
    return { id: card.dataset.nodeId, port: port ? Number(port.dataset.port) : null, card };
  };

  const clearDropMarks = () => {
    for (const el of root.querySelectorAll(".drop-ok, .drop-refused")) el.classList.remove("drop-ok", "drop-refused");
  };

  // ---- gestures ------------------------------------------------------------------

  function startWire(e, source, detachEdge = null) {
    const from = view.outPortPosition(source);
    gesture = { kind: "wire", source, detachEdge, from, target: null, refused: null };
    view.tempWire.toggleAttribute("hidden", false);
    view.tempWire.classList.remove("refused");
    moveWire(e);
  }

  function moveWire(e) {
    const p = view.screenToWorld(e.clientX, e.clientY);
    const g = gesture;
    clearDropMarks();
    const hit = hoverTarget(e.clientX, e.clientY);
    g.target = null;
    g.refused = null;
    let end = p;
    if (hit && hit.id !== undefined) {
      const reason = view.graph.refuseReason(g.source, hit.id);
      const port = hit.port !== null ? hit.port : view.graph.freePort(hit.id);
      g.target = { id: hit.id, port };
      g.refused = reason;
      hit.card.classList.add(reason ? "drop-refused" : "drop-ok");
      if (!reason && port !== null) end = view.inPortPosition(hit.id, port) || p;
    }
    view.tempWire.classList.toggle("refused", Boolean(g.refused));
    view.tempWire.setAttribute("d", wirePath(g.from.x, g.from.y, end.x, end.y));
    root.dataset.wireState = g.refused ? "refused" : g.target ? "ok" : "drawing";
  }

  function endWire(g) {
    view.tempWire.toggleAttribute("hidden", true);
    clearDropMarks();
    delete root.dataset.wireState;
    const graph = view.graph;
    if (g.target && g.refused) {
      view.deps.notify(`Connection refused. ${g.refused}`, "error");
      return;
    }
    graph.batch("connect", () => {
      if (g.detachEdge) graph.disconnect(g.detachEdge);
      if (g.target) {
        const result = graph.connect(g.source, g.target.id, g.target.port);
        if (!result.ok) view.deps.notify(`Connection refused. ${result.reason}`, "error");
      }
    });
  }

  function startMove(e, id) {
    const sel = view.selection;
    const additive = e.shiftKey || e.ctrlKey || e.metaKey;
    if (additive) sel.toggle(id);
    else if (!sel.has(id)) sel.set([id]);
    gestureSeq += 1;
    gesture = {
      kind: "move",
      id,
      additive,
      start: { x: e.clientX, y: e.clientY },
      last: view.screenToWorld(e.clientX, e.clientY),
      moved: false,
      key: `drag${gestureSeq}`,
    };
  }

  function startBackground(e) {
    if (e.shiftKey) {
      const p = view.screenToWorld(e.clientX, e.clientY);
      gesture = { kind: "marquee", origin: p, start: { x: e.clientX, y: e.clientY }, moved: false };
    } else {
      gesture = { kind: "pan", start: { x: e.clientX, y: e.clientY }, last: { x: e.clientX, y: e.clientY }, moved: false };
      root.classList.add("panning");
    }
  }

  // ---- pointer events -----------------------------------------------------------------

  root.addEventListener("pointerdown", (e) => {
    if (e.button !== 0 && e.button !== 1) return;
    if (e.target.closest(".canvas-toolbar, .minimap")) return;
    const card = e.target.closest(".node");
    if (e.button === 1) {
      startBackground({ shiftKey: false, clientX: e.clientX, clientY: e.clientY });
    } else if (e.target.closest(".port-out") && card) {
      startWire(e, card.dataset.nodeId);
    } else if (e.target.closest(".port-in") && card) {
      const port = Number(e.target.closest(".port-in").dataset.port);
      const edge = view.graph.edges.find((w) => w.target === card.dataset.nodeId && w.port === port);
      if (!edge) return;
      startWire(e, edge.source, edge.id); // pick the wire up by its input end
    } else if (card) {
      startMove(e, card.dataset.nodeId);
    } else if (e.target.closest(".wire")) {
      view.selection.setEdge(e.target.closest(".wire").dataset.edgeId);
      return;
    } else {
      startBackground(e);
    }
    root.setPointerCapture(e.pointerId);
    if (!card || !e.target.closest(".port")) root.focus({ preventScroll: true });
    e.preventDefault();
  });

  root.addEventListener("pointermove", (e) => {
    if (!gesture) return;
    const g = gesture;
    if (g.start && Math.hypot(e.clientX - g.start.x, e.clientY - g.start.y) > CLICK_SLOP) g.moved = true;
    if (g.kind === "wire") moveWire(e);
    else if (g.kind === "move" && g.moved) {
      const p = view.screenToWorld(e.clientX, e.clientY);
      const ids = [...view.selection.nodes];
      view.graph.moveNodes(ids, p.x - g.last.x, p.y - g.last.y, g.key);
      g.last = p;
    } else if (g.kind === "pan") {
      view.panBy(e.clientX - g.last.x, e.clientY - g.last.y);
      g.last = { x: e.clientX, y: e.clientY };
    } else if (g.kind === "marquee" && g.moved) {
      const p = view.screenToWorld(e.clientX, e.clientY);
      const box = { x1: Math.min(p.x, g.origin.x), y1: Math.min(p.y, g.origin.y), x2: Math.max(p.x, g.origin.x), y2: Math.max(p.y, g.origin.y) };
      g.box = box;
      const v = view.viewport;
      Object.assign(view.marquee.style, {
        left: `${box.x1 * v.k + v.x}px`,
        top: `${box.y1 * v.k + v.y}px`,
        width: `${(box.x2 - box.x1) * v.k}px`,
        height: `${(box.y2 - box.y1) * v.k}px`,
      });
      view.marquee.hidden = false;
    }
  });

  const finish = (e) => {
    if (!gesture) return;
    const g = gesture;
    gesture = null;
    root.classList.remove("panning");
    if (root.hasPointerCapture(e.pointerId)) root.releasePointerCapture(e.pointerId);
    if (g.kind === "wire") {
      if (e.type === "pointercancel") {
        view.tempWire.toggleAttribute("hidden", true);
        clearDropMarks();
        delete root.dataset.wireState;
      } else endWire(g);
    } else if (g.kind === "move" && !g.moved && !g.additive && view.selection.size > 1) {
      view.selection.set([g.id]);
    } else if (g.kind === "pan" && !g.moved) {
      view.selection.clear();
    } else if (g.kind === "marquee") {
      view.marquee.hidden = true;
      if (g.box) {
        const hits = [...view.graph.nodes.values()].filter((n) => {
          const { height } = view.nodeSize(n.id);
          return n.x < g.box.x2 && n.x + NODE_WIDTH > g.box.x1 && n.y < g.box.y2 && n.y + height > g.box.y1;
        }).map((n) => n.id);
        view.selection.set([...new Set([...view.selection.nodes, ...hits])]);
      }
    }
  };
  root.addEventListener("pointerup", finish);
  root.addEventListener("pointercancel", finish);

  root.addEventListener("wheel", (e) => {
    if (e.target.closest(".minimap")) return;
    e.preventDefault();
    const factor = Math.exp(-e.deltaY * (e.deltaMode === 1 ? 0.05 : 0.0015));
    view.zoomAt(factor, e.clientX, e.clientY);
  }, { passive: false });

  // Keyboard users: a focused card selects its node.
  root.addEventListener("focusin", (e) => {
    const card = e.target.closest && e.target.closest(".node");
    if (card && !view.selection.has(card.dataset.nodeId)) view.selection.set([card.dataset.nodeId]);
  });

  // ---- drops from the palette ------------------------------------------------------

  root.addEventListener("dragover", (e) => {
    if (![...e.dataTransfer.types].includes(LAYER_MIME)) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = "copy";
    root.classList.add("drop-target");
  });
  root.addEventListener("dragleave", (e) => {
    if (e.target === root) root.classList.remove("drop-target");
  });
  root.addEventListener("drop", (e) => {
    root.classList.remove("drop-target");
    const type = e.dataTransfer.getData(LAYER_MIME);
    if (!type) return;
    e.preventDefault();
    const p = view.screenToWorld(e.clientX, e.clientY);
    view.deps.onDropLayer(type, { x: p.x - NODE_WIDTH / 2, y: p.y - 24 });
  });
}
