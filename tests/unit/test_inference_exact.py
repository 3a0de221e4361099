"""Shapes and parameter counts from the summary equal Keras's own model.

Every test builds the same model directly with Keras (weights allocated) and
compares layer by layer, so a drift in either side fails here.
"""

from __future__ import annotations

import keras
import pytest

from app.graph.spec import GraphSpec
from app.graph.validate import GraphLimits
from app.keras_bridge.catalog import build_catalog
from app.keras_bridge.infer import Inferencer

L = keras.layers


@pytest.fixture(scope="module")
def inferencer():
    return Inferencer(build_catalog(), GraphLimits(max_params=10**9))


def shape(t):
    return [None if d is None else int(d) for d in t.shape]


def assert_matches(summary, model, mapping):
    """``mapping``: node id -> keras layer name in ``model``."""
    assert summary["valid"], summary["errors"]
    assert summary["total_params"] == model.count_params()
    trainable = sum(int(w.numpy().size) for w in model.trainable_weights)
    assert summary["trainable_params"] == trainable
    assert summary["non_trainable_params"] == model.count_params() - trainable
    for node_id, layer_name in mapping.items():
        layer = model.get_layer(layer_name)
        node = summary["nodes"][node_id]
        if node["shared_with"] is None:
            assert node["params"] == layer.count_params(), node_id
        outputs = keras.tree.flatten(layer.output) if not node["shared_with"] else None
        if outputs is not None:
            assert node["output_shapes"] == [shape(t) for t in outputs], node_id


def test_mlp_matches_keras(inferencer):
    graph = {"sequential": [
        {"id": "x", "type": "Input", "params": {"shape": [3]}},
        {"id": "h1", "type": "Dense", "params": {"units": 128, "activation": "relu"}},
        {"id": "h2", "type": "Dense", "params": {"units": 32, "activation": "relu"}},
        {"id": "y", "type": "Dense", "params": {"units": 1}},
    ]}
    summary = inferencer.summarize(GraphSpec.model_validate(graph))
    x = keras.Input((3,))
    y = L.Dense(1, name="y")(L.Dense(32, activation="relu", name="h2")(L.Dense(128, activation="relu", name="h1")(x)))
    assert_matches(summary, keras.Model(x, y), {"h1": "h1", "h2": "h2", "y": "y"})
    assert summary["kind"] == "sequential"
    assert summary["total_params"] == 4_673
    assert summary["weight_bytes"] == 4_673 * 4


def test_cnn_with_batchnorm_matches_keras(inferencer):
    graph = {"sequential": [
        {"id": "x", "type": "Input", "params": {"shape": [28, 28, 1]}},
        {"id": "c1", "type": "Conv2D", "params": {"filters": 16, "kernel_size": 3, "activation": "relu"}},
        {"id": "bn", "type": "BatchNormalization", "params": {}},
        {"id": "p1", "type": "MaxPooling2D", "params": {"pool_size": 2}},
        {"id": "c2", "type": "Conv2D", "params": {"filters": 32, "kernel_size": [5, 3], "padding": "same", "strides": 2}},
        {"id": "f", "type": "Flatten", "params": {}},
        {"id": "d", "type": "Dropout", "params": {"rate": 0.25}},
        {"id": "y", "type": "Dense", "params": {"units": 10, "activation": "softmax"}},
    ]}
    summary = inferencer.summarize(GraphSpec.model_validate(graph))
    x = keras.Input((28, 28, 1))
    h = L.Conv2D(16, 3, activation="relu", name="c1")(x)
    h = L.BatchNormalization(name="bn")(h)
    h = L.MaxPooling2D(2, name="p1")(h)
    h = L.Conv2D(32, (5, 3), padding="same", strides=2, name="c2")(h)
    h = L.Dropout(0.25, name="d")(L.Flatten(name="f")(h))
    y = L.Dense(10, activation="softmax", name="y")(h)
    model = keras.Model(x, y)
    assert_matches(summary, model, {k: k for k in ["c1", "bn", "p1", "c2", "f", "d", "y"]})
    assert summary["non_trainable_params"] == 32  # BatchNormalization's moving mean and variance


