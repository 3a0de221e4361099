"""Results of a run: metrics, scikit-learn baselines and plotly figures, as strict JSON."""

from __future__ import annotations

import json

import numpy as np
import pytest

from app.training.predictions import build_results, predicted_classes


def strict_json(value) -> dict:
    return json.loads(json.dumps(value, allow_nan=False))


def regression_data(n=200, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 3)).astype(np.float32)
    y = (x @ np.array([1.0, -2.0, 0.5]) + 0.1 * rng.normal(size=n)).astype(np.float32)
    return x[:150], y[:150], x[150:], y[150:]


def test_regression_metrics_and_baselines():
    x_train, y_train, x_test, y_test = regression_data()
    y_pred = (y_test + 0.5).reshape(-1, 1)  # a model that is off by exactly 0.5
    result = strict_json(build_results(task="regression", x_train=x_train, y_train=y_train, x_test=x_test,
                                       y_test=y_test, y_pred=y_pred, dataset_name="lin"))
    assert result["task"] == "regression" and result["n_test"] == 50
    assert result["metrics"]["mse"] == pytest.approx(0.25, rel=1e-5)
    assert result["metrics"]["mae"] == pytest.approx(0.5, rel=1e-5)
    assert result["y_true"] == pytest.approx(y_test.tolist()) and len(result["y_pred"]) == 50
    assert result["baseline"]["metrics"]["mse"] < 0.05  # a linear target: the linear baseline nails it
    assert result["beats_baseline"] is False and result["beats_mean"] is True
    names = [trace["name"] for trace in result["figure"]["data"]]
    assert names[:2] == ["y-original", "y-predicted"]


def test_one_feature_gets_a_curve():
    rng = np.random.default_rng(1)
    x = rng.uniform(-3, 3, size=(80, 1)).astype(np.float32)
    y = np.sin(x[:, 0]).astype(np.float32)
    result = strict_json(build_results(task="regression", x_train=x[:60], y_train=y[:60], x_test=x[60:],
                                       y_test=y[60:], y_pred=np.sin(x[60:]), dataset_name="sine",
                                       grid_predict=lambda points: np.sin(points)))
    assert len(result["curve"]["x"]) == 200 and "curve" in result["figures"]
    assert result["metrics"]["mse"] == pytest.approx(0.0, abs=1e-10)


def test_classification_confusion_matrix_and_decision_boundary():
    rng = np.random.default_rng(2)
    x = rng.normal(size=(300, 2)).astype(np.float32)
    y = (x[:, 0] > 0).astype(np.int64)
    scores = np.stack([1 - (x[200:, 0] > 0.2), x[200:, 0] > 0.2], axis=1).astype(np.float32)
    calls = []

    def grid(points):
        calls.append(points.shape)
        return np.stack([1 - (points[:, 0] > 0), points[:, 0] > 0], axis=1).astype(np.float32)

    result = strict_json(build_results(task="classification", x_train=x[:200], y_train=y[:200], x_test=x[200:],
                                       y_test=y[200:], y_pred=scores, dataset_name="half", n_classes=2,
                                       label_encoding="integer", class_names=["left", "right"],
                                       feature_names=["a", "b"], grid_predict=grid))
    true, pred = y[200:], (x[200:, 0] > 0.2).astype(int)
    matrix = [[int(np.sum((true == i) & (pred == j))) for j in range(2)] for i in range(2)]
    assert result["confusion_matrix"] == matrix
    assert result["metrics"]["accuracy"] == pytest.approx(float(np.mean(true == pred)))
    assert result["baseline"]["metrics"]["accuracy"] > 0.9
    boundary = result["decision_boundary"]
    assert calls == [(3600, 2)] and len(boundary["z"]) == 60 and len(boundary["z"][0]) == 60
    assert result["figure"] == result["figures"]["decision_boundary"]
    assert result["figures"]["confusion_matrix"]["data"][0]["type"] == "heatmap"


def test_onehot_labels_and_nan_predictions_stay_json():
    rng = np.random.default_rng(3)
    x = rng.normal(size=(60, 4)).astype(np.float32)
    labels = rng.integers(0, 3, 60)
    onehot = np.eye(3, dtype=np.float32)[labels]
    scores = np.full((20, 3), np.nan, dtype=np.float32)
    result = strict_json(build_results(task="classification", x_train=x[:40], y_train=onehot[:40], x_test=x[40:],
                                       y_test=onehot[40:], y_pred=scores, dataset_name="rand", n_classes=3,
                                       label_encoding="onehot"))
    assert result["y_true"] == labels[40:].tolist()
    assert result["class_names"] == ["0", "1", "2"] and result["decision_boundary"] is None


def test_regression_nan_prediction_gives_null_metrics():
    x_train, y_train, x_test, y_test = regression_data()
    result = strict_json(build_results(task="regression", x_train=x_train, y_train=y_train, x_test=x_test,
                                       y_test=y_test, y_pred=np.full(len(y_test), np.nan), dataset_name="lin"))
    assert result["metrics"]["mse"] is None and result["y_pred"][0] is None


def test_predicted_classes():
    assert predicted_classes(np.array([[0.2], [0.7]])).tolist() == [0, 1]
    assert predicted_classes(np.array([[-0.1], [0.3]]), from_logits=True).tolist() == [0, 1]
    assert predicted_classes(np.array([[0.1, 0.5, 0.4]])).tolist() == [1]
