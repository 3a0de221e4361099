"""Importing Keras configs: real architectures come back exact; hostile ones are refused."""

from __future__ import annotations

import json

import keras
import pytest
from keras.src.backend.common import global_state

from app.errors import Invalid
from app.graph.keras_import import import_keras_json
from app.graph.validate import GraphLimits
from app.keras_bridge.catalog import build_catalog
from app.keras_bridge.infer import Inferencer


@pytest.fixture(scope="module")
def catalog():
    return build_catalog()


@pytest.mark.parametrize("factory, kwargs", [
    (keras.applications.ResNet50, {}),
    (keras.applications.MobileNetV2, {"input_shape": (96, 96, 3)}),
    (keras.applications.EfficientNetB0, {"input_shape": (64, 64, 3)}),
])
def test_applications_import_with_exact_counts(catalog, factory, kwargs):
    model = factory(weights=None, **kwargs)
    graph, warnings = import_keras_json(model.to_json(), catalog)
    summary = Inferencer(catalog, GraphLimits(max_params=10**9)).summarize(graph)
    assert summary["valid"], summary["errors"][:3]
    assert summary["total_params"] == model.count_params()
    trainable = sum(int(w.numpy().size) for w in model.trainable_weights)
    assert summary["trainable_params"] == trainable
    for layer in model.layers[1:]:
        node = summary["nodes"][layer.name]
        assert node["output_shapes"][0] == list(layer.output.shape), layer.name
    keras.backend.clear_session()


def test_sequential_config_imports_as_chain(catalog):
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(8, activation="relu"), keras.layers.Dense(2)])
    graph, _ = import_keras_json(model.to_json(), catalog)
    assert [n.type for n in graph.nodes] == ["Input", "Dense", "Dense"]
    summary = Inferencer(catalog, GraphLimits()).summarize(graph)
    assert summary["kind"] == "sequential" and summary["total_params"] == model.count_params()


def test_shared_layer_imports_as_shares(catalog):
    a, b = keras.Input((5,), name="a"), keras.Input((5,), name="b")
    enc = keras.layers.Dense(3, name="enc")
    model = keras.Model([a, b], keras.layers.Add(name="add")([enc(a), enc(b)]))
    graph, _ = import_keras_json(model.to_json(), catalog)
    shared = [n for n in graph.nodes if n.shares]
    assert [(n.shares, n.type) for n in shared] == [("enc", "Dense")]
    summary = Inferencer(catalog, GraphLimits()).summarize(graph)
    assert summary["valid"] and summary["total_params"] == model.count_params()


def test_lambda_config_is_refused_without_running_it(catalog):
    hostile = {"class_name": "Sequential", "config": {"name": "evil", "layers": [
        {"class_name": "InputLayer", "config": {"batch_shape": [None, 2], "name": "in"}},
        {"class_name": "Lambda", "config": {"function": {"class_name": "__lambda__",
                                                          "config": {"code": "os.system('touch /tmp/pwned')"}}}},
    ]}}
    with pytest.raises(Invalid, match="does not offer"):
        import_keras_json(json.dumps(hostile), catalog)


@pytest.mark.parametrize("text", ["not json", "[]", '{"class_name": "Sequential"}',
                                  '{"class_name": "Subclassed", "config": {"layers": []}}'])
def test_garbage_configs_are_invalid(catalog, text):
    with pytest.raises(Invalid):
        import_keras_json(text, catalog)


def test_unknown_parameters_are_dropped_not_passed_to_keras(catalog):
    config = {"class_name": "Sequential", "config": {"name": "m", "layers": [
        {"class_name": "InputLayer", "config": {"batch_shape": [None, 2]}},
        {"class_name": "Dense", "config": {"units": 3, "kernel_initializer": {"class_name": "Evil", "config": {}},
                                           "__import__": "os"}},
    ]}}
    graph, warnings = import_keras_json(config, catalog)
    assert graph.nodes[1].params == {"units": 3}
    assert any("kernel_initializer" in w for w in warnings)


def test_summaries_leave_no_keras_state_behind(catalog):
    inferencer = Inferencer(catalog, GraphLimits())
    graph = import_keras_json(keras.Sequential([keras.Input((4,)), keras.layers.Dense(8)]).to_json(), catalog)[0]
    for units in range(1, 50):
        graph.nodes[1].params["units"] = units
        inferencer.summarize(graph)
    assert not global_state.get_global_attribute("uninitialized_variables")


@pytest.mark.parametrize("layers", [
    [{"class_name": "InputLayer", "config": {"batch_shape": 5}}],
    [{"class_name": "InputLayer", "config": {"shape": 5}}],
    [{"class_name": "Dense", "config": {"units": 1}, "inbound_nodes": 5}],
    [{"class_name": "Dense", "config": {"units": 1},
      "inbound_nodes": [{"args": [{"class_name": "__keras_tensor__", "config": {"keras_history": [[1], 1, 0]}}]}]}],
    [{"class_name": "Dense", "config": {"units": 1},
      "inbound_nodes": [{"args": [{"class_name": "__keras_tensor__", "config": [1]}]}]}],
    [{"class_name": "Dense", "config": {"units": 1}, "inbound_nodes": [{"args": [], "kwargs": [1]}]}],
])
def test_malformed_structures_are_invalid_not_crashes(catalog, layers):
    config = {"class_name": "Functional", "config": {"name": "m", "layers": layers, "output_layers": {"a": 1}}}
    with pytest.raises(Invalid):
        import_keras_json(config, catalog)


def test_many_colliding_layer_names_import_quickly_or_hit_the_bound(catalog):
    import time

    layers = [{"class_name": "InputLayer", "name": "in", "config": {"batch_shape": [None, 2]}}] + [
        {"class_name": "Dense", "name": "a" * 56 + str(i), "config": {"units": 1}, "inbound_nodes": [
            {"args": [{"class_name": "__keras_tensor__", "config": {"keras_history": ["in", 0, 0]}}]}]}
        for i in range(999)]
    config = {"class_name": "Functional", "config": {"name": "m", "layers": layers, "output_layers": []}}
    start = time.perf_counter()
    graph, _ = import_keras_json(config, catalog)
    assert len({n.id for n in graph.nodes}) == 1000
    assert time.perf_counter() - start < 5
    config["config"]["layers"] = layers * 2
    with pytest.raises(Invalid, match="at most 1,000 layers"):
        import_keras_json(config, catalog)


def test_attention_inputs_given_by_keyword_keep_their_ports(catalog):
    q, v, k = (keras.Input((4, 8), name=n) for n in ("q", "v", "k"))
    out = keras.layers.MultiHeadAttention(num_heads=2, key_dim=4, name="mha")(q, key=k, value=v)
    model = keras.Model([q, v, k], out)
    graph, _ = import_keras_json(model.to_json(), catalog)
    ports = sorted((e.port, e.source) for e in graph.edges if e.target == "mha")
    assert ports == [(0, "q"), (1, "v"), (2, "k")]
    summary = Inferencer(catalog, GraphLimits()).summarize(graph)
    assert summary["valid"] and summary["total_params"] == model.count_params()