def test_lstm_stack_matches_keras(inferencer):
    graph = {"sequential": [
        {"id": "x", "type": "Input", "params": {"shape": [20]}},
        {"id": "e", "type": "Embedding", "params": {"input_dim": 500, "output_dim": 16}},
        {"id": "l1", "type": "LSTM", "params": {"units": 24, "return_sequences": True}},
        {"id": "g", "type": "GRU", "params": {"units": 12}},
        {"id": "y", "type": "Dense", "params": {"units": 1, "activation": "sigmoid"}},
    ]}
    summary = inferencer.summarize(GraphSpec.model_validate(graph))
    x = keras.Input((20,))
    h = L.LSTM(24, return_sequences=True, name="l1")(L.Embedding(500, 16, name="e")(x))
    y = L.Dense(1, activation="sigmoid", name="y")(L.GRU(12, name="g")(h))
    assert_matches(summary, keras.Model(x, y), {k: k for k in ["e", "l1", "g", "y"]})


def test_multi_input_concatenate_and_multi_output_match_keras(inferencer):
    graph = {
        "nodes": [
            {"id": "a", "type": "Input", "params": {"shape": [8]}},
            {"id": "b", "type": "Input", "params": {"shape": [5]}},
            {"id": "da", "type": "Dense", "params": {"units": 16, "activation": "relu"}},
            {"id": "cat", "type": "Concatenate", "params": {}},
            {"id": "reg", "type": "Dense", "params": {"units": 1}},
            {"id": "cls", "type": "Dense", "params": {"units": 3, "activation": "softmax"}},
        ],
        "edges": [{"source": "a", "target": "da"}, {"source": "b", "target": "cat", "port": 1},
                  {"source": "da", "target": "cat", "port": 0}, {"source": "cat", "target": "reg"},
                  {"source": "cat", "target": "cls"}],
    }
    summary = inferencer.summarize(GraphSpec.model_validate(graph))
    a, b = keras.Input((8,)), keras.Input((5,))
    cat = L.Concatenate(name="cat")([L.Dense(16, activation="relu", name="da")(a), b])
    model = keras.Model([a, b], [L.Dense(1, name="reg")(cat), L.Dense(3, activation="softmax", name="cls")(cat)])
    assert_matches(summary, model, {k: k for k in ["da", "cat", "reg", "cls"]})
    assert summary["nodes"]["cat"]["output_shapes"] == [[None, 21]]
    assert summary["outputs"] == ["reg", "cls"]
    assert summary["kind"] == "functional"


def test_residual_add_matches_keras(inferencer):
    graph = {
        "nodes": [
            {"id": "x", "type": "Input", "params": {"shape": [16, 16, 8]}},
            {"id": "c1", "type": "Conv2D", "params": {"filters": 8, "kernel_size": 3, "padding": "same", "activation": "relu"}},
            {"id": "c2", "type": "Conv2D", "params": {"filters": 8, "kernel_size": 3, "padding": "same"}},
            {"id": "add", "type": "Add", "params": {}},
            {"id": "act", "type": "Activation", "params": {"activation": "relu"}},
            {"id": "gap", "type": "GlobalAveragePooling2D", "params": {}},
            {"id": "y", "type": "Dense", "params": {"units": 2}},
        ],
        "edges": [{"source": "x", "target": "c1"}, {"source": "c1", "target": "c2"},
                  {"source": "c2", "target": "add"}, {"source": "x", "target": "add"},
                  {"source": "add", "target": "act"}, {"source": "act", "target": "gap"},
                  {"source": "gap", "target": "y"}],
    }
    summary = inferencer.summarize(GraphSpec.model_validate(graph))
    x = keras.Input((16, 16, 8))
    h = L.Conv2D(8, 3, padding="same", activation="relu", name="c1")(x)
    h = L.Add(name="add")([L.Conv2D(8, 3, padding="same", name="c2")(h), x])
    y = L.Dense(2, name="y")(L.GlobalAveragePooling2D(name="gap")(L.Activation("relu", name="act")(h)))
    assert_matches(summary, keras.Model(x, y), {k: k for k in ["c1", "c2", "add", "act", "gap", "y"]})


