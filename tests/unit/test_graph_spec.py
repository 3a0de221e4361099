"""The graph contract: strict parsing, the sequential shorthand, round trips."""

import pytest
from pydantic import ValidationError

from app.graph.spec import GraphSpec

SEED = {
    "name": "seed regression",
    "nodes": [
        {"id": "x", "type": "Input", "params": {"shape": [3]}},
        {"id": "h1", "type": "Dense", "params": {"units": 128, "activation": "relu"}, "ui": {"x": 10, "y": 20}},
        {"id": "y", "type": "Dense", "params": {"units": 1}},
    ],
    "edges": [{"source": "x", "target": "h1"}, {"source": "h1", "target": "y", "port": 0}],
    "outputs": ["y"],
}


def test_round_trip_is_lossless():
    graph = GraphSpec.from_dict(SEED)
    assert GraphSpec.from_dict(graph.to_dict()) == graph
    assert graph.to_dict()["nodes"][1]["ui"] == {"x": 10, "y": 20}
    assert graph.to_dict()["edges"][1]["port"] == 0


def test_sequential_shorthand_becomes_nodes_and_edges():
    graph = GraphSpec.model_validate({"sequential": [
        {"type": "Input", "params": {"shape": [3]}},
        {"type": "Dense", "params": {"units": 4}},
        {"id": "out", "type": "Dense", "params": {"units": 1}},
    ]})
    assert [n.type for n in graph.nodes] == ["Input", "Dense", "Dense"]
    assert graph.nodes[2].id == "out"
    assert [(e.source, e.target) for e in graph.edges] == [
        (graph.nodes[0].id, graph.nodes[1].id), (graph.nodes[1].id, "out")]
    assert len({n.id for n in graph.nodes}) == 3


@pytest.mark.parametrize("bad, field", [
    ({"nodes": [{"id": "x", "type": "Input", "colour": "red"}]}, "colour"),
    ({"nodes": [{"id": "x", "type": 5}]}, "type"),
    ({"nodes": [{"id": "x y", "type": "Input"}]}, "id"),
    ({"nodes": "nope"}, "nodes"),
    ({"edges": [{"source": "a"}]}, "target"),
    ({"edges": [{"source": "a", "target": "b", "port": -1}]}, "port"),
    ({"nodes": [], "extra": 1}, "extra"),
    ({"sequential": [{"type": "Dense", "bogus": 1}]}, "bogus"),
])
def test_strict_parsing_names_the_field(bad, field):
    with pytest.raises(ValidationError) as info:
        GraphSpec.model_validate(bad)
    assert field in str(info.value)


def test_sequential_and_nodes_together_is_rejected():
    with pytest.raises(ValidationError, match="either 'sequential' or 'nodes'"):
        GraphSpec.model_validate({"sequential": [], "nodes": [{"id": "a", "type": "Input"}]})
