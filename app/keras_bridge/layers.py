"""Make Keras layer objects from catalog-checked node params, and call them."""

from __future__ import annotations

import re
from typing import Any

import keras

from app.graph.catalog import INT_LIST, SHAPE, LayerSpec


def layer_kwargs(spec: LayerSpec, params: dict[str, Any]) -> dict[str, Any]:
    """JSON params to constructor kwargs: shape-like lists become tuples.

    Only catalog parameters reach here (validation drops the rest), so no
    user-controlled object ever reaches Keras deserialisation.
    """
    kwargs = {}
    for name, value in params.items():
        pspec = spec.param(name)
        if pspec is None:
            raise ValueError(f"{spec.type} has no parameter '{name}'")
        if isinstance(value, dict) or (isinstance(value, list) and any(isinstance(v, dict) for v in value)):
            # Keras would deserialise a dict (class_name/config): never hand it one.
            raise ValueError(f"'{name}' must be a plain value, not an object")
        if pspec.kind in (SHAPE, INT_LIST) and isinstance(value, list):
            value = tuple(value)
        kwargs[name] = value
    return kwargs


def make_layer(spec: LayerSpec, params: dict[str, Any], name: str | None = None):
    cls = getattr(keras.layers, spec.type)
    kwargs = layer_kwargs(spec, params)
    if name is not None:
        kwargs["name"] = name
    return cls(**kwargs)


def input_shape(params: dict[str, Any]) -> list:
    """Full output shape of an Input node, batch axis first."""
    return [params.get("batch_size")] + list(params.get("shape") or [])


def make_input(params: dict[str, Any], name: str | None = None):
    kwargs = {"shape": tuple(params.get("shape") or ())}
    for key in ("batch_size", "dtype", "sparse", "ragged"):
        if params.get(key) is not None:
            kwargs[key] = params[key]
    if name is not None:
        kwargs["name"] = name
    return keras.Input(**kwargs)


def call_layer(spec: LayerSpec, layer, tensors: list):
    if spec.call == "list":
        return layer(list(tensors))
    if spec.call == "positional":
        return layer(*tensors)
    return layer(tensors[0])


def first_output(outputs):
    """Downstream layers read a node's first output (RNN states are extras)."""
    flat = keras.tree.flatten(outputs)
    return flat[0]


def safe_layer_name(node_id: str, taken: set[str]) -> str:
    base = re.sub(r"[^A-Za-z0-9_.\-]", "_", node_id) or "layer"
    name, n = base, 1
    while name in taken:
        name, n = f"{base}_{n}", n + 1
    taken.add(name)
    return name
