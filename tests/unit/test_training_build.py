"""build_model: the real Keras model of a graph (functional API, shared layers, names)."""

from __future__ import annotations

import numpy as np
import pytest

from app.errors import Invalid
from app.graph.spec import GraphSpec
from app.keras_bridge.build import build_model
from app.keras_bridge.catalog import build_catalog
from app.training.spec import TUTORIAL_GRAPH


@pytest.fixture(scope="module")
def catalog():
    return build_catalog()


def test_tutorial_model(catalog):
    model = build_model(GraphSpec.model_validate(TUTORIAL_GRAPH), catalog)
    assert [layer.name for layer in model.layers] == ["x", "h1", "h2", "y"]
    assert model.count_params() == 4673 and tuple(model.output.shape) == (None, 1)


def test_shared_layer_reuses_weights_and_inputs_keep_node_order(catalog):
    graph = GraphSpec.model_validate({
        "name": "siamese twins!",
        "nodes": [{"id": "right", "type": "Input", "params": {"shape": [4]}},
                  {"id": "left", "type": "Input", "params": {"shape": [4]}},
                  {"id": "enc", "type": "Dense", "params": {"units": 8}},
                  {"id": "enc2", "type": "Dense", "shares": "enc"},
                  {"id": "cat", "type": "Concatenate"},
                  {"id": "out", "type": "Dense", "params": {"units": 1}}],
        "edges": [{"source": "left", "target": "enc2"}, {"source": "right", "target": "enc"},
                  {"source": "enc", "target": "cat", "port": 1}, {"source": "enc2", "target": "cat", "port": 0},
                  {"source": "cat", "target": "out"}]})
    model = build_model(graph, catalog)
    assert [t.name for t in model.inputs] == ["right", "left"] and model.name == "siamese_twins"
    assert model.count_params() == (4 * 8 + 8) + (16 + 1)  # enc counted once
    shared = model.get_layer("enc")
    right = np.ones((1, 4), dtype="float32")
    left = np.zeros((1, 4), dtype="float32")
    both = np.asarray(model([right, left]))
    # port order: cat = [enc2(left), enc(right)] = [bias, W.1 + bias]
    kernel, bias = (np.asarray(w) for w in shared.weights)
    out_kernel, out_bias = (np.asarray(w) for w in model.get_layer("out").weights)
    expected = np.concatenate([bias[None], right @ kernel + bias], axis=-1) @ out_kernel + out_bias
    np.testing.assert_allclose(both, expected, rtol=1e-5)


def test_invalid_graph_raises_invalid_with_node(catalog):
    graph = GraphSpec.model_validate({"sequential": [{"id": "x", "type": "Input", "params": {"shape": [3]}},
                                                     {"id": "bad", "type": "Lambda"}]})
    with pytest.raises(Invalid) as info:
        build_model(graph, catalog)
    assert info.value.node == "bad" and "Lambda" in info.value.message


def test_shape_error_names_the_node(catalog):
    graph = GraphSpec.model_validate({"sequential": [{"id": "x", "type": "Input", "params": {"shape": [3]}},
                                                     {"id": "conv", "type": "Conv2D",
                                                      "params": {"filters": 2, "kernel_size": 3}}]})
    with pytest.raises(Invalid) as info:
        build_model(graph, catalog)
    assert info.value.node == "conv" and "conv" in info.value.message
