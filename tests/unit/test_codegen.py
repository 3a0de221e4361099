"""Exported Python runs and builds the model the summary described."""

from __future__ import annotations

import keras
import pytest

from app.graph.codegen import graph_to_python
from app.graph.keras_import import import_keras_json
from app.graph.spec import GraphSpec
from app.graph.validate import GraphLimits
from app.keras_bridge.catalog import build_catalog
from app.keras_bridge.infer import Inferencer

GRAPHS = {
    "mlp": {"name": "seed regression", "sequential": [
        {"id": "x", "type": "Input", "params": {"shape": [3]}},
        {"id": "h1", "type": "Dense", "params": {"units": 128, "activation": "relu"}},
        {"id": "y", "type": "Dense", "params": {"units": 1}}]},
    "shared": {"name": "siamese", "nodes": [
        {"id": "left", "type": "Input", "params": {"shape": [10]}},
        {"id": "right", "type": "Input", "params": {"shape": [10]}},
        {"id": "enc", "type": "Dense", "params": {"units": 6}},
        {"id": "enc2", "type": "Dense", "shares": "enc"},
        {"id": "model", "type": "Concatenate", "params": {"axis": -1}},
        {"id": "out-1", "type": "Dense", "params": {"units": 1}}],
        "edges": [{"source": "left", "target": "enc"}, {"source": "right", "target": "enc2"},
                  {"source": "enc", "target": "model"}, {"source": "enc2", "target": "model"},
                  {"source": "model", "target": "out-1"}]},
    "sharer_first": {"name": "sharer first", "nodes": [
        {"id": "x", "type": "Input", "params": {"shape": [4]}},
        {"id": "b", "type": "Dense", "shares": "a"},
        {"id": "a", "type": "Dense", "params": {"units": 4}},
        {"id": "c", "type": "Add"}],
        "edges": [{"source": "x", "target": "b"}, {"source": "x", "target": "a"},
                  {"source": "a", "target": "c"}, {"source": "b", "target": "c"}]},
    "conv": {"name": "cnn", "sequential": [
        {"id": "x", "type": "Input", "params": {"shape": [8, 8, 1]}},
        {"id": "c", "type": "Conv2D", "params": {"filters": 4, "kernel_size": [3, 3], "padding": "same"}},
        {"id": "f", "type": "Flatten"}, {"id": "y", "type": "Dense", "params": {"units": 10}}]},
}


@pytest.fixture(scope="module")
def inferencer():
    return Inferencer(build_catalog(), GraphLimits())


@pytest.mark.parametrize("name", sorted(GRAPHS))
def test_generated_code_builds_the_same_model(inferencer, name):
    graph = GraphSpec.model_validate(GRAPHS[name])
    source = graph_to_python(graph)
    namespace: dict = {}
    exec(compile(source, f"<{name}>", "exec"), namespace)  # our own generated code, not user input
    model = namespace["model"]
    summary = inferencer.summarize(graph)
    assert summary["valid"]
    assert model.count_params() == summary["total_params"]
    if summary["kind"] == "sequential":
        assert "keras.Sequential" in source
    # graph -> code -> model -> config -> graph gives the same summary again
    again, _ = import_keras_json(model.to_json(), inferencer.catalog)
    assert inferencer.summarize(again)["total_params"] == summary["total_params"]
    keras.backend.clear_session()
