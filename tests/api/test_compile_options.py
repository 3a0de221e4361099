"""GET /api/compile-options on a real server: Keras's own losses, optimizers and metrics."""

from __future__ import annotations

import httpx
import pytest

pytestmark = pytest.mark.slow


def test_compile_options(live_server):
    answer = httpx.get(f"{live_server.url}/api/compile-options", timeout=60).json()
    losses = {item["id"]: item for item in answer["losses"]}
    optimizers = {item["id"]: item for item in answer["optimizers"]}
    metrics = {item["id"] for item in answer["metrics"]}
    assert losses["mean_squared_error"]["labels"] == "regression"
    assert losses["sparse_categorical_crossentropy"] | {"doc": ""} == {
        "id": "sparse_categorical_crossentropy", "class": "SparseCategoricalCrossentropy", "labels": "sparse",
        "activation": "softmax", "from_logits": True, "doc": ""}
    learning_rate = next(p for p in optimizers["adam"]["params"] if p["name"] == "learning_rate")
    assert learning_rate["default"] == 0.001 and optimizers["sgd"]["class"] == "SGD"
    assert "momentum" in {p["name"] for p in optimizers["sgd"]["params"]}
    assert {"accuracy", "mean_absolute_error", "auc"} <= metrics
    assert answer["defaults"]["regression"]["loss"] == "mean_squared_error"
