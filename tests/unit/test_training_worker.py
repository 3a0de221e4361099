"""run_one in this process: cancellation within one batch, NaN losses, image reshaping."""

from __future__ import annotations

import re
import threading
import time

import pytest

from app.errors import NotFound
from app.graph.spec import GraphSpec
from app.training.spec import TUTORIAL_GRAPH
from app.training.worker import configure_tensorflow, describe_error, run_one


@pytest.fixture(scope="module")
def catalog():
    configure_tensorflow(0)
    from app.keras_bridge.catalog import build_catalog

    return build_catalog()


def task(tmp_path, **overrides):
    base = {"run_id": "t", "graph": GraphSpec.model_validate(TUTORIAL_GRAPH).to_dict(),
            "dataset": {"id": "tutorial_regression", "params": {"samples": 150}, "test_split": 0.2},
            "compile": {"loss": "mean_squared_error", "optimizer": {"type": "adam", "learning_rate": 0.001},
                        "metrics": []},
            "fit": {"epochs": 2, "batch_size": 8, "validation_split": 0.2, "shuffle": True, "seed": 0},
            "model_path": str(tmp_path / "model.keras")}
    return base | overrides


def test_cancel_stops_within_one_batch(catalog, tmp_path):
    lock = threading.Lock()
    batches: list[int] = []
    cancel = threading.Event()
    at_cancel: list[int] = []
    steps = 30  # 90 training rows, batch 3

    def emit(kind, data):
        if kind == "batch":
            with lock:
                batches.append((data["epoch"] - 1) * steps + data["batch"])

    def canceller():
        while True:
            with lock:
                if len(batches) >= 40:  # well into the second epoch, mid-flight
                    cancel.set()
                    at_cancel.append(batches[-1])
                    return
            time.sleep(0.001)

    thread = threading.Thread(target=canceller)
    thread.start()
    outcome = run_one(task(tmp_path, fit={"epochs": 50, "batch_size": 3, "validation_split": 0.2, "seed": 0}),
                      emit=emit, cancel=cancel, catalog=catalog, data_dir=tmp_path,
                      batch_events_per_second=1e9)
    thread.join()
    stopped = outcome["final_metrics"]["stopped_at"]
    stopped_index = (stopped["epoch"] - 1) * steps + stopped["batch"]
    assert outcome["status"] == "cancelled" and outcome["results"] is None
    assert batches[-1] == stopped_index
    assert 0 <= stopped_index - at_cancel[0] <= 1, (at_cancel, stopped)


def test_nan_loss_is_reported_with_its_epoch(catalog, tmp_path):
    events = []
    outcome = run_one(task(tmp_path, compile={"loss": "mean_squared_error",
                                              "optimizer": {"type": "sgd", "learning_rate": 1e4}}),
                      emit=lambda kind, data: events.append((kind, data)), cancel=threading.Event(),
                      catalog=catalog, data_dir=tmp_path)
    assert outcome["status"] == "failed"
    assert re.fullmatch(r"loss became NaN at epoch 1; try a lower learning rate", outcome["error"])
    epochs = [data for kind, data in events if kind == "epoch"]
    assert len(epochs) == 1 and epochs[0]["logs"]["loss"] is None  # JSON-safe null, not NaN


def test_images_feed_a_flat_input_and_results_come_back(catalog, tmp_path):
    graph = {"sequential": [{"id": "img", "type": "Input", "params": {"shape": [64]}},
                            {"id": "out", "type": "Dense", "params": {"units": 10, "activation": "softmax"}}]}
    outcome = run_one(task(tmp_path, graph=GraphSpec.model_validate(graph).to_dict(),
                           dataset={"id": "digits", "params": {}, "test_split": 0.2},
                           compile={"loss": "sparse_categorical_crossentropy",
                                    "optimizer": {"type": "adam", "learning_rate": 0.01}, "metrics": ["accuracy"]},
                           fit={"epochs": 3, "batch_size": 64, "validation_split": 0.1, "seed": 1,
                                "early_stopping": {"monitor": "val_loss", "patience": 1}}),
                      emit=lambda kind, data: None, cancel=threading.Event(), catalog=catalog, data_dir=tmp_path)
    assert outcome["status"] == "completed", outcome["error"]
    results = outcome["results"]
    assert len(results["confusion_matrix"]) == 10 and results["metrics"]["accuracy"] > 0.5
    assert outcome["final_metrics"]["test_accuracy"] == results["metrics"]["accuracy"]
    assert (tmp_path / "model.keras").stat().st_size > 0


def test_describe_error():
    assert describe_error(NotFound("No dataset with id 'x'.")) == "No dataset with id 'x'."
    assert describe_error(ValueError("bad\n  shape")) == "ValueError: bad shape"
