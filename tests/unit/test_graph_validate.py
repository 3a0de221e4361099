"""Structural validation against a small hand-made catalog (no Keras needed)."""

import pytest

from app.graph.catalog import BOOL, CHOICE, INT, SHAPE, Catalog, LayerSpec, ParamSpec, check_param
from app.graph.spec import GraphSpec
from app.graph.validate import GraphLimits, GraphTooLarge, validate_graph

CATALOG = Catalog([
    LayerSpec("Input", "core", "", [ParamSpec("shape", SHAPE, required=True)], 0, 0),
    LayerSpec("Dense", "core", "", [
        ParamSpec("units", INT, required=True, min=1),
        ParamSpec("activation", CHOICE, default=None, nullable=True, choices=["relu", "softmax"]),
        ParamSpec("use_bias", BOOL, default=True),
    ]),
    LayerSpec("Flatten", "reshaping", ""),
    LayerSpec("Add", "merging", "", [], 2, None, call="list"),
])
LIMITS = GraphLimits(max_nodes=50, max_edges=100, max_dim=1000)


def check(graph: dict):
    return validate_graph(GraphSpec.model_validate(graph), CATALOG, LIMITS)


def messages_for(result, node):
    return [e.message for e in result.errors if e.node == node]


def chain(*layers):
    return {"sequential": list(layers)}


INPUT = {"id": "x", "type": "Input", "params": {"shape": [3]}}


def test_valid_chain_is_sequential():
    result = check(chain(INPUT, {"id": "d", "type": "Dense", "params": {"units": 2}}))
    assert result.errors == []
    assert result.kind == "sequential"
    assert result.order == ["x", "d"]
    assert result.outputs == ["d"]


def test_unknown_type_suggests_the_close_name():
    result = check(chain(INPUT, {"id": "d", "type": "Dens", "params": {}}))
    [issue] = result.errors
    assert issue.node == "d" and "Unknown layer type" in issue.message and "Dense" in issue.hint


def test_lambda_is_refused_with_a_reason():
    result = check(chain(INPUT, {"id": "l", "type": "Lambda", "params": {}}))
    assert "arbitrary Python code" in messages_for(result, "l")[0]


@pytest.mark.parametrize("params, fragment", [
    ({"units": 2, "unit": 3}, "no parameter 'unit'"),
    ({"units": "two"}, "must be an integer"),
    ({"units": True}, "must be an integer"),
    ({"units": 0}, "at least 1"),
    ({"units": 10**12}, "at most 1,000"),
    ({"units": 2, "activation": "rellu"}, "must be one of"),
    ({"units": 2, "use_bias": "yes"}, "true or false"),
    ({}, "needs 'units'"),
])
def test_parameter_problems_name_the_node(params, fragment):
    result = check(chain(INPUT, {"id": "d", "type": "Dense", "params": params}))
    assert any(fragment in m for m in messages_for(result, "d")), result.errors
    assert "d" in result.broken


def test_arity_rules():
    graph = {"nodes": [INPUT, {"id": "a", "type": "Add"}, {"id": "d", "type": "Dense", "params": {"units": 1}},
                       {"id": "lonely", "type": "Dense", "params": {"units": 1}}],
             "edges": [{"source": "x", "target": "a"}, {"source": "x", "target": "d"}, {"source": "a", "target": "d"}]}
    result = check(graph)
    assert "at least 2 inputs" in messages_for(result, "a")[0]
    assert "exactly 1 input" in messages_for(result, "d")[0]
    assert "it has 0" in messages_for(result, "lonely")[0]


def test_input_takes_no_inputs():
    graph = {"nodes": [INPUT, {"id": "x2", "type": "Input", "params": {"shape": [3]}}],
             "edges": [{"source": "x", "target": "x2"}]}
    assert "takes no inputs" in messages_for(check(graph), "x2")[0]


def test_dangling_edges_duplicates_missing_input_and_bad_outputs():
    graph = {"nodes": [{"id": "d", "type": "Dense", "params": {"units": 1}},
                       {"id": "d", "type": "Flatten"}],
             "edges": [{"source": "ghost", "target": "d"}], "outputs": ["nowhere"]}
    result = check(graph)
    text = " | ".join(e.message for e in result.errors)
    assert "used more than once" in text
    assert "'ghost', which is not a node" in text
    assert "no Input node" in text
    assert "Output 'nowhere' is not a node" in text


def test_cycle_names_its_nodes():
    graph = {"nodes": [INPUT, {"id": "a", "type": "Add"}, {"id": "b", "type": "Dense", "params": {"units": 3}},
                       {"id": "c", "type": "Dense", "params": {"units": 3}}],
             "edges": [{"source": "x", "target": "a"}, {"source": "c", "target": "a"},
                       {"source": "a", "target": "b"}, {"source": "b", "target": "c"}]}
    result = check(graph)
    cyclic = {e.node for e in result.errors if e.message.startswith("Cycle")}
    assert cyclic == {"a", "b", "c"}
    assert "a -> b -> c -> a" in messages_for(result, "a")[0]
    assert result.kind == "functional"


def test_shares_must_point_at_same_type():
    graph = {"nodes": [INPUT, {"id": "d", "type": "Dense", "params": {"units": 3}},
                       {"id": "f", "type": "Flatten", "shares": "d"},
                       {"id": "g", "type": "Dense", "shares": "nope"}],
             "edges": [{"source": "x", "target": "d"}, {"source": "x", "target": "f"}, {"source": "x", "target": "g"}]}
    result = check(graph)
    assert "shares the layer of 'd', a Dense" in messages_for(result, "f")[0]
    assert "not a node" in messages_for(result, "g")[0]


def test_ports_order_inputs_and_duplicates_are_errors():
    graph = {"nodes": [INPUT, {"id": "y", "type": "Input", "params": {"shape": [3]}}, {"id": "a", "type": "Add"}],
             "edges": [{"source": "x", "target": "a", "port": 1}, {"source": "y", "target": "a", "port": 0}]}
    assert check(graph).inputs_of["a"] == ["y", "x"]
    graph["edges"][1]["port"] = 1
    assert "port 1" in messages_for(check(graph), "a")[0]


def test_size_limits_raise_before_validation():
    nodes = [{"id": f"n{i}", "type": "Flatten"} for i in range(51)]
    with pytest.raises(GraphTooLarge, match="at most 50 nodes"):
        check({"nodes": nodes})


def test_check_param_accepts_defaults_and_rejects_garbage():
    spec = ParamSpec("shape", SHAPE, required=True)
    assert check_param(spec, [28, 28, 1]) is None
    assert check_param(spec, [None, 4]) is None
    assert "positive" in check_param(spec, [0])
    assert "Received: shape=" in check_param(spec, "big")