def test_shared_layer_counts_weights_once_like_keras(inferencer):
    graph = {
        "nodes": [
            {"id": "left", "type": "Input", "params": {"shape": [10]}},
            {"id": "right", "type": "Input", "params": {"shape": [10]}},
            {"id": "enc", "type": "Dense", "params": {"units": 6, "activation": "tanh"}},
            {"id": "enc2", "type": "Dense", "shares": "enc"},
            {"id": "diff", "type": "Subtract", "params": {}},
            {"id": "y", "type": "Dense", "params": {"units": 1, "activation": "sigmoid"}},
        ],
        "edges": [{"source": "left", "target": "enc"}, {"source": "right", "target": "enc2"},
                  {"source": "enc", "target": "diff", "port": 0}, {"source": "enc2", "target": "diff", "port": 1},
                  {"source": "diff", "target": "y"}],
    }
    summary = inferencer.summarize(GraphSpec.model_validate(graph))
    left, right = keras.Input((10,)), keras.Input((10,))
    enc = L.Dense(6, activation="tanh", name="enc")
    y = L.Dense(1, activation="sigmoid", name="y")(L.Subtract(name="diff")([enc(left), enc(right)]))
    model = keras.Model([left, right], y)
    assert_matches(summary, model, {"enc": "enc", "diff": "diff", "y": "y"})
    assert summary["nodes"]["enc2"]["shared_with"] == "enc"
    assert summary["nodes"]["enc2"]["output_shapes"] == [[None, 6]]
    assert summary["total_params"] == 66 + 7


def test_shared_layer_with_incompatible_input_is_an_error(inferencer):
    graph = {
        "nodes": [
            {"id": "a", "type": "Input", "params": {"shape": [10]}},
            {"id": "b", "type": "Input", "params": {"shape": [4]}},
            {"id": "enc", "type": "Dense", "params": {"units": 6}},
            {"id": "enc2", "type": "Dense", "shares": "enc"},
        ],
        "edges": [{"source": "a", "target": "enc"}, {"source": "b", "target": "enc2"}],
    }
    summary = inferencer.summarize(GraphSpec.model_validate(graph))
    assert not summary["valid"]
    assert [e["node"] for e in summary["errors"]] == ["enc2"]


def test_shape_error_sits_on_its_node_with_a_hint_and_does_not_cascade(inferencer):
    graph = {"sequential": [
        {"id": "x", "type": "Input", "params": {"shape": [28, 28]}},
        {"id": "c", "type": "Conv2D", "params": {"filters": 4, "kernel_size": 3}},
        {"id": "f", "type": "Flatten", "params": {}},
        {"id": "y", "type": "Dense", "params": {"units": 1}},
    ]}
    summary = inferencer.summarize(GraphSpec.model_validate(graph))
    assert [e["node"] for e in summary["errors"]] == ["c"]
    error = summary["errors"][0]
    assert "ndim=4" in error["message"] and "Reshape" in error["hint"]
    assert summary["nodes"]["c"]["error"] == error["message"]
    assert summary["nodes"]["f"]["output_shapes"] is None and summary["nodes"]["f"]["error"] is None
    assert summary["nodes"]["y"]["output_shapes"] is None


def test_dense_after_4d_tensor_gets_flatten_hint(inferencer):
    graph = {"sequential": [
        {"id": "x", "type": "Input", "params": {"shape": [8, 8, 3]}},
        {"id": "d", "type": "Dense", "params": {"units": 4}},
    ]}
    summary = inferencer.summarize(GraphSpec.model_validate(graph))
    assert summary["nodes"]["d"]["output_shapes"] == [[None, 8, 8, 4]]  # what Keras does
    [warning] = summary["warnings"]
    assert warning["node"] == "d" and "Flatten or GlobalAveragePooling2D before it" in warning["hint"]


def test_huge_graph_is_answered_without_weights_and_over_the_limit():
    inferencer = Inferencer(build_catalog(), GraphLimits(max_params=100_000_000))
    graph = {"sequential": [
        {"id": "x", "type": "Input", "params": {"shape": [100_000]}},
        {"id": "big", "type": "Dense", "params": {"units": 1_000_000}},
    ]}
    summary = inferencer.summarize(GraphSpec.model_validate(graph))
    assert summary["total_params"] == 100_000 * 1_000_000 + 1_000_000  # ~10^11, nothing allocated
    assert not summary["valid"]
    assert summary["errors"][-1]["node"] == "big" and "NC_MAX_PARAMS" in summary["errors"][-1]["message"]


