"""Compile checks on graph summaries and dataset descriptions (pure Python, no Keras)."""

from __future__ import annotations

import pytest

from app.graph.spec import GraphSpec
from app.training.checks import (CompileCheckFailed, DataInfo, adapt_shape, check_run, output_activation,
                                 raise_for_errors, _Ctx)

TUTORIAL = DataInfo(name="Tutorial regression", task="regression", n_rows=150, x_shape=(3,), y_shape=(),
                    y_min=-4.0, y_max=9.0)
IRIS = DataInfo(name="Iris", task="classification", n_rows=150, x_shape=(4,), y_shape=(), n_classes=3,
                label_encoding="integer")
IRIS_ONEHOT = DataInfo(name="Iris", task="classification", n_rows=150, x_shape=(4,), y_shape=(3,), n_classes=3,
                       label_encoding="onehot")
CIRCLE = DataInfo(name="Circle", task="classification", n_rows=500, x_shape=(2,), y_shape=(), n_classes=2,
                  label_encoding="integer")
DIGITS = DataInfo(name="Digits", task="classification", n_rows=1797, x_shape=(8, 8, 1), y_shape=(), n_classes=10,
                  label_encoding="integer")


def chain(in_shape, *layers):
    """A sequential graph plus the summary the shapes would give (Dense only)."""
    nodes = [{"id": "x", "type": "Input", "params": {"shape": list(in_shape)}}]
    shapes = {"x": [[None, *in_shape]]}
    for i, params in enumerate(layers):
        node_id = "y" if i == len(layers) - 1 else f"h{i}"
        layer_type = params.pop("type", "Dense")
        nodes.append({"id": node_id, "type": layer_type, "params": params})
        if layer_type == "Dense":
            shapes[node_id] = [[None, params["units"]]]
        else:
            shapes[node_id] = shapes[nodes[-2]["id"]]
    graph = GraphSpec.model_validate({"sequential": nodes})
    summary = {"valid": True, "outputs": ["y"], "nodes": {k: {"output_shapes": v} for k, v in shapes.items()}}
    return graph, summary


def errors(issues):
    return [issue for issue in issues if issue.level == "error"]


def test_tutorial_model_passes():
    graph, summary = chain((3,), {"units": 128, "activation": "relu"}, {"units": 32, "activation": "relu"},
                           {"units": 1})
    assert check_run(graph, summary, TUTORIAL, loss="mean_squared_error") == []


def test_input_shape_against_features_names_the_node_and_field():
    graph, summary = chain((4,), {"units": 1})
    [issue] = check_run(graph, summary, TUTORIAL, loss="mean_squared_error")
    assert issue.node == "x" and issue.field == "graph.nodes[x].params.shape"
    assert "(4,)" in issue.message and "(3,)" in issue.message and "3 features" in issue.message
    assert "[3]" in issue.hint


def test_output_shape_against_target_is_the_tutorials_bug():
    graph, summary = chain((3,), {"units": 128, "activation": "relu"}, {"units": 32})
    [issue] = check_run(graph, summary, TUTORIAL, loss="mean_squared_error")
    assert issue.node == "y" and issue.field == "graph.nodes[y].params.units"
    assert "(32,)" in issue.message and "1 value per sample" in issue.message
    assert "Set units of 'y' to 1" in issue.hint


def test_integer_labels_with_categorical_crossentropy():
    graph, summary = chain((4,), {"units": 3, "activation": "softmax"})
    [issue] = check_run(graph, summary, IRIS, loss="categorical_crossentropy")
    assert issue.field == "compile.loss"
    assert "one-hot" in issue.message and "integer labels (0 to 2)" in issue.message
    assert "sparse_categorical_crossentropy" in issue.hint


def test_onehot_labels_with_sparse_loss():
    graph, summary = chain((4,), {"units": 3, "activation": "softmax"})
    [issue] = check_run(graph, summary, IRIS_ONEHOT, loss="sparse_categorical_crossentropy")
    assert issue.field == "compile.loss" and "one-hot" in issue.message
    assert "categorical_crossentropy" in issue.hint
    assert check_run(graph, summary, IRIS_ONEHOT, loss="categorical_crossentropy") == []


def test_binary_loss_on_three_classes():
    graph, summary = chain((4,), {"units": 1, "activation": "sigmoid"})
    [issue] = check_run(graph, summary, IRIS, loss="binary_crossentropy")
    assert issue.field == "compile.loss" and "two classes" in issue.message and "has 3" in issue.message


def test_units_must_match_classes_for_sparse_loss():
    graph, summary = chain((4,), {"units": 2, "activation": "softmax"})
    [issue] = check_run(graph, summary, IRIS, loss="sparse_categorical_crossentropy")
    assert issue.node == "y" and "3 values per sample" in issue.message and "Set units of 'y' to 3" in issue.hint


