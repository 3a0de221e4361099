"""Uploaded datasets on disk: ``<data_dir>/datasets/<id>.npz`` plus a JSON sidecar.

The sidecar carries the metadata so a training worker, which has no database,
can rebuild a DatasetArrays from the data directory alone.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

import numpy as np

from app.data.arrays import DatasetArrays

UPLOAD_ID = re.compile(r"^[0-9a-f]{32}$")
SIDECAR_VERSION = 1


def datasets_dir(data_dir: Path) -> Path:
    return Path(data_dir) / "datasets"


def paths_for(data_dir: Path, dataset_id: str) -> tuple[Path, Path]:
    """The array and sidecar paths; ids that are not ours never become a path."""
    if not UPLOAD_ID.match(dataset_id):
        raise ValueError(f"Not an upload id. Received: dataset_id={dataset_id[:64]!r}")
    root = datasets_dir(data_dir)
    return root / f"{dataset_id}.npz", root / f"{dataset_id}.json"


def save_arrays(data_dir: Path, dataset_id: str, arrays: DatasetArrays, extra: dict[str, Any] | None = None) -> None:
    """Write arrays then sidecar, each via a temporary file, so readers never see half a file."""
    npz_path, json_path = paths_for(data_dir, dataset_id)
    npz_path.parent.mkdir(parents=True, exist_ok=True)
    tmp_npz = npz_path.with_name(f".{dataset_id}.tmp.npz")
    np.savez(tmp_npz, x=arrays.x, y=arrays.y)
    os.replace(tmp_npz, npz_path)
    meta = {"version": SIDECAR_VERSION, "id": dataset_id, "name": arrays.name, "task": arrays.task,
            "n_classes": arrays.n_classes, "label_encoding": arrays.label_encoding,
            "feature_names": arrays.feature_names, "class_names": arrays.class_names,
            "n_rows": len(arrays), "input_shape": list(arrays.input_shape), **(extra or {})}
    tmp_json = json_path.with_name(f".{dataset_id}.tmp.json")
    tmp_json.write_text(json.dumps(meta), encoding="utf-8")
    os.replace(tmp_json, json_path)


def read_meta(data_dir: Path, dataset_id: str) -> dict[str, Any] | None:
    _, json_path = paths_for(data_dir, dataset_id)
    try:
        return json.loads(json_path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None


def load_arrays(data_dir: Path, dataset_id: str) -> DatasetArrays | None:
    """None when nothing is stored under this id."""
    meta = read_meta(data_dir, dataset_id)
    npz_path, _ = paths_for(data_dir, dataset_id)
    if meta is None or not npz_path.exists():
        return None
    with np.load(npz_path, allow_pickle=False) as npz:
        x, y = npz["x"], npz["y"]
    return DatasetArrays(x=x, y=y, task=meta["task"], n_classes=meta["n_classes"],
                         label_encoding=meta["label_encoding"], feature_names=list(meta["feature_names"]),
                         class_names=meta["class_names"], name=meta["name"])


def delete_arrays(data_dir: Path, dataset_id: str) -> None:
    for path in paths_for(data_dir, dataset_id):
        path.unlink(missing_ok=True)
