"""The in-memory form of every dataset, built-in or uploaded.

It lives in its own module so generators, upload parsing and the registry can
share it without importing each other.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

TASKS = ("regression", "classification")
LABEL_ENCODINGS = ("integer", "onehot")


@dataclass
class DatasetArrays:
    """Features and targets ready for ``model.fit``.

    ``x`` is float32 with shape ``(n, *input_shape)``. ``y`` is float32 for
    regression (``(n,)`` or ``(n, k)``); for classification it is int64 labels
    ``(n,)`` (``label_encoding="integer"``) or float32 one-hot ``(n, k)``
    (``label_encoding="onehot"``). Image-like inputs (rank > 2) have no
    ``feature_names``.
    """

    x: np.ndarray
    y: np.ndarray
    task: str
    n_classes: int | None
    label_encoding: str | None
    feature_names: list[str]
    class_names: list[str] | None
    name: str

    def __post_init__(self) -> None:
        if self.task not in TASKS:
            raise ValueError(f"task must be one of {TASKS}. Received: task={self.task!r}")
        if self.x.ndim < 2 or self.y.ndim < 1 or self.x.shape[0] != self.y.shape[0]:
            raise ValueError("x must be (n, ...) and y (n, ...) with the same n. "
                             f"Received: x.shape={self.x.shape}, y.shape={self.y.shape}")
        if self.task == "classification" and self.label_encoding not in LABEL_ENCODINGS:
            raise ValueError("classification needs label_encoding 'integer' or 'onehot'. "
                             f"Received: label_encoding={self.label_encoding!r}")
        if self.task == "regression" and self.label_encoding is not None:
            raise ValueError(f"regression has no label_encoding. Received: label_encoding={self.label_encoding!r}")

    def __len__(self) -> int:
        return int(self.x.shape[0])

    @property
    def input_shape(self) -> tuple[int, ...]:
        return tuple(int(d) for d in self.x.shape[1:])

    @property
    def labels(self) -> np.ndarray | None:
        """Integer class labels whatever the encoding; None for regression."""
        if self.task != "classification":
            return None
        return self.y.argmax(axis=1) if self.label_encoding == "onehot" else self.y

    def subset(self, indices: np.ndarray) -> "DatasetArrays":
        return replace(self, x=self.x[indices], y=self.y[indices])
