"""What a dataset looks like before training: shapes, first rows, statistics, a plotly figure.

The figure is built with the plotly package and returned as plain JSON, so the
page and any REST client draw the same thing. Plotted points are capped so a
100,000-sample preview stays a small response.
"""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import plotly.graph_objects as go
import plotly.io as pio
from plotly.subplots import make_subplots

from app.data.arrays import DatasetArrays

HEAD_ROWS = 10
MAX_POINTS = 2_000
IMAGE_TILES = 10
PALETTE = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
           "#bcbd22", "#17becf")


def preview(arrays: DatasetArrays, *, dataset_id: str, kind: str) -> dict[str, Any]:
    return {
        "id": dataset_id, "name": arrays.name, "kind": kind, "task": arrays.task,
        "n_rows": len(arrays), "input_shape": list(arrays.input_shape),
        "x_shape": list(arrays.x.shape), "y_shape": list(arrays.y.shape),
        "x_dtype": str(arrays.x.dtype), "y_dtype": str(arrays.y.dtype),
        "n_classes": arrays.n_classes, "label_encoding": arrays.label_encoding,
        "feature_names": arrays.feature_names, "class_names": arrays.class_names,
        "head": {"x": _round(arrays.x[:HEAD_ROWS]), "y": _round(arrays.y[:HEAD_ROWS])},
        "stats": statistics(arrays),
        "figure": figure_json(build_figure(arrays, dataset_id=dataset_id)),
    }


def _round(values: np.ndarray, digits: int = 6) -> list:
    return np.round(values.astype(np.float64), digits).tolist() if values.dtype.kind == "f" else values.tolist()


def _summary(values: np.ndarray) -> dict[str, float]:
    values = values.astype(np.float64)
    return {"mean": float(values.mean()), "std": float(values.std()),
            "min": float(values.min()), "max": float(values.max())}


def statistics(arrays: DatasetArrays) -> dict[str, Any]:
    """Per-feature summaries for tables (one 'all values' entry for images), then the target."""
    x = arrays.x
    if x.ndim == 2:
        names = arrays.feature_names or [f"x{j}" for j in range(x.shape[1])]
        features = [{"name": names[j], **_summary(x[:, j])} for j in range(x.shape[1])]
    else:
        features = [{"name": "all values", **_summary(x)}]
    stats: dict[str, Any] = {"features": features}
    if arrays.task == "classification":
        counts = np.bincount(arrays.labels, minlength=arrays.n_classes or 0)
        names = arrays.class_names or [str(k) for k in range(len(counts))]
        stats["classes"] = [{"label": k, "name": names[k], "count": int(c)} for k, c in enumerate(counts)]
    else:
        y = arrays.y.reshape(len(arrays), -1)
        stats["target"] = _summary(y) if y.shape[1] == 1 else [_summary(y[:, j]) for j in range(y.shape[1])]
    return stats


def figure_json(fig: go.Figure) -> dict[str, Any]:
    """Plain JSON (lists, not typed-array blobs) that any plotly.js can draw."""
    return json.loads(pio.to_json(fig, validate=False))


def build_figure(arrays: DatasetArrays, *, dataset_id: str = "") -> go.Figure:
    """Images as a grid, the tutorial set against the index, one feature as a curve, else scatters."""
    x = arrays.x
    width = int(np.prod(x.shape[1:]))
    if x.ndim == 3 or (x.ndim == 4 and x.shape[-1] in (1, 3)):
        fig = _image_grid(arrays)
    elif dataset_id == "tutorial_regression":
        fig = _against_index(arrays)
    elif width == 1:
        fig = _one_feature(arrays)
    elif x.ndim == 2 and 2 < width <= 5:
        fig = _scatter_matrix(arrays)
    else:
        fig = _first_two(arrays)
    fig.update_layout(title=arrays.name, template="plotly_white", margin={"l": 50, "r": 20, "t": 50, "b": 40})
    return fig


def _sample(n: int) -> np.ndarray:
    """At most MAX_POINTS evenly spaced rows, deterministic so previews do not flicker."""
    return np.arange(n) if n <= MAX_POINTS else np.linspace(0, n - 1, MAX_POINTS).astype(np.int64)


def _target(arrays: DatasetArrays, rows: np.ndarray) -> list[float]:
    y = arrays.y[rows].reshape(len(rows), -1)[:, 0]
    return _round(y)


def _by_class(arrays: DatasetArrays, rows: np.ndarray):
    labels = arrays.labels[rows]
    names = arrays.class_names or [str(k) for k in range(arrays.n_classes or int(labels.max()) + 1)]
    for k, name in enumerate(names):
        yield k, name, rows[labels == k]


