"""The training worker: a process that imports TensorFlow once and runs one run at a time.

``worker_main`` is the target of a ``spawn`` process (TensorFlow is not
fork-safe). It sets TensorFlow's thread counts and GPU memory growth before
anything else touches TensorFlow, builds the layer catalog once, then loops:
receive a task, ``run_one`` it, send the outcome. Messages to the web process
are tuples on the worker's own pipe:

* ``("ready", pid, info)`` once TensorFlow is loaded;
* ``("started", run_id, info)`` when a task is taken;
* ``("event", run_id, type, data)`` for ``status``, ``batch`` and ``epoch`` events;
* ``("finished", run_id, outcome)`` with the final status, metrics and results.

``run_one`` knows nothing of processes: it takes an ``emit`` function and a
``cancel`` flag (anything with ``is_set()``), so tests and the Ray executor
call it directly.

This module imports nothing heavy at import time: the web process imports it
(to name the spawn target) without loading TensorFlow.
"""

from __future__ import annotations

import gc
import importlib
import math
import os
import signal
import sys
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

NAN_MESSAGE = "loss became NaN at epoch {epoch}; try a lower learning rate"


def configure_tensorflow(threads: int = 0) -> dict[str, Any]:
    """Thread counts and GPU memory growth; must run before TensorFlow starts its runtime."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    os.environ.setdefault("KERAS_BACKEND", "tensorflow")
    import tensorflow as tf

    if threads > 0:
        tf.config.threading.set_intra_op_parallelism_threads(threads)
        tf.config.threading.set_inter_op_parallelism_threads(max(1, min(2, threads)))
    gpus = tf.config.list_physical_devices("GPU")
    for gpu in gpus:
        try:
            tf.config.experimental.set_memory_growth(gpu, True)
        except RuntimeError:  # already initialised (in-process use): keep going
            pass
    return {"device": "GPU" if gpus else "CPU", "gpus": len(gpus), "threads": threads or None}


def describe_error(exc: BaseException) -> str:
    from app.errors import AppError

    if isinstance(exc, AppError):
        return exc.message
    if isinstance(exc, MemoryError):
        return "The worker ran out of memory. Try a smaller model, batch size or dataset."
    text = " ".join(str(exc).split())[:500]
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _reshape(x, shape: tuple | None):
    return x if shape is None or tuple(x.shape[1:]) == tuple(shape) else x.reshape((len(x), *shape))


def run_one(task: dict[str, Any], *, emit: Callable[[str, dict], None], cancel, catalog,
            data_dir: Path, max_samples: int = 100_000, batch_events_per_second: float = 4.0,
            max_prediction_points: int = 5000) -> dict[str, Any]:
    """Train one run; return its outcome (status, error, final_metrics, results, model_path)."""
    import keras
    import numpy as np

    from app.data.registry import load_dataset, split_dataset
    from app.graph.spec import GraphSpec
    from app.keras_bridge.build import build_model
    from app.training import catalogs
    from app.training.callbacks import EventReporter
    from app.training.checks import adapt_shape
    from app.training.predictions import build_results

    started = time.perf_counter()
    dataset, comp, fit = task["dataset"], task["compile"], task["fit"]
    keras.backend.clear_session()
    keras.utils.set_random_seed(fit.get("seed", 0))
    arrays = load_dataset(dataset["id"], dataset.get("params") or {}, Path(data_dir), max_samples=max_samples)
    train, val, test = split_dataset(arrays, validation=fit.get("validation_split", 0.0),
                                     test=dataset.get("test_split", 0.2), seed=fit.get("seed", 0))
    model = build_model(GraphSpec.from_dict(task["graph"]), catalog)
    shape = adapt_shape(tuple(model.inputs[0].shape[1:]), arrays.input_shape)
    x_train, x_val, x_test = (_reshape(part.x, shape) for part in (train, val, test))
    model.compile(optimizer=catalogs.make_optimizer(comp["optimizer"]["type"], _optimizer_args(comp["optimizer"])),
                  loss=catalogs.make_loss(comp["loss"], from_logits=comp.get("from_logits", False)),
                  metrics=catalogs.make_metrics(comp.get("metrics") or []))
    batch_size = min(fit["batch_size"], len(train))
    steps = math.ceil(len(train) / batch_size)
    reporter = EventReporter(emit, cancel, epochs=fit["epochs"], steps=steps,
                             batch_events_per_second=batch_events_per_second)
    callbacks = [reporter]
    early = fit.get("early_stopping")
    if early:
        callbacks.append(keras.callbacks.EarlyStopping(
            monitor=early.get("monitor", "val_loss"), patience=early.get("patience", 5),
            min_delta=early.get("min_delta", 0.0), restore_best_weights=early.get("restore_best_weights", True)))
    emit("status", {"status": "running", "phase": "training", "epochs": fit["epochs"], "steps_per_epoch": steps,
                    "batch_size": batch_size, "train_samples": len(train), "validation_samples": len(val),
                    "test_samples": len(test), "parameters": int(model.count_params())})
    if cancel.is_set():
        return {"status": "cancelled", "error": None, "final_metrics": None, "results": None, "model_path": None}
    fit_started = time.perf_counter()
    model.fit(x_train, train.y, validation_data=(x_val, val.y) if len(val) else None, epochs=fit["epochs"],
              batch_size=batch_size, shuffle=fit.get("shuffle", True), verbose=0, callbacks=callbacks)
    fit_seconds = time.perf_counter() - fit_started
    final = {"epochs_run": reporter.epochs_done, **reporter.last_logs, "fit_seconds": round(fit_seconds, 4),
             "samples_per_second": _rate(len(train) * reporter.epochs_done, fit_seconds)}
    if reporter.nan_epoch is not None:
        return {"status": "failed", "error": NAN_MESSAGE.format(epoch=reporter.nan_epoch), "final_metrics": final,
                "results": None, "model_path": None}
    if reporter.cancelled_at is not None:
        final["stopped_at"] = reporter.cancelled_at
        return {"status": "cancelled", "error": None, "final_metrics": final, "results": None, "model_path": None}
    if early and reporter.epochs_done < fit["epochs"]:
        final["early_stopped"] = True
    eval_part, eval_x, split_name = (test, x_test, "test") if len(test) else (train, x_train, "train")
    predict_batch = max(batch_size, 256)
    y_pred = np.asarray(model.predict(eval_x, batch_size=predict_batch, verbose=0))
    evaluation = model.evaluate(eval_x, eval_part.y, batch_size=predict_batch, verbose=0, return_dict=True)
    final.update({f"{split_name}_{key}": value for key, value in _finite(evaluation).items()})
    def predict_points(points):
        return np.asarray(model.predict(points.astype(np.float32), batch_size=4096, verbose=0))

    # One or two plain features: a curve (regression) or a decision-boundary grid (classification).
    plain = len(arrays.input_shape) == 1 and arrays.input_shape[0] in (1, 2) and shape == arrays.input_shape
    grid = predict_points if plain else None
    results = build_results(task=arrays.task, x_train=train.x, y_train=train.y, x_test=eval_part.x,
                            y_test=eval_part.y, y_pred=y_pred, dataset_name=arrays.name, n_classes=arrays.n_classes,
                            label_encoding=arrays.label_encoding, class_names=arrays.class_names,
                            feature_names=arrays.feature_names, from_logits=comp.get("from_logits", False),
                            grid_predict=grid, max_points=max_prediction_points, seed=fit.get("seed", 0))
    results["split"] = split_name
    final.update({f"{split_name}_{key}": value for key, value in results["metrics"].items()})
    model_path = Path(task["model_path"])
    model_path.parent.mkdir(parents=True, exist_ok=True)
    tmp = model_path.with_name(".tmp." + model_path.name)
    model.save(tmp)
    os.replace(tmp, model_path)
    final["total_seconds"] = round(time.perf_counter() - started, 4)
    return {"status": "completed", "error": None, "final_metrics": final, "results": results,
            "model_path": str(model_path)}


def _optimizer_args(optimizer: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in optimizer.items() if key != "type"}


def _rate(samples: int, seconds: float) -> float | None:
    return round(samples / seconds, 2) if seconds > 0 else None


def _finite(values: dict[str, Any]) -> dict[str, float | None]:
    out = {}
    for key, value in values.items():
        number = float(value)
        out[key] = number if math.isfinite(number) else None
    return out


PRELOADED = ("plotly.graph_objects", "plotly.io", "sklearn.linear_model", "sklearn.metrics", "app.data.registry",
             "app.keras_bridge.build", "app.training.callbacks", "app.training.predictions")


def _preload() -> None:
    """Import what a run needs (plotly, scikit-learn...) now, not while a user waits for results."""
    for name in PRELOADED:
        importlib.import_module(name)


def worker_main(task_conn, event_conn, cancel, config: dict[str, Any]) -> None:
    """Process entry point (spawn). Exits when the task pipe closes or sends None."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C goes to the server, which stops us
    if config.get("nice"):
        try:
            os.nice(int(config["nice"]))
        except OSError:
            pass

    def send(message: tuple) -> None:
        try:
            event_conn.send(message)
        except (BrokenPipeError, EOFError, OSError):  # the server is gone: so are we
            os._exit(0)

    info = configure_tensorflow(int(config.get("threads") or 0))
    from app.keras_bridge.catalog import build_catalog
    from app.training.catalogs import compile_catalog

    catalog = build_catalog()
    compile_catalog()
    _preload()
    gc.collect()
    gc.freeze()  # the ~400k objects of TF, Keras and the catalogs live forever: keep them out of GC passes
    send(("ready", os.getpid(), info))
    while True:
        try:
            task = task_conn.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        run_id = task["run_id"]
        send(("started", run_id, {"worker_pid": os.getpid(), "device": info["device"]}))
        try:
            outcome = run_one(task, emit=lambda kind, data, rid=run_id: send(("event", rid, kind, data)),
                              cancel=cancel, catalog=catalog, data_dir=Path(config["data_dir"]),
                              max_samples=int(config.get("max_samples", 100_000)),
                              batch_events_per_second=float(config.get("batch_events_per_second", 4.0)),
                              max_prediction_points=int(config.get("max_prediction_points", 5000)))
        except Exception as exc:  # any failure of a run is that run's failure, not the worker's
            traceback.print_exc(file=sys.stderr)
            outcome = {"status": "failed", "error": describe_error(exc), "final_metrics": None, "results": None,
                       "model_path": None}
        send(("finished", run_id, outcome))
        _release()


def _release() -> None:
    """Free the finished run's model and graphs now rather than when the next run starts."""
    import keras

    keras.backend.clear_session()
    gc.collect()
