"""Dataset ids, loading and splitting: the one entry point the training worker calls.

``load_dataset`` needs only the data directory (no database), so a worker
process can rebuild the exact arrays a run asked for. Access control for
uploads happens before that, in the web process (``app.store.datasets``).
"""

from __future__ import annotations

import pathlib
from functools import lru_cache
from typing import Any

import numpy as np

from app.data import storage
from app.data.arrays import DatasetArrays
from app.data.builtin import BUILTINS, DEFAULT_MAX_SAMPLES
from app.data.params import resolve_params
from app.errors import Invalid, NotFound

__all__ = ["BUILTIN_IDS", "DatasetArrays", "describe_builtin", "is_builtin", "load_dataset", "split_dataset"]

BUILTIN_IDS: tuple[str, ...] = tuple(BUILTINS)


def is_builtin(dataset_id: str) -> bool:
    return dataset_id in BUILTINS


def load_dataset(dataset_id: str, params: dict, data_dir: pathlib.Path, *,
                 max_samples: int = DEFAULT_MAX_SAMPLES, id_field: str = "dataset.id",
                 params_field: str = "dataset.params") -> DatasetArrays:
    """Generate a built-in set or read an uploaded one.

    Unknown ids raise NotFound(field=id_field); bad params raise Invalid naming
    the param (``dataset.params.samples``). Uploads take no params. The keyword
    arguments let other callers (the preview route) name their own fields.
    """
    if not isinstance(dataset_id, str):
        raise NotFound(f"Dataset id must be a string. Received: id={dataset_id!r:.60}", field=id_field)
    builtin = BUILTINS.get(dataset_id)
    if builtin is not None:
        resolved = resolve_params(builtin.params, params, dataset_id=dataset_id, field_prefix=params_field,
                                  max_samples=max_samples)
        return builtin.make(resolved)
    if not storage.UPLOAD_ID.match(dataset_id):
        raise _not_found(dataset_id, id_field)
    resolve_params((), params, dataset_id=dataset_id, field_prefix=params_field)
    arrays = storage.load_arrays(pathlib.Path(data_dir), dataset_id)
    if arrays is None:
        raise _not_found(dataset_id, id_field)
    return arrays


def _not_found(dataset_id: str, field: str) -> NotFound:
    return NotFound(f"No dataset with id '{dataset_id[:64]}'. Built-in ids: {', '.join(BUILTIN_IDS)}.",
                    field=field)


@lru_cache(maxsize=None)
def _default_shape_info(dataset_id: str) -> tuple[list[str], list[str] | None]:
    arrays = BUILTINS[dataset_id].make({p.name: p.default for p in BUILTINS[dataset_id].params})
    return arrays.feature_names, arrays.class_names


def describe_builtin(dataset_id: str, *, max_samples: int = DEFAULT_MAX_SAMPLES) -> dict[str, Any]:
    """What the dataset list shows for one built-in set (params schema included)."""
    spec = BUILTINS[dataset_id]
    feature_names, class_names = _default_shape_info(dataset_id)
    return {"id": spec.id, "name": spec.name, "kind": "builtin", "task": spec.task, "description": spec.description,
            "params": [p.to_dict(max_samples=max_samples) for p in spec.params],
            "input_shape": list(spec.input_shape), "n_classes": spec.n_classes, "n_rows": spec.n_rows,
            "label_encoding": "integer" if spec.task == "classification" else None,
            "feature_names": list(feature_names), "class_names": list(class_names) if class_names else None}


def split_dataset(arrays: DatasetArrays, *, validation: float, test: float,
                  seed: int) -> tuple[DatasetArrays, DatasetArrays, DatasetArrays]:
    """Train, validation and test parts, shuffled with ``seed``.

    Sizes are round(fraction * n), at least one row for a non-zero fraction.
    Classification splits are stratified when every class has two members and
    each part can hold every class; otherwise they fall back to a plain shuffle.
    """
    for name, value in (("validation", validation), ("test", test)):
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value < 1:
            raise Invalid(f"{name} must be a fraction in [0, 1). Received: {name}={value!r:.60}", field=name)
    if validation + test >= 1:
        raise Invalid(f"validation + test must leave rows to train on. Received: validation={validation}, "
                      f"test={test}", field="validation")
    n = len(arrays)
    n_test, n_val = _count(test, n), _count(validation, n)
    if n - n_test - n_val < 1:
        raise Invalid(f"{n} rows are too few for this split. Received: validation={validation}, test={test}",
                      field="validation")
    labels = arrays.labels
    index = np.arange(n)
    rest, test_idx = _take(index, n_test, labels, seed)
    train_idx, val_idx = _take(rest, n_val, labels, seed)
    return arrays.subset(train_idx), arrays.subset(val_idx), arrays.subset(test_idx)


def _count(fraction: float, n: int) -> int:
    return 0 if fraction == 0 else max(1, int(round(fraction * n)))


def _take(index: np.ndarray, size: int, labels: np.ndarray | None, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Split ``size`` rows off ``index``; stratify on ``labels`` when that is possible."""
    from sklearn.model_selection import train_test_split  # 1.4 s to import: only when splitting

    if size == 0:
        rng = np.random.default_rng(seed)
        return rng.permutation(index), index[:0]
    stratify = None
    if labels is not None:
        part = labels[index]
        counts = np.unique(part, return_counts=True)[1]
        k = len(counts)
        if counts.min() >= 2 and size >= k and len(index) - size >= k:
            stratify = part
    keep, taken = train_test_split(index, test_size=size, random_state=seed, shuffle=True, stratify=stratify)
    return np.asarray(keep), np.asarray(taken)
