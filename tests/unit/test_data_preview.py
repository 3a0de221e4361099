"""Previews: statistics that match numpy, and figures that suit the data."""

from __future__ import annotations

import json

import numpy as np

from app.data.arrays import DatasetArrays
from app.data.preview import MAX_POINTS, build_figure, preview
from app.data.registry import load_dataset


def test_statistics_and_head_match_the_arrays(tmp_path):
    data = load_dataset("iris", {"standardize": False}, tmp_path)
    result = preview(data, dataset_id="iris", kind="builtin")
    first = result["stats"]["features"][0]
    assert first["name"] == "sepal length (cm)"
    assert abs(first["mean"] - float(data.x[:, 0].mean())) < 1e-6 and first["min"] == float(data.x[:, 0].min())
    assert result["stats"]["classes"] == [{"label": 0, "name": "setosa", "count": 50},
                                          {"label": 1, "name": "versicolor", "count": 50},
                                          {"label": 2, "name": "virginica", "count": 50}]
    assert len(result["head"]["x"]) == 10 and result["head"]["y"] == [0] * 10
    assert result["x_shape"] == [150, 4] and result["x_dtype"] == "float32" and result["y_dtype"] == "int64"
    json.dumps(result)  # plain JSON all the way down


def test_regression_target_stats(tmp_path):
    data = load_dataset("diabetes", {}, tmp_path)
    stats = preview(data, dataset_id="diabetes", kind="builtin")["stats"]
    assert abs(stats["target"]["mean"] - float(data.y.mean())) < 1e-3 and "classes" not in stats


def test_figure_kinds(tmp_path):
    def types(dataset_id, **params):
        fig = build_figure(load_dataset(dataset_id, params, tmp_path), dataset_id=dataset_id)
        return [trace.type for trace in fig.data]

    assert types("spiral") == ["scatter", "scatter"]  # one trace per class
    assert types("tutorial_regression") == ["scatter"] * 4  # a, b, c dots and the target line
    assert types("sine") == ["scatter"]
    assert types("iris") == ["splom"] * 3
    assert types("wine") == ["scatter"] * 3
    assert types("digits") == ["heatmap"] * 10


def test_sine_figure_is_sorted_along_x(tmp_path):
    fig = build_figure(load_dataset("sine", {}, tmp_path), dataset_id="sine")
    xs = list(fig.data[0].x)
    assert xs == sorted(xs)


def test_digit_tiles_are_titled_with_their_labels(tmp_path):
    data = load_dataset("digits", {}, tmp_path)
    fig = preview(data, dataset_id="digits", kind="builtin")["figure"]
    titles = [a["text"] for a in fig["layout"]["annotations"]]
    assert titles == [str(d) for d in data.y[:10]]
    assert np.array(fig["data"][0]["z"]).shape == (8, 8)


def test_large_sets_plot_a_bounded_number_of_points(tmp_path):
    data = load_dataset("xor", {"samples": 20_000}, tmp_path)
    fig = preview(data, dataset_id="xor", kind="builtin")["figure"]
    assert sum(len(trace["x"]) for trace in fig["data"]) == MAX_POINTS
    assert "bdata" not in json.dumps(fig)


def test_multi_output_regression_and_wide_uploads():
    rng = np.random.default_rng(0)
    data = DatasetArrays(x=rng.random((30, 8), dtype=np.float32), y=rng.random((30, 2), dtype=np.float32),
                         task="regression", n_classes=None, label_encoding=None,
                         feature_names=[f"f{j}" for j in range(8)], class_names=None, name="wide")
    result = preview(data, dataset_id="0" * 32, kind="upload")
    assert len(result["stats"]["target"]) == 2 and result["figure"]["data"][0]["type"] == "scatter"