def test_memoised_edit_reinfers_only_changed_nodes(inferencer):
    layers = [{"id": "x", "type": "Input", "params": {"shape": [32]}}] + [
        {"id": f"d{i}", "type": "Dense", "params": {"units": 32 + i}} for i in range(10)]
    inferencer.summarize(GraphSpec.model_validate({"sequential": layers}))
    layers[10]["params"]["units"] = 7  # edit the last node only
    before = inferencer.cache_misses
    summary = inferencer.summarize(GraphSpec.model_validate({"sequential": layers}))
    assert inferencer.cache_misses - before == 1
    assert summary["nodes"]["d9"]["output_shapes"] == [[None, 7]]


@pytest.mark.parametrize("layers, message, hint", [
    ([{"id": "c", "type": "LSTM", "params": {"units": 4}}], "expected ndim=3, found ndim=2", "Embedding"),
    ([{"id": "c", "type": "Reshape", "params": {"target_shape": [4, 2]}}], "total size", "6 values per sample"),
    ([{"id": "c", "type": "Reshape", "params": {"target_shape": [1, 1, 6]}},
      {"id": "p", "type": "Conv2D", "params": {"filters": 1, "kernel_size": 3}}], "negative", "padding='same'"),
])
def test_keras_errors_become_node_messages_with_hints(inferencer, layers, message, hint):
    graph = {"sequential": [{"id": "x", "type": "Input", "params": {"shape": [6]}}] + layers}
    summary = inferencer.summarize(GraphSpec.model_validate(graph))
    error = summary["errors"][0]
    assert error["node"] == layers[-1]["id"]
    assert message in error["message"] and hint in error["hint"]
    assert "__node__" not in error["message"] and "\x1b" not in error["message"]


def test_a_sharing_node_never_builds_its_owners_rejected_params(inferencer, monkeypatch):
    from keras.src.saving import serialization_lib

    calls = []
    original = serialization_lib.deserialize_keras_object
    monkeypatch.setattr(serialization_lib, "deserialize_keras_object",
                        lambda config, *a, **k: calls.append(config) or original(config, *a, **k))
    graph = {"nodes": [
        {"id": "b", "type": "Dense", "shares": "a"},  # before its owner on purpose
        {"id": "x", "type": "Input", "params": {"shape": [3]}},
        {"id": "a", "type": "Dense", "params": {"units": 2, "kernel_initializer": {"class_name": "Ones", "config": {}}}},
    ], "edges": [{"source": "x", "target": "a"}, {"source": "x", "target": "b"}]}
    summary = inferencer.summarize(GraphSpec.model_validate(graph))
    assert not summary["valid"]
    assert summary["nodes"]["b"]["output_shapes"] is None
    assert not [c for c in calls if isinstance(c, dict)], calls


def test_layer_kwargs_refuse_objects_even_if_validation_were_bypassed():
    from app.keras_bridge.layers import layer_kwargs

    spec = build_catalog().get("Dense")
    with pytest.raises(ValueError, match="plain value"):
        layer_kwargs(spec, {"units": 2, "kernel_initializer": {"class_name": "Ones", "config": {}}})


def test_huge_intermediate_activations_are_an_error_on_their_node(inferencer):
    graph = {"sequential": [
        {"id": "x", "type": "Input", "params": {"shape": [3]}},
        {"id": "r", "type": "RepeatVector", "params": {"n": 10_000_000}},
        {"id": "g", "type": "GlobalAveragePooling1D"},
        {"id": "y", "type": "Dense", "params": {"units": 1}},
    ]}
    summary = inferencer.summarize(GraphSpec.model_validate(graph))
    assert not summary["valid"]
    [error] = summary["errors"]
    assert error["node"] == "r" and "NC_MAX_ACTIVATION_ELEMENTS" in error["message"]
    assert summary["nodes"]["r"]["output_shapes"] == [[None, 10_000_000, 3]]
    assert summary["nodes"]["y"]["output_shapes"] is None
