"""What a finished run shows: predictions on the test split, metrics, a
scikit-learn baseline on the same split, and ready plotly figures.

Pure numpy / scikit-learn / plotly: the worker passes in the model's
predictions (and, for inputs with one or two features, a function that predicts
on a grid), so this module never imports Keras. Everything returned is plain
JSON: lists, finite floats or None.

* Regression: ``y_true``/``y_pred`` (the tutorial's "y-original vs
  y-predicted"), MSE, MAE and R², a LinearRegression baseline and the
  "predict the training mean" baseline.
* Classification: predicted classes, accuracy and the confusion matrix, a
  LogisticRegression baseline and the majority-class baseline.
* Two features (the Playground sets): a decision-boundary grid; one feature
  (sine): the model's curve over the feature's range.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from typing import Any

import numpy as np

GRID_SIZE = 60
TEMPLATE = "plotly_white"


def _f(value: Any) -> float | None:
    value = float(value)
    return value if math.isfinite(value) else None


def _list(array: np.ndarray, limit: int) -> list:
    flat = np.asarray(array, dtype=np.float64)[:limit]
    return [None if not math.isfinite(v) else float(v) for v in flat.ravel()] if flat.ndim == 1 else [
        [None if not math.isfinite(v) else float(v) for v in row] for row in flat.reshape(len(flat), -1)]


def _figure_json(fig) -> dict[str, Any]:
    import plotly.io as pio

    return json.loads(pio.to_json(fig, validate=False))


def build_results(*, task: str, x_train: np.ndarray, y_train: np.ndarray, x_test: np.ndarray, y_test: np.ndarray,
                  y_pred: np.ndarray, dataset_name: str, n_classes: int | None = None,
                  label_encoding: str | None = None, class_names: list[str] | None = None,
                  feature_names: list[str] | None = None, from_logits: bool = False,
                  grid_predict: Callable[[np.ndarray], np.ndarray] | None = None,
                  max_points: int = 5000, seed: int = 0) -> dict[str, Any]:
    y_pred = np.asarray(y_pred)
    if task == "regression":
        result = _regression(x_train, y_train, x_test, y_test, y_pred, dataset_name, feature_names or [],
                             grid_predict, max_points)
    else:
        result = _classification(x_train, y_train, x_test, y_test, y_pred, dataset_name, n_classes or 2,
                                 label_encoding, class_names, feature_names or [], from_logits, grid_predict,
                                 max_points, seed)
    result.update(dataset=dataset_name, n_train=int(len(x_train)), n_test=int(len(x_test)),
                  truncated=bool(len(x_test) > max_points))
    return result


# --- regression ---------------------------------------------------------------------------

def _regression_metrics(y_true: np.ndarray, y_pred: np.ndarray) -> dict[str, float | None]:
    err = y_pred - y_true
    mse = float(np.mean(err ** 2))
    variance = float(np.mean((y_true - y_true.mean()) ** 2))
    return {"mse": _f(mse), "mae": _f(np.mean(np.abs(err))),
            "r2": _f(1 - mse / variance) if variance > 0 else None}


def _regression(x_train, y_train, x_test, y_test, y_pred, name, feature_names, grid_predict, max_points):
    from sklearn.linear_model import LinearRegression

    y_true = y_test.reshape(len(y_test), -1).astype(np.float64)
    pred = y_pred.reshape(len(y_pred), -1).astype(np.float64)
    if pred.shape != y_true.shape:
        raise ValueError(f"predictions shaped {pred.shape} do not match targets shaped {y_true.shape}")
    metrics = _regression_metrics(y_true, pred)
    train_mean = y_train.reshape(len(y_train), -1).astype(np.float64).mean(axis=0)
    mean_metrics = _regression_metrics(y_true, np.broadcast_to(train_mean, y_true.shape))
    baseline = LinearRegression().fit(x_train.reshape(len(x_train), -1), y_train.reshape(len(y_train), -1))
    base_pred = baseline.predict(x_test.reshape(len(x_test), -1)).reshape(y_true.shape)
    base_metrics = _regression_metrics(y_true, base_pred)
    squeeze = y_true.shape[1] == 1
    shown = (lambda a: a[:, 0]) if squeeze else (lambda a: a)
    figures = {"predictions": _regression_figure(y_true[:, 0], pred[:, 0], base_pred[:, 0], name, max_points)}
    curve = None
    if grid_predict is not None and x_train.ndim == 2 and x_train.shape[1] == 1 and squeeze:
        curve = _curve(x_train, x_test, y_true[:, 0], grid_predict, baseline, feature_names)
        figures["curve"] = curve.pop("figure")
    return {
        "task": "regression",
        "y_true": _list(shown(y_true), max_points),
        "y_pred": _list(shown(pred), max_points),
        "metrics": metrics,
        "baseline": {"model": "LinearRegression (scikit-learn)", "metrics": base_metrics,
                     "y_pred": _list(shown(base_pred), max_points)},
        "mean_baseline": {"model": "predict the training mean", "metrics": mean_metrics},
        "beats_baseline": _lower(metrics["mse"], base_metrics["mse"]),
        "beats_mean": _lower(metrics["mse"], mean_metrics["mse"]),
        "curve": curve,
        "figure": figures["predictions"],
        "figures": figures,
    }


def _lower(a: float | None, b: float | None) -> bool | None:
    return None if a is None or b is None else bool(a < b)


def _regression_figure(y_true, y_pred, base_pred, name, max_points) -> dict[str, Any]:
    import plotly.graph_objects as go

    order = np.argsort(y_true[:max_points], kind="stable")
    index = list(range(len(order)))
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=index, y=y_true[order], mode="lines+markers", name="y-original",
                             marker={"size": 4}))
    fig.add_trace(go.Scatter(x=index, y=y_pred[order], mode="lines+markers", name="y-predicted",
                             marker={"size": 4}))
    fig.add_trace(go.Scatter(x=index, y=base_pred[order], mode="lines", name="linear baseline",
                             line={"dash": "dot"}, visible="legendonly"))
    fig.update_layout(template=TEMPLATE, title=f"{name}: test targets and predictions",
                      xaxis_title="test sample (sorted by original value)", yaxis_title="y",
                      margin={"l": 50, "r": 20, "t": 50, "b": 50})
    return _figure_json(fig)


def _curve(x_train, x_test, y_true, grid_predict, baseline, feature_names) -> dict[str, Any]:
    import plotly.graph_objects as go

    both = np.concatenate([x_train[:, 0], x_test[:, 0]])
    low, high = float(both.min()), float(both.max())
    xs = np.linspace(low, high, 200, dtype=np.float32).reshape(-1, 1)
    ys = np.asarray(grid_predict(xs)).reshape(len(xs), -1)[:, 0]
    base = baseline.predict(xs).reshape(len(xs), -1)[:, 0]
    label = feature_names[0] if feature_names else "x"
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=x_test[:, 0], y=y_true, mode="markers", name="test data", marker={"size": 5}))
    fig.add_trace(go.Scatter(x=xs[:, 0], y=ys, mode="lines", name="model"))
    fig.add_trace(go.Scatter(x=xs[:, 0], y=base, mode="lines", name="linear baseline", line={"dash": "dot"}))
    fig.update_layout(template=TEMPLATE, title="Model curve over the feature's range", xaxis_title=label,
                      yaxis_title="y", margin={"l": 50, "r": 20, "t": 50, "b": 50})
    return {"x": _list(xs[:, 0], len(xs)), "y": _list(ys, len(ys)), "figure": _figure_json(fig)}


# --- classification -----------------------------------------------------------------------

def predicted_classes(scores: np.ndarray, *, from_logits: bool = False) -> np.ndarray:
    scores = scores.reshape(len(scores), -1)
    if scores.shape[1] == 1:
        return (scores[:, 0] > (0.0 if from_logits else 0.5)).astype(np.int64)
    return scores.argmax(axis=1).astype(np.int64)


def _labels(y: np.ndarray, label_encoding: str | None) -> np.ndarray:
    if label_encoding == "onehot":
        return y.reshape(len(y), -1).argmax(axis=1).astype(np.int64)
    return np.rint(y.reshape(len(y))).astype(np.int64)


def _classification(x_train, y_train, x_test, y_test, y_pred, name, n_classes, label_encoding, class_names,
                    feature_names, from_logits, grid_predict, max_points, seed):
    from sklearn.dummy import DummyClassifier
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import confusion_matrix
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    true = _labels(y_test, label_encoding)
    train_labels = _labels(y_train, label_encoding)
    pred = predicted_classes(y_pred, from_logits=from_logits)
    labels = list(range(n_classes))
    names = list(class_names) if class_names and len(class_names) == n_classes else [str(i) for i in labels]
    matrix = confusion_matrix(true, pred, labels=labels)
    flat_train = x_train.reshape(len(x_train), -1)
    if len(np.unique(train_labels)) > 1:
        baseline = make_pipeline(StandardScaler(), LogisticRegression(max_iter=2000, random_state=seed))
        base_name = "LogisticRegression (scikit-learn)"
    else:
        baseline, base_name = DummyClassifier(strategy="most_frequent"), "majority class (one class in training)"
    baseline.fit(flat_train, train_labels)
    base_pred = baseline.predict(x_test.reshape(len(x_test), -1))
    majority = int(np.bincount(train_labels, minlength=n_classes).argmax())
    accuracy = _f(np.mean(pred == true)) if len(true) else None
    base_accuracy = _f(np.mean(base_pred == true)) if len(true) else None
    figures = {"confusion_matrix": _confusion_figure(matrix, names, name)}
    boundary = None
    if grid_predict is not None and x_train.ndim == 2 and x_train.shape[1] == 2:
        boundary = _decision_boundary(x_train, x_test, true, grid_predict, from_logits, names, feature_names)
        figures["decision_boundary"] = boundary.pop("figure")
    main = figures.get("decision_boundary", figures["confusion_matrix"])
    return {
        "task": "classification",
        "class_names": names,
        "y_true": [int(v) for v in true[:max_points]],
        "y_pred": [int(v) for v in pred[:max_points]],
        "metrics": {"accuracy": accuracy},
        "confusion_matrix": matrix.astype(int).tolist(),
        "baseline": {"model": base_name, "metrics": {"accuracy": base_accuracy},
                     "confusion_matrix": confusion_matrix(true, base_pred, labels=labels).astype(int).tolist()},
        "majority_baseline": {"model": f"always predict class {names[majority]}",
                              "metrics": {"accuracy": _f(np.mean(true == majority)) if len(true) else None}},
        "beats_baseline": None if accuracy is None or base_accuracy is None else bool(accuracy > base_accuracy),
        "decision_boundary": boundary,
        "figure": main,
        "figures": figures,
    }


def _confusion_figure(matrix: np.ndarray, names: list[str], name: str) -> dict[str, Any]:
    import plotly.graph_objects as go

    fig = go.Figure(go.Heatmap(z=matrix, x=names, y=names, colorscale="Blues", text=matrix,
                               texttemplate="%{text}", hovertemplate="true %{y}, predicted %{x}: %{z}<extra></extra>"))
    fig.update_layout(template=TEMPLATE, title=f"{name}: confusion matrix (test split)",
                      xaxis_title="predicted class", yaxis_title="true class", yaxis_autorange="reversed",
                      margin={"l": 60, "r": 20, "t": 50, "b": 50})
    return _figure_json(fig)


def _decision_boundary(x_train, x_test, true, grid_predict, from_logits, names, feature_names) -> dict[str, Any]:
    import plotly.graph_objects as go

    both = np.concatenate([x_train, x_test])
    low, high = both.min(axis=0), both.max(axis=0)
    pad = (high - low) * 0.05 + 1e-6
    gx = np.linspace(low[0] - pad[0], high[0] + pad[0], GRID_SIZE, dtype=np.float32)
    gy = np.linspace(low[1] - pad[1], high[1] + pad[1], GRID_SIZE, dtype=np.float32)
    mesh = np.stack(np.meshgrid(gx, gy), axis=-1).reshape(-1, 2)
    scores = np.asarray(grid_predict(mesh)).reshape(len(mesh), -1)
    if scores.shape[1] == 1:  # one unit: show P(class 1), the Playground's picture
        z = scores[:, 0]
        if from_logits:
            z = 1 / (1 + np.exp(-z))
        label = f"P({names[1] if len(names) > 1 else 1})"
    else:
        z = scores.argmax(axis=1).astype(np.float64)
        label = "predicted class"
    z = z.reshape(GRID_SIZE, GRID_SIZE)
    fx, fy = (feature_names + ["x1", "x2"])[:2] if len(feature_names) >= 2 else ("x1", "x2")
    fig = go.Figure()
    fig.add_trace(go.Contour(x=gx, y=gy, z=z, colorscale="RdBu", opacity=0.6, name=label,
                             colorbar={"title": {"text": label}}, contours={"coloring": "heatmap"}))
    for cls in np.unique(true):
        pts = x_test[true == cls]
        fig.add_trace(go.Scatter(x=pts[:, 0], y=pts[:, 1], mode="markers", name=f"class {names[int(cls)]}",
                                 marker={"size": 6, "line": {"width": 1, "color": "white"}}))
    fig.update_layout(template=TEMPLATE, title="Decision boundary (test points)", xaxis_title=fx, yaxis_title=fy,
                      margin={"l": 50, "r": 20, "t": 50, "b": 50})
    return {"x": _list(gx, GRID_SIZE), "y": _list(gy, GRID_SIZE), "z": _list(z, GRID_SIZE), "value": label,
            "figure": _figure_json(fig)}