@pytest.mark.parametrize("activation, loss, data, units, expect", [
    (None, "sparse_categorical_crossentropy", IRIS, 3, "raw scores"),
    ("sigmoid", "sparse_categorical_crossentropy", IRIS, 3, "sum to 1"),
    ("relu", "sparse_categorical_crossentropy", IRIS, 3, "relu values"),
    ("softmax", "binary_crossentropy", CIRCLE, 1, "always outputs 1.0"),
    (None, "binary_crossentropy", CIRCLE, 1, "between 0 and 1"),
])
def test_activation_against_loss(activation, loss, data, units, expect):
    params = {"units": units} | ({"activation": activation} if activation else {})
    graph, summary = chain(data.x_shape, params)
    [issue] = check_run(graph, summary, data, loss=loss)
    assert expect in issue.message and issue.node == "y"
    assert issue.field == "graph.nodes[y].params.activation"


def test_from_logits_wants_raw_scores():
    graph, summary = chain((4,), {"units": 3, "activation": "softmax"})
    [issue] = check_run(graph, summary, IRIS, loss="sparse_categorical_crossentropy", from_logits=True)
    assert "from_logits" in issue.message
    graph, summary = chain((4,), {"units": 3})
    assert check_run(graph, summary, IRIS, loss="sparse_categorical_crossentropy", from_logits=True) == []


def test_separate_softmax_layer_counts_as_the_output_activation():
    graph, summary = chain((4,), {"units": 3}, {"type": "Softmax"})
    assert check_run(graph, summary, IRIS, loss="sparse_categorical_crossentropy") == []
    graph, summary = chain((4,), {"units": 3, "activation": "softmax"}, {"type": "Dropout", "rate": 0.1})
    assert check_run(graph, summary, IRIS, loss="sparse_categorical_crossentropy") == []


def test_squashing_activation_on_regression_target():
    graph, summary = chain((3,), {"units": 1, "activation": "sigmoid"})
    [issue] = check_run(graph, summary, TUTORIAL, loss="mean_squared_error")
    assert "between 0 and 1" in issue.message and "-4 to 9" in issue.message
    graph, summary = chain((3,), {"units": 1, "activation": "softmax"})
    [issue] = check_run(graph, summary, TUTORIAL, loss="mean_squared_error")
    assert "softmax" in issue.message


def test_crossentropy_on_a_continuous_target():
    graph, summary = chain((3,), {"units": 1, "activation": "sigmoid"})
    [issue] = check_run(graph, summary, TUTORIAL, loss="binary_crossentropy")
    assert issue.field == "compile.loss" and "continuous target" in issue.message


def test_mse_on_two_classes_is_a_warning_only():
    graph, summary = chain((2,), {"units": 1, "activation": "sigmoid"})
    issues = check_run(graph, summary, CIRCLE, loss="mean_squared_error")
    assert issues and not errors(issues)
    assert raise_for_errors(issues) == issues


def test_mse_on_many_classes_is_an_error():
    graph, summary = chain((4,), {"units": 1})
    [issue] = check_run(graph, summary, IRIS, loss="mean_squared_error")
    assert issue.level == "error" and "3 class ids" in issue.message


def test_several_inputs_or_outputs():
    graph = GraphSpec.model_validate({
        "nodes": [{"id": "a", "type": "Input", "params": {"shape": [3]}},
                  {"id": "b", "type": "Input", "params": {"shape": [3]}},
                  {"id": "c", "type": "Concatenate"}, {"id": "y", "type": "Dense", "params": {"units": 1}}],
        "edges": [{"source": "a", "target": "c"}, {"source": "b", "target": "c"}, {"source": "c", "target": "y"}]})
    [issue] = check_run(graph, {"outputs": ["y"], "nodes": {}}, TUTORIAL, loss="mean_squared_error")
    assert "2 Input nodes" in issue.message
    graph, summary = chain((3,), {"units": 1})
    summary["outputs"] = ["x", "y"]
    [issue] = check_run(graph, summary, TUTORIAL, loss="mean_squared_error")
    assert issue.field == "graph.outputs" and "2 outputs" in issue.message


def test_images_feed_a_flat_or_channel_less_input():
    assert adapt_shape([8, 8, 1], (8, 8, 1)) == (8, 8, 1)
    assert adapt_shape([8, 8], (8, 8, 1)) == (8, 8)
    assert adapt_shape([64], (8, 8, 1)) == (64,)
    assert adapt_shape([None, 8, 1], (8, 8, 1)) == (8, 8, 1)
    assert adapt_shape([4, 16], (8, 8, 1)) is None
    assert adapt_shape([10], (8, 8, 1)) is None
    graph, summary = chain((64,), {"units": 10, "activation": "softmax"})
    assert check_run(graph, summary, DIGITS, loss="sparse_categorical_crossentropy") == []


def test_failure_lists_every_error():
    graph, summary = chain((3,), {"units": 32})
    issues = check_run(graph, summary, TUTORIAL, loss="mean_squared_error")
    with pytest.raises(CompileCheckFailed) as info:
        raise_for_errors(issues)
    body = info.value.to_dict()
    assert info.value.status_code == 422
    assert body["node"] == "y" and body["field"] == "graph.nodes[y].params.units"
    assert body["errors"][0]["message"] in body["detail"]


def test_activation_defaults_without_catalog():
    graph, summary = chain((3,), {"units": 1})
    ctx = _Ctx(graph, summary, TUTORIAL, "mean_squared_error", False, None)
    assert output_activation(ctx, "y") == "linear"
