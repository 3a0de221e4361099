"""Losses, optimizers and metrics, introspected from the installed Keras.

``compile_catalog()`` answers ``GET /api/compile-options``: every loss class in
``keras.losses``, every optimizer in ``keras.optimizers`` with its scalar
constructor arguments and Keras's defaults, and every metric class in
``keras.metrics`` that needs no constructor argument. Requests name these by
id; ``make_loss`` / ``make_optimizer`` / ``make_metrics`` turn ids into fresh
Keras objects by class lookup, never through Keras deserialisation.

The module imports Keras only inside functions, so the pure tables below
(what labels each loss expects, which activation it wants) serve the compile
checks without Keras.
"""

from __future__ import annotations

import inspect
import math
import re
from functools import lru_cache
from typing import Any

from app.errors import Invalid

# What each loss wants as labels. "sparse": integer class ids with one output
# unit per class; "categorical": one-hot rows; "binary": 0/1 with one sigmoid
# unit (or one unit per label, multi-label); "regression" (the default): targets
# shaped like the output.
LOSS_LABELS: dict[str, str] = {
    "sparse_categorical_crossentropy": "sparse",
    "categorical_generalized_cross_entropy": "sparse",
    "categorical_crossentropy": "categorical",
    "categorical_focal_crossentropy": "categorical",
    "categorical_hinge": "categorical",
    "kl_divergence": "categorical",
    "binary_crossentropy": "binary",
    "binary_focal_crossentropy": "binary",
    "hinge": "binary",
    "squared_hinge": "binary",
    "dice": "binary",
    "tversky": "binary",
}
# Which output activation a loss expects when it reads probabilities.
LOSS_ACTIVATION: dict[str, str] = {
    "sparse_categorical_crossentropy": "softmax",
    "categorical_crossentropy": "softmax",
    "categorical_focal_crossentropy": "softmax",
    "categorical_generalized_cross_entropy": "softmax",
    "kl_divergence": "softmax",
    "binary_crossentropy": "sigmoid",
    "binary_focal_crossentropy": "sigmoid",
}
LOGITS_LOSSES = {"sparse_categorical_crossentropy", "categorical_crossentropy", "categorical_focal_crossentropy",
                 "binary_crossentropy", "binary_focal_crossentropy"}
# Left out: they need inputs this app does not produce.
EXCLUDED_LOSSES = {"CTC": "needs sequence lengths", "Circle": "needs embedding pairs for metric learning"}
EXCLUDED_OPTIMIZERS = {"Optimizer", "LossScaleOptimizer", "MultiOptimizer"}
EXCLUDED_METRICS = {"Metric", "Mean", "Sum", "MeanMetricWrapper", "Accuracy"}
# Optimizer arguments not offered: object-valued or mixed-precision plumbing.
SKIPPED_OPTIMIZER_ARGS = {"name", "kwargs", "loss_scale_factor", "gradient_accumulation_steps", "exclude_layers",
                          "ema_overwrite_frequency"}
NULLABLE_FLOATS = {"weight_decay", "clipnorm", "clipvalue", "global_clipnorm"}
MAX_LEARNING_RATE = 1e6

CLASSIFICATION_METRICS = {"accuracy", "auc", "binary_accuracy", "categorical_accuracy",
                          "sparse_categorical_accuracy", "top_k_categorical_accuracy",
                          "sparse_top_k_categorical_accuracy", "precision", "recall", "f1_score", "fbeta_score",
                          "true_positives", "true_negatives", "false_positives", "false_negatives",
                          "binary_crossentropy", "categorical_crossentropy", "sparse_categorical_crossentropy",
                          "binary_io_u", "hinge", "squared_hinge", "categorical_hinge", "kl_divergence"}


def loss_labels(loss_id: str) -> str:
    return LOSS_LABELS.get(loss_id, "regression")


def _doc(obj: Any) -> str:
    text = inspect.getdoc(obj) or ""
    first = text.strip().split("\n\n")[0]
    return re.sub(r"\s+", " ", first)[:300]


def _optimizer_param(name: str, parameter: inspect.Parameter) -> dict[str, Any] | None:
    default = parameter.default
    if name in SKIPPED_OPTIMIZER_ARGS or default is inspect.Parameter.empty:
        return None
    if name in NULLABLE_FLOATS:
        return {"name": name, "kind": "float", "default": default, "nullable": True, "min": 0.0}
    if isinstance(default, bool):
        return {"name": name, "kind": "bool", "default": default, "nullable": False}
    if isinstance(default, int):
        return {"name": name, "kind": "int", "default": default, "nullable": False, "min": 0}
    if isinstance(default, float):
        low = 0.0 if default >= 0 else None
        spec = {"name": name, "kind": "float", "default": default, "nullable": False, "min": low}
        if name == "learning_rate":
            spec.update(min=0.0, max=MAX_LEARNING_RATE, exclusive_min=True)
        return spec
    return None


