"""Declared parameters of built-in datasets and their validation.

Each dataset declares its knobs once; the same declaration renders the form in
the browser (``to_dict``) and checks what a run or a preview asks for.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from app.errors import Invalid

PARAM_TYPES = ("integer", "number", "boolean")


@dataclass(frozen=True)
class ParamSpec:
    name: str
    type: str
    default: Any
    description: str
    minimum: float | None = None
    maximum: float | None = None

    def __post_init__(self) -> None:
        if self.type not in PARAM_TYPES:
            raise ValueError(f"type must be one of {PARAM_TYPES}. Received: type={self.type!r}")

    def to_dict(self, *, max_samples: int | None = None) -> dict[str, Any]:
        maximum = self.maximum
        if self.name == "samples" and max_samples is not None:
            maximum = min(maximum, max_samples) if maximum is not None else max_samples
        return {"name": self.name, "type": self.type, "default": self.default,
                "minimum": self.minimum, "maximum": maximum, "description": self.description}

    def coerce(self, value: Any, *, field: str, max_samples: int | None = None) -> Any:
        """Return ``value`` as this param's type, or raise Invalid naming ``field``."""
        if self.type == "boolean":
            if isinstance(value, bool):
                return value
            raise Invalid(f"'{self.name}' must be true or false. Received: {self.name}={value!r:.60}", field=field)
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise Invalid(f"'{self.name}' must be a {self.type}. Received: {self.name}={value!r:.60}", field=field)
        if not math.isfinite(value):
            raise Invalid(f"'{self.name}' must be finite. Received: {self.name}={value!r}", field=field)
        if self.type == "integer":
            if isinstance(value, float) and not value.is_integer():
                raise Invalid(f"'{self.name}' must be a whole number. Received: {self.name}={value!r}", field=field)
            value = int(value)
        else:
            value = float(value)
        maximum = self.maximum
        if self.name == "samples" and max_samples is not None:
            maximum = min(maximum, max_samples) if maximum is not None else max_samples
        if self.minimum is not None and value < self.minimum:
            raise Invalid(f"'{self.name}' must be at least {self.minimum:g}. Received: {self.name}={value!r}",
                          field=field)
        if maximum is not None and value > maximum:
            raise Invalid(f"'{self.name}' must be at most {maximum:g}. Received: {self.name}={value!r}",
                          field=field)
        return value


def resolve_params(specs: tuple[ParamSpec, ...], params: dict[str, Any] | None, *, dataset_id: str,
                   field_prefix: str, max_samples: int | None = None) -> dict[str, Any]:
    """Defaults overlaid with ``params``; unknown names are rejected so typos do not pass silently."""
    params = params or {}
    if not isinstance(params, dict):
        raise Invalid(f"Dataset params must be an object. Received: params={params!r:.60}", field=field_prefix)
    by_name = {spec.name: spec for spec in specs}
    for name in params:
        if name not in by_name:
            accepted = ", ".join(by_name) or "none"
            raise Invalid(f"Dataset '{dataset_id}' has no parameter '{str(name)[:60]}' (accepted: {accepted}). "
                          f"Received: {str(name)[:60]}={params[name]!r:.60}", field=f"{field_prefix}.{str(name)[:60]}")
    resolved = {}
    for spec in specs:
        if spec.name in params and params[spec.name] is not None:
            resolved[spec.name] = spec.coerce(params[spec.name], field=f"{field_prefix}.{spec.name}",
                                              max_samples=max_samples)
        else:
            resolved[spec.name] = spec.default
    return resolved