def _against_index(arrays: DatasetArrays) -> go.Figure:
    """The tutorial's own plot: each feature as dots and the target as a line, against the sample index."""
    rows = _sample(len(arrays))
    fig = go.Figure()
    for j, name in enumerate(arrays.feature_names):
        fig.add_trace(go.Scatter(x=rows.tolist(), y=_round(arrays.x[rows, j]), mode="markers", name=name,
                                 marker={"size": 4}))
    fig.add_trace(go.Scatter(x=rows.tolist(), y=_target(arrays, rows), mode="lines", name="y (target)",
                             line={"color": "red", "width": 2}))
    fig.update_xaxes(title="sample index")
    fig.update_yaxes(title="value")
    return fig


def _one_feature(arrays: DatasetArrays) -> go.Figure:
    rows = _sample(len(arrays))
    x = arrays.x.reshape(len(arrays), -1)[:, 0]
    feature = arrays.feature_names[0] if arrays.feature_names else "x"
    fig = go.Figure()
    if arrays.task == "classification":
        for k, name, part in _by_class(arrays, rows):
            fig.add_trace(go.Scatter(x=_round(x[part]), y=[k] * len(part), mode="markers", name=name))
        fig.update_yaxes(title="class")
    else:
        rows = rows[np.argsort(x[rows], kind="stable")]
        fig.add_trace(go.Scatter(x=_round(x[rows]), y=_target(arrays, rows), mode="markers",
                                 name="y", marker={"size": 5}))
        fig.update_yaxes(title="y")
    fig.update_xaxes(title=feature)
    return fig


def _first_two(arrays: DatasetArrays) -> go.Figure:
    rows = _sample(len(arrays))
    x = arrays.x.reshape(len(arrays), -1)
    names = arrays.feature_names or [f"x{j}" for j in range(x.shape[1])]
    fig = go.Figure()
    if arrays.task == "classification":
        for k, name, part in _by_class(arrays, rows):
            fig.add_trace(go.Scatter(x=_round(x[part, 0]), y=_round(x[part, 1]), mode="markers", name=name,
                                     marker={"size": 6, "color": PALETTE[k % len(PALETTE)]}))
    else:
        fig.add_trace(go.Scatter(x=_round(x[rows, 0]), y=_round(x[rows, 1]), mode="markers", name="rows",
                                 marker={"size": 6, "color": _target(arrays, rows), "colorscale": "Viridis",
                                         "showscale": True, "colorbar": {"title": {"text": "y"}}}))
    fig.update_xaxes(title=names[0])
    fig.update_yaxes(title=names[1])
    return fig


def _scatter_matrix(arrays: DatasetArrays) -> go.Figure:
    rows = _sample(len(arrays))
    names = arrays.feature_names or [f"x{j}" for j in range(arrays.x.shape[1])]

    def dims(part: np.ndarray) -> list[dict]:
        return [{"label": name, "values": _round(arrays.x[part, j])} for j, name in enumerate(names)]

    fig = go.Figure()
    if arrays.task == "classification":
        for k, name, part in _by_class(arrays, rows):
            fig.add_trace(go.Splom(dimensions=dims(part), name=name, diagonal={"visible": False},
                                   marker={"size": 4, "color": PALETTE[k % len(PALETTE)]}))
    else:
        fig.add_trace(go.Splom(dimensions=dims(rows), name="rows", diagonal={"visible": False},
                               marker={"size": 4, "color": _target(arrays, rows), "colorscale": "Viridis",
                                       "showscale": True}))
    return fig


def _image_grid(arrays: DatasetArrays) -> go.Figure:
    """The first images as heatmaps (first channel), titled with their label or target."""
    count = min(IMAGE_TILES, len(arrays))
    cols = min(5, count)
    n_rows = (count + cols - 1) // cols
    titles = []
    for i in range(count):
        if arrays.task == "classification":
            label = int(arrays.labels[i])
            titles.append(arrays.class_names[label] if arrays.class_names else str(label))
        else:
            titles.append(f"y={float(arrays.y[i].reshape(-1)[0]):.3g}")
    fig = make_subplots(rows=n_rows, cols=cols, subplot_titles=titles, horizontal_spacing=0.02,
                        vertical_spacing=0.08)
    for i in range(count):
        image = arrays.x[i] if arrays.x.ndim == 3 else arrays.x[i, :, :, 0]
        fig.add_trace(go.Heatmap(z=_round(image[::-1]), colorscale="Greys", showscale=False, name=titles[i]),
                      row=i // cols + 1, col=i % cols + 1)
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return fig