@lru_cache(maxsize=1)
def compile_catalog() -> dict[str, Any]:
    """The JSON answer of ``GET /api/compile-options`` (imports Keras)."""
    import keras

    losses, optimizers, metrics = [], [], []
    for name in sorted(dir(keras.losses)):
        cls = getattr(keras.losses, name)
        if not (inspect.isclass(cls) and issubclass(cls, keras.losses.Loss)) or cls is keras.losses.Loss:
            continue
        if name in EXCLUDED_LOSSES:
            continue
        try:
            loss_id = cls().name
        except Exception:  # needs constructor arguments: not offered
            continue
        signature = inspect.signature(cls)
        losses.append({"id": loss_id, "class": name, "labels": loss_labels(loss_id),
                       "activation": LOSS_ACTIVATION.get(loss_id),
                       "from_logits": "from_logits" in signature.parameters, "doc": _doc(cls)})
    for name in sorted(dir(keras.optimizers)):
        cls = getattr(keras.optimizers, name)
        if not (inspect.isclass(cls) and issubclass(cls, keras.optimizers.Optimizer)) or name in EXCLUDED_OPTIMIZERS:
            continue
        params = [spec for pname, p in inspect.signature(cls).parameters.items()
                  if (spec := _optimizer_param(pname, p)) is not None]
        optimizers.append({"id": name.lower(), "class": name, "params": params, "doc": _doc(cls)})
    metrics.append({"id": "accuracy", "class": None, "task": "classification",
                    "doc": "Share of correct predictions; Keras picks binary, categorical or sparse "
                           "accuracy from the loss and the label shapes."})
    for name in sorted(dir(keras.metrics)):
        cls = getattr(keras.metrics, name)
        if not (inspect.isclass(cls) and issubclass(cls, keras.metrics.Metric)) or name in EXCLUDED_METRICS:
            continue
        if "y_pred" not in inspect.signature(cls.update_state).parameters:
            continue
        try:
            metric_id = cls().name
        except Exception:
            continue
        task = "classification" if metric_id in CLASSIFICATION_METRICS else "regression"
        metrics.append({"id": metric_id, "class": name, "task": task, "doc": _doc(cls)})
    return {
        "losses": losses,
        "optimizers": optimizers,
        "metrics": metrics,
        "defaults": {"regression": {"loss": "mean_squared_error", "optimizer": "adam",
                                    "metrics": ["mean_absolute_error"]},
                     "classification": {"loss": "sparse_categorical_crossentropy", "optimizer": "adam",
                                        "metrics": ["accuracy"]}},
    }


def index(catalog: dict[str, Any]) -> dict[str, dict[str, dict[str, Any]]]:
    return {kind: {item["id"]: item for item in catalog[kind]} for kind in ("losses", "optimizers", "metrics")}


def check_compile(compile_spec, catalog: dict[str, Any]) -> None:
    """Raise Invalid naming the field when a loss, optimizer, argument or metric is not offered."""
    known = index(catalog)
    loss = known["losses"].get(compile_spec.loss)
    if loss is None:
        raise Invalid(f"Unknown loss. Choose one of {', '.join(sorted(known['losses']))}. "
                      f"Received: loss={compile_spec.loss!r:.60}", field="compile.loss")
    if compile_spec.from_logits and not loss["from_logits"]:
        raise Invalid(f"{compile_spec.loss} has no from_logits option. Received: from_logits=True",
                      field="compile.from_logits")
    opt = known["optimizers"].get(compile_spec.optimizer.type.lower())
    if opt is None:
        raise Invalid(f"Unknown optimizer. Choose one of {', '.join(sorted(known['optimizers']))}. "
                      f"Received: type={compile_spec.optimizer.type!r:.60}", field="compile.optimizer.type")
    params = {p["name"]: p for p in opt["params"]}
    for name, value in compile_spec.optimizer.arguments().items():
        spec = params.get(name)
        field = f"compile.optimizer.{name}"
        if spec is None:
            raise Invalid(f"{opt['class']} takes {', '.join(sorted(params))}. Received: {name[:64]}={value!r:.60}",
                          field=field)
        problem = _check_value(spec, value)
        if problem:
            raise Invalid(f"{problem} Received: {name}={value!r:.60}", field=field)
    for i, metric in enumerate(compile_spec.metrics):
        if metric not in known["metrics"]:
            raise Invalid(f"Unknown metric. Choose from {', '.join(sorted(known['metrics']))}. "
                          f"Received: metrics[{i}]={metric!r:.60}", field=f"compile.metrics[{i}]")


def _check_value(spec: dict[str, Any], value: Any) -> str | None:
    name, kind = spec["name"], spec["kind"]
    if value is None:
        return None if spec.get("nullable") else f"'{name}' cannot be null."
    if kind == "bool":
        return None if isinstance(value, bool) else f"'{name}' must be true or false."
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        return f"'{name}' must be a finite number."
    if kind == "int" and not isinstance(value, int):
        return f"'{name}' must be an integer."
    low, high = spec.get("min"), spec.get("max")
    if low is not None and (value <= low if spec.get("exclusive_min") else value < low):
        return f"'{name}' must be {'greater than' if spec.get('exclusive_min') else 'at least'} {low}."
    if high is not None and value > high:
        return f"'{name}' must be at most {high:g}."
    return None


# --- object construction (worker side) --------------------------------------------------

def make_loss(loss_id: str, *, from_logits: bool = False):
    import keras

    item = index(compile_catalog())["losses"][loss_id]
    cls = getattr(keras.losses, item["class"])
    return cls(from_logits=True) if from_logits else cls()


def make_optimizer(optimizer_type: str, arguments: dict[str, Any]):
    import keras

    item = index(compile_catalog())["optimizers"][optimizer_type.lower()]
    return getattr(keras.optimizers, item["class"])(**arguments)


def make_metrics(metric_ids: list[str]) -> list:
    import keras

    known = index(compile_catalog())["metrics"]
    out = []
    for metric_id in metric_ids:
        item = known[metric_id]
        # "accuracy" stays a string on purpose: Keras then picks the variant that
        # matches the loss and labels. It is an allow-listed id, not user config.
        out.append(metric_id if item["class"] is None else getattr(keras.metrics, item["class"])())
    return out
