"""Layer catalog types and parameter checking.

The catalog itself is introspected from Keras by ``app.keras_bridge.catalog``;
this module only knows its shape, so validation stays pure Python.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from typing import Any

# Parameter kinds the builder knows how to edit and check.
INT = "int"
FLOAT = "float"
BOOL = "bool"
STR = "str"
CHOICE = "choice"  # one of `choices` (strings); `nullable` allows None
INT_TUPLE = "int_tuple"  # an int, or a list of `length` ints (kernel_size, strides...)
SHAPE = "shape"  # list of positive ints or None (Input shape, Reshape target)
INT_LIST = "int_list"  # list of ints of any length (axes, dims)
AXIS = "axis"  # an int or a list of ints
FLOAT_LIST = "float_list"
ANY = "any"  # JSON scalar or list; checked by Keras at build time
KINDS = {INT, FLOAT, BOOL, STR, CHOICE, INT_TUPLE, SHAPE, INT_LIST, AXIS, FLOAT_LIST, ANY}


@dataclass(frozen=True)
class ParamSpec:
    """One constructor argument of a layer."""

    name: str
    kind: str
    default: Any = None
    required: bool = False
    nullable: bool = False
    choices: list[Any] | None = None
    min: float | None = None
    max: float | None = None
    length: int | None = None
    doc: str = ""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "ParamSpec":
        return cls(**data)


@dataclass(frozen=True)
class LayerSpec:
    """One layer type the builder offers."""

    type: str
    category: str
    doc: str
    params: list[ParamSpec] = field(default_factory=list)
    min_inputs: int = 1
    max_inputs: int | None = 1  # None: any number
    # How several inputs are passed: "single" (one tensor), "list" (merge
    # layers, Attention: layer([a, b])), "positional" (MultiHeadAttention:
    # layer(query, value, key)).
    call: str = "single"
    input_names: list[str] = field(default_factory=list)  # port labels, e.g. ["query", "value"]
    example: dict[str, Any] = field(default_factory=dict)  # params for a fresh node

    def param(self, name: str) -> ParamSpec | None:
        for spec in self.params:
            if spec.name == name:
                return spec
        return None

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["params"] = [p.to_dict() for p in self.params]
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "LayerSpec":
        data = dict(data)
        data["params"] = [ParamSpec.from_dict(p) for p in data.get("params", [])]
        return cls(**data)


class Catalog:
    """Layer specs by type name."""

    def __init__(self, layers: list[LayerSpec]):
        self._layers = {layer.type: layer for layer in layers}

    def get(self, layer_type: str) -> LayerSpec | None:
        return self._layers.get(layer_type)

    def __contains__(self, layer_type: str) -> bool:
        return layer_type in self._layers

    def __len__(self) -> int:
        return len(self._layers)

    def __iter__(self):
        return iter(self._layers.values())

    def to_list(self) -> list[dict[str, Any]]:
        return [layer.to_dict() for layer in self._layers.values()]


def check_param(spec: ParamSpec, value: Any, *, max_dim: int | None = None) -> str | None:
    """Return why ``value`` is not acceptable for ``spec``, or None when it is.

    Messages follow Keras: state the rule, end with ``Received: name=value``.
    """
    received = f"Received: {spec.name}={_short(value)}"
    if value is None:
        if spec.nullable or spec.default is None:
            return None
        return f"'{spec.name}' cannot be null. {received}"
    kind = spec.kind
    if kind == ANY:
        return None if _is_json_plain(value) else f"'{spec.name}' must be plain JSON. {received}"
    if kind == BOOL:
        return None if isinstance(value, bool) else f"'{spec.name}' must be true or false. {received}"
    if kind == INT:
        if not _is_int(value):
            return f"'{spec.name}' must be an integer. {received}"
        return _check_bounds(spec, value, received, max_dim)
    if kind == FLOAT:
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            return f"'{spec.name}' must be a finite number. {received}"
        return _check_bounds(spec, value, received, None)
    if kind == STR:
        return None if isinstance(value, str) and len(value) <= 200 else (
            f"'{spec.name}' must be a string of at most 200 characters. {received}")
    if kind == CHOICE:
        if spec.choices and value in spec.choices:
            return None
        shown = ", ".join(repr(c) for c in (spec.choices or [])[:12])
        return f"'{spec.name}' must be one of {shown}. {received}"
    if kind == INT_TUPLE:
        items = [value] if _is_int(value) else value
        if not isinstance(items, list) or not items or not all(_is_int(v) for v in items):
            return f"'{spec.name}' must be an integer or a list of integers. {received}"
        if spec.length and len(items) not in (1, spec.length):
            return f"'{spec.name}' must have {spec.length} values. {received}"
        for item in items:
            message = _check_bounds(spec, item, received, max_dim)
            if message:
                return message
        return None
    if kind == SHAPE:
        if not isinstance(value, list) or len(value) > 8:
            return f"'{spec.name}' must be a list of at most 8 dimensions. {received}"
        for dim in value:
            if dim is not None and (not _is_int(dim) or dim < 1):
                return f"'{spec.name}' dimensions must be positive integers or null. {received}"
            if dim is not None and max_dim is not None and dim > max_dim:
                return f"'{spec.name}' dimensions must be at most {max_dim:,}. {received}"
        return None
    if kind in (INT_LIST, AXIS):
        if kind == AXIS and _is_int(value):
            return None
        if not isinstance(value, list) or len(value) > 16 or not all(_is_int(v) for v in value):
            return f"'{spec.name}' must be a list of integers. {received}"
        return None
    if kind == FLOAT_LIST:
        ok = isinstance(value, list) and len(value) <= 64 and all(
            isinstance(v, (int, float)) and not isinstance(v, bool) for v in value)
        return None if ok else f"'{spec.name}' must be a list of numbers. {received}"
    return f"'{spec.name}' has an unknown kind {kind!r}."


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _check_bounds(spec: ParamSpec, value: float, received: str, max_dim: int | None) -> str | None:
    low = spec.min
    high = spec.max
    if max_dim is not None and spec.kind in (INT, INT_TUPLE) and high is None and low is not None and low >= 1:
        high = max_dim
    if low is not None and value < low:
        return f"'{spec.name}' must be at least {_num(low)}. {received}"
    if high is not None and value > high:
        return f"'{spec.name}' must be at most {_num(high)}. {received}"
    return None


def _num(value: float) -> str:
    return f"{int(value):,}" if float(value).is_integer() else str(value)


def _is_json_plain(value: Any, depth: int = 0) -> bool:
    if depth > 3:
        return False
    if value is None or isinstance(value, (bool, int, float, str)):
        return not isinstance(value, str) or len(value) <= 200
    if isinstance(value, list):
        return len(value) <= 64 and all(_is_json_plain(v, depth + 1) for v in value)
    return False


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
