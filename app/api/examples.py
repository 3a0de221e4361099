"""Example requests and answers for the OpenAPI docs, kept in one place so the
routers stay thin. ``install`` adds them to the generated schema."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI

_TS = "2026-11-28T09:48:47.051790"
_GRAPH = {"sequential": [{"id": "x", "type": "Input", "params": {"shape": [3]}},
                         {"id": "y", "type": "Dense", "params": {"units": 1}}]}
_PROJECT = {"id": "c2587fdc8f8e49c18c8b4757f0fc8a0d", "name": "Tutorial", "graph": _GRAPH,
            "created_at": _TS, "updated_at": _TS}
_DATASET = {"id": "tutorial_regression", "name": "Tutorial regression", "kind": "builtin", "task": "regression",
            "description": "Three noisy features drifting with the sample index; target (a + b + c/2) / 3.",
            "params": [{"name": "samples", "type": "int", "default": 150, "minimum": 10, "maximum": 100000,
                        "description": "Number of samples."}],
            "input_shape": [3], "n_classes": None, "n_rows": 150}
_RUN = {"id": "5952ea2c19214a23b996b25fe8ddd0c9", "status": "completed", "project_id": _PROJECT["id"],
        "dataset_id": "tutorial_regression", "queue_position": None, "created_at": _TS, "started_at": _TS,
        "finished_at": _TS, "queued_seconds": 0.006, "run_seconds": 2.9, "worker_pid": 8358,
        "final_metrics": {"epochs_run": 5, "loss": 0.0135, "val_loss": 0.0023, "test_mse": 0.0114},
        "error": None, "warnings": []}
_EVENTS = [{"id": 4, "event": "epoch", "data": {"epoch": 1, "epochs": 5, "logs": {"loss": 1.71, "val_loss": 0.33}}},
           {"id": 5, "event": "end", "data": {"status": "completed"}}]

RESPONSES: dict[tuple[str, str], Any] = {
    ("get", "/api/health"): {"status": "ok", "version": "0.1.0", "keras_ready": True},
    ("get", "/api/layers"): {"layers": [{"type": "Dense", "category": "core", "doc": "Just your regular densely-connected NN layer.",
                                         "params": [{"name": "units", "kind": "int", "default": None, "required": True,
                                                     "nullable": False, "choices": None, "min": 1, "max": None,
                                                     "length": None, "doc": "Positive integer, dimensionality of the output space."}],
                                         "min_inputs": 1, "max_inputs": 1, "call": "single", "input_names": [],
                                         "example": {"units": 32}}]},
    ("get", "/api/projects"): [_PROJECT],
    ("post", "/api/projects"): _PROJECT,
    ("get", "/api/projects/{project_id}"): _PROJECT,
    ("put", "/api/projects/{project_id}"): _PROJECT,
    ("get", "/api/datasets"): [_DATASET],
    ("post", "/api/datasets"): {**_DATASET, "id": "0f4c2d0e9a7b4c1e8d2f6a3b5c7d9e1f", "kind": "upload",
                                "name": "houses.csv"},
    ("get", "/api/datasets/{dataset_id}"): _DATASET,
    ("get", "/api/datasets/{dataset_id}/preview"): {**_DATASET, "x_shape": [150, 3], "y_shape": [150],
                                                    "head": {"x": [[0.1, 0.4, 0.9]], "y": [0.4]},
                                                    "figure": {"data": [], "layout": {}}},
    ("get", "/api/compile-options"): {"losses": [{"name": "mean_squared_error", "task": "regression"}],
                                      "optimizers": [{"type": "adam", "params": [{"name": "learning_rate", "default": 0.001}]}],
                                      "metrics": [{"name": "mean_absolute_error"}]},
    ("post", "/api/runs"): {**_RUN, "status": "queued", "queue_position": 1, "final_metrics": None},
    ("get", "/api/runs"): [_RUN],
    ("get", "/api/runs/{run_id}"): _RUN,
    ("post", "/api/runs/{run_id}/cancel"): {**_RUN, "status": "cancelled"},
    ("get", "/api/runs/{run_id}/metrics"): {"events": _EVENTS, "done": True},
    ("get", "/api/runs/{run_id}/predictions"): {"task": "regression", "y_true": [0.41, 1.2], "y_pred": [0.44, 1.1],
                                                "metrics": {"mse": 0.0114, "mae": 0.077},
                                                "baseline": {"model": "LinearRegression (scikit-learn)",
                                                             "metrics": {"mse": 0.02, "mae": 0.1}},
                                                "figure": {"data": [], "layout": {}}},
}
MEDIA = {
    ("get", "/api/runs/{run_id}/events"): ("text/event-stream",
                                            "id: 4\nevent: epoch\ndata: {\"epoch\": 1, \"logs\": {\"loss\": 1.71}}\n\n"),
    ("get", "/api/runs/{run_id}/model.keras"): ("application/octet-stream", "(zip archive)"),
}
REQUESTS: dict[tuple[str, str], tuple[str, Any]] = {
    ("post", "/api/graphs/import"): ("application/json", {"class_name": "Sequential", "config": {
        "name": "imported", "layers": [{"class_name": "InputLayer", "config": {"batch_shape": [None, 3]}},
                                       {"class_name": "Dense", "config": {"units": 1}}]}}),
    ("post", "/api/datasets"): ("multipart/form-data", {"file": "houses.csv", "name": "Houses", "target": "price",
                                                        "target_encoding": "auto", "standardize": True}),
}


def install(app: FastAPI) -> None:
    """Wrap ``app.openapi`` so the generated schema carries the examples above."""
    build = app.openapi

    def openapi() -> dict:
        if app.openapi_schema:
            return app.openapi_schema
        schema = build()
        for (method, path), op in _operations(schema):
            responses = op.setdefault("responses", {})
            ok = next((code for code in ("200", "201", "202") if code in responses), None)
            if (method, path) in RESPONSES and ok:
                content = responses[ok].setdefault("content", {}).setdefault("application/json", {})
                content.setdefault("example", RESPONSES[(method, path)])
            if (method, path) in MEDIA and ok:
                media, example = MEDIA[(method, path)]
                responses[ok].setdefault("content", {})[media] = {"example": example}
            if (method, path) in REQUESTS:
                media, example = REQUESTS[(method, path)]
                body = op.setdefault("requestBody", {"required": True, "content": {}})
                body.setdefault("content", {}).setdefault(media, {})["example"] = example
        app.openapi_schema = schema
        return schema

    app.openapi = openapi


def _operations(schema: dict):
    for path, ops in schema.get("paths", {}).items():
        for method, op in ops.items():
            yield (method, path), op
