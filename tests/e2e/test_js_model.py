"""The front end's pure modules, run in the browser without the UI: the graph
model, serialisation to the graph contract, history and layout."""

from __future__ import annotations

import httpx
import pytest

pytestmark = pytest.mark.e2e

SCRIPT = """async (layers) => {
  const { Catalog } = await import('/static/js/model/catalog.js');
  const { Graph } = await import('/static/js/model/graph.js');
  const { toContract, fromContract, CorruptGraph } = await import('/static/js/model/serialize.js');
  const { History } = await import('/static/js/model/history.js');
  const { layeredLayout } = await import('/static/js/layout.js');
  const out = {};
  const g = new Graph(new Catalog(layers));
  let events = 0;
  g.on('change', () => { events += 1; });
  const x = g.addNode('Input', { shape: [4] });
  const a = g.addNode('Dense', { units: 8 });
  const b = g.addNode('Dense', { units: 8 });
  const add = g.addNode('Add', {});
  out.ids = [x, a, b, add];
  g.connect(x, a); g.connect(x, b);
  g.connect(a, add); g.connect(b, add);
  out.ports = g.inputsOf(add).map((e) => [e.source, e.port]);
  out.cycle = g.connect(add, x).ok || g.connect(add, a).ok;
  out.cycleReason = g.refuseReason(add, a);
  out.self = g.connect(a, a).ok;
  out.chainBefore = g.chainOrder();
  const contract = toContract(g);
  out.contractEdges = contract.edges;
  const back = fromContract(JSON.parse(JSON.stringify(contract)));
  const copy = new Graph(g.catalog);
  copy.load(back);
  out.roundTrip = JSON.stringify(toContract(copy)) === JSON.stringify(contract);
  g.disconnect(g.inputsOf(add)[0].id);
  out.compacted = g.inputsOf(add).map((e) => [e.source, e.port]);
  g.removeNodes([b, add]);
  out.chainAfter = g.chainOrder();
  out.events = events;
  const salvaged = fromContract({ nodes: [{ id: 'x', type: 'Input' }, { id: 'x', type: 'Dense' }, 7],
                                  edges: [{ source: 'x', target: 'nope' }] });
  out.salvaged = [salvaged.nodes.length, salvaged.edges.length, salvaged.problems.length];
  try { fromContract({ nodes: 'oops' }); out.corrupt = false; } catch (err) { out.corrupt = err instanceof CorruptGraph; }
  const seq = fromContract({ sequential: [{ type: 'Input', params: { shape: [2] } }, { type: 'Dense', params: { units: 1 } }] });
  out.sequential = [seq.nodes.length, seq.edges.length, seq.placed];
  const hist = new History();
  hist.record('s0', 'drag1', 0); hist.record('s1', 'drag1', 100); hist.record('s2', null, 200);
  out.undo = [hist.undo('s3'), hist.undo('s2'), hist.undo('s0'), hist.redo('s0')];
  const pos = layeredLayout([{ id: 'p', width: 200, height: 80 }, { id: 'q', width: 200, height: 80 }],
                            [{ source: 'p', target: 'q' }]);
  out.layout = pos.get('q').y > pos.get('p').y + 80;
  return out;
}"""


def test_graph_model_serialisation_history_layout(page, live_server):
    layers = httpx.get(f"{live_server.url}/api/layers", timeout=30).json()["layers"]
    page.goto("/")
    out = page.evaluate(SCRIPT, layers)
    assert out["ids"] == ["input_1", "dense_1", "dense_2", "add_1"]
    assert out["ports"] == [["dense_1", 0], ["dense_2", 1]]
    assert out["cycle"] is False and "cycle" in out["cycleReason"]
    assert out["self"] is False
    assert out["chainBefore"] is None
    assert {"source": "dense_2", "target": "add_1", "port": 1} in out["contractEdges"]
    assert {"source": "input_1", "target": "dense_1"} in out["contractEdges"]  # a lone wire needs no port
    assert out["roundTrip"] is True
    assert out["compacted"] == [["dense_2", 0]]  # merge inputs renumber from 0
    assert out["chainAfter"] == ["input_1", "dense_1"]
    assert out["salvaged"] == [1, 0, 3]
    assert out["corrupt"] is True
    assert out["sequential"] == [2, 1, False]
    assert out["undo"] == ["s2", "s0", None, "s2"]  # the two drag moves were one step
    assert out["layout"] is True
