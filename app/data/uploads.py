"""Turn an uploaded CSV or NPZ file into DatasetArrays, or say exactly what is wrong.

Every rejection is an Invalid/TooLarge naming the form field at fault
(``file``, ``features``, ``target``, ``target_encoding``) and, for CSV values,
the column and the 1-based data row, so a student can fix the file.
"""

from __future__ import annotations

import csv
import io
import json
import math
import zipfile
from array import array
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

import numpy as np

from app.data.arrays import DatasetArrays
from app.errors import Invalid, TooLarge

TARGET_ENCODINGS = ("auto", "integer", "onehot", "none")
MAX_CLASSES = 1_000
MAX_NAME = 200
# Compressed NPZ members may inflate; bound what we are willing to decompress.
NPZ_INFLATION = 10
MISSING = frozenset({"", "na", "n/a", "nan", "null", "?"})
DELIMITERS = (",", ";", "\t", "|")


@dataclass(frozen=True)
class UploadOptions:
    """The form fields that steer parsing; validated here so every caller gets the same rules."""

    name: str | None = None
    features: list[str] | str | None = None  # a string is parsed like the form field
    target: str | None = None
    target_encoding: str = "auto"
    standardize: bool = False

    def __post_init__(self) -> None:
        if isinstance(self.features, str):
            object.__setattr__(self, "features", parse_feature_list(self.features))
        if self.target_encoding not in TARGET_ENCODINGS:
            raise Invalid(f"target_encoding must be one of {', '.join(TARGET_ENCODINGS)}. "
                          f"Received: target_encoding={self.target_encoding!r:.60}", field="target_encoding")
        if self.name is not None and len(self.name) > MAX_NAME:
            raise Invalid(f"name must be at most {MAX_NAME} characters. Received: {len(self.name)} characters",
                          field="name")


@dataclass
class ParsedUpload:
    arrays: DatasetArrays
    encoding: dict[str, Any]
    standardization: dict[str, Any] | None = field(default=None)


def parse_feature_list(text: str | None) -> list[str] | None:
    """Accept ``a,b,c`` or a JSON list ``["a", "b"]``; blank means 'all but the target'."""
    if text is None or not text.strip():
        return None
    text = text.strip()
    if text.startswith("["):
        try:
            names = json.loads(text)
        except json.JSONDecodeError as exc:
            raise Invalid(f"features is not a valid JSON list ({exc.msg}). Received: features={text!r:.80}",
                          field="features") from None
        if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
            raise Invalid(f"features must be a list of column names. Received: features={text!r:.80}",
                          field="features")
    else:
        names = text.split(",")
    names = [n.strip() for n in names if n.strip()]
    if len(set(names)) != len(names):
        raise Invalid(f"features lists a column twice. Received: features={text!r:.80}", field="features")
    return names or None


def parse_upload(data: bytes, *, filename: str | None, options: UploadOptions, max_bytes: int,
                 max_rows: int) -> ParsedUpload:
    """Detect the format (extension first, then content) and parse it."""
    if len(data) > max_bytes:
        raise TooLarge(f"The file is larger than {max_bytes:,} bytes (NC_MAX_UPLOAD_BYTES). "
                       f"Received: {len(data):,} bytes", field="file")
    if not data.strip():
        raise Invalid("The file is empty.", field="file")
    suffix = PurePath(filename or "").suffix.lower()
    default_name = PurePath(filename).stem[:MAX_NAME] if filename else "Uploaded dataset"
    name = (options.name or "").strip() or default_name or "Uploaded dataset"
    if suffix == ".npz" or (suffix not in (".csv", ".tsv", ".txt") and data[:4] == b"PK\x03\x04"):
        parsed = _parse_npz(data, options, name=name, max_bytes=max_bytes, max_rows=max_rows)
    else:
        parsed = _parse_csv(data, options, name=name, max_rows=max_rows)
    if filename:
        parsed.encoding["source"] = PurePath(filename).name[:MAX_NAME]
    return parsed


# --- CSV ------------------------------------------------------------------------------------------

def _decode(data: bytes) -> str:
    if b"\x00" in data[:65536]:
        raise Invalid("The file looks binary, not CSV text (it contains NUL bytes).", field="file")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise Invalid(f"The file is not UTF-8 text (bad byte at offset {exc.start}); save the CSV as UTF-8.",
                      field="file") from None


def _delimiter(text: str) -> str:
    """The candidate that splits the header line most; a comma when none does."""
    header = next((line for line in text.splitlines() if line.strip()), "")
    counts = {d: header.count(d) for d in DELIMITERS}
    best = max(counts, key=counts.get)
    return best if counts[best] > 0 else ","


def _header(row: list[str]) -> list[str]:
    names = [cell.strip() or f"column_{j + 1}" for j, cell in enumerate(row)]
    seen = set()
    for col in names:
        if col in seen:
            raise Invalid(f"Column names must be unique; '{col[:60]}' appears twice in the header.", field="file")
        seen.add(col)
    return names


def _pick_columns(header: list[str], options: UploadOptions) -> tuple[list[int], int]:
    target = (options.target or "").strip() or header[-1]
    if target not in header:
        raise Invalid(f"The target column is not in the file (columns: {_listing(header)}). "
                      f"Received: target={target!r:.60}", field="target")
    features = options.features or [h for h in header if h != target]
    unknown = [f for f in features if f not in header]
    if unknown:
        raise Invalid(f"Feature column '{unknown[0][:60]}' is not in the file (columns: {_listing(header)}). "
                      f"Received: features={features!r:.120}", field="features")
    if target in features:
        raise Invalid(f"The target column cannot also be a feature. Received: target={target!r:.60}",
                      field="features")
    if not features:
        raise Invalid("Pick at least one feature column besides the target.", field="features")
    return [header.index(f) for f in features], header.index(target)


def _listing(names: list[str], limit: int = 12) -> str:
    shown = ", ".join(n[:40] for n in names[:limit])
    return shown + (f", ... ({len(names)} in all)" if len(names) > limit else "")


def _number(cell: str) -> float | None:
    """The cell as a finite float, None when it is not a number at all."""
    try:
        value = float(cell)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _parse_csv(data: bytes, options: UploadOptions, *, name: str, max_rows: int) -> ParsedUpload:
    text = _decode(data)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    try:
        header = _header(next(row for row in reader if row))
        feature_idx, target_idx = _pick_columns(header, options)
        values = array("d")
        targets: list[str] = []
        row_number = 0
        for row in reader:
            if not row:
                continue
            row_number += 1
            if row_number > max_rows:
                raise Invalid(f"The file has more than {max_rows:,} data rows (NC_MAX_ROWS).", field="file")
            if len(row) != len(header):
                raise Invalid(f"Row {row_number} (line {reader.line_num}) has {len(row)} values but the header "
                              f"has {len(header)} columns.", field="file")
            for j in feature_idx:
                cell = row[j].strip()
                value = _number(cell)
                if value is None:
                    raise _bad_cell(cell, header[j], row_number, reader.line_num)
                values.append(value)
            cell = row[target_idx].strip()
            if cell.lower() in MISSING or (options.target_encoding == "none" and _number(cell) is None):
                raise _bad_cell(cell, header[target_idx], row_number, reader.line_num)
            targets.append(cell)
    except StopIteration:
        raise Invalid("The file has no header row.", field="file") from None
    except csv.Error as exc:
        raise Invalid(f"The file is not valid CSV ({exc}).", field="file") from None
    if row_number == 0:
        raise Invalid("The file has a header but no data rows.", field="file")

    x = np.frombuffer(values, dtype=np.float64).reshape(row_number, len(feature_idx))
    target_name = header[target_idx]
    y, task, n_classes, label_encoding, class_names, resolved = _encode_csv_target(
        targets, options.target_encoding, target_name)
    x, standardization = _standardize(x, options.standardize)
    arrays = DatasetArrays(x=x.astype(np.float32), y=y, task=task, n_classes=n_classes,
                           label_encoding=label_encoding, feature_names=[header[j] for j in feature_idx],
                           class_names=class_names, name=name)
    encoding = {"format": "csv", "target": target_name, "target_encoding": resolved,
                "standardized": options.standardize}
    return ParsedUpload(arrays=arrays, encoding=encoding, standardization=standardization)


def _bad_cell(cell: str, column: str, row: int, line: int) -> Invalid:
    where = f"in column '{column[:60]}' at row {row} (line {line})"
    if cell.lower() in MISSING:
        return Invalid(f"Missing value {where}; fill it in or drop the row.", field="file")
    try:
        float(cell)
    except ValueError:
        pass
    else:
        return Invalid(f"Value {cell[:40]!r} {where} is not a finite number.", field="file")
    return Invalid(f"Non-numeric value {cell[:40]!r} {where}; feature and numeric target columns must hold "
                   "finite numbers.", field="file")


def _encode_csv_target(cells: list[str], encoding: str, column: str):
    """Cells are present (checked while reading); numbers mean regression unless told otherwise."""
    numbers = [_number(c) for c in cells]
    numeric = all(n is not None for n in numbers)
    if encoding == "none" or (encoding == "auto" and numeric):
        return (np.asarray(numbers, dtype=np.float32), "regression", None, None, None, "none")
    keys: list[Any] = numbers if numeric else cells
    labels, class_names = _labels(keys, column)
    return _classification(labels, class_names, "onehot" if encoding == "onehot" else "integer")


def _labels(keys: list[Any] | np.ndarray, column: str) -> tuple[np.ndarray, list[str]]:
    """Sorted distinct values become labels 0..k-1 so sparse losses always see a dense range."""
    classes, labels = np.unique(np.asarray(keys), return_inverse=True)
    if len(classes) > MAX_CLASSES:
        raise Invalid(f"The target '{column[:60]}' has {len(classes):,} distinct values; at most {MAX_CLASSES:,} "
                      "classes are allowed. Pick target_encoding=none for a numeric target.", field="target")
    if len(classes) < 2:
        raise Invalid(f"The target '{column[:60]}' has a single class; classification needs at least two.",
                      field="target")
    return labels.reshape(-1).astype(np.int64), [_class_name(c) for c in classes.tolist()]


def _class_name(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return str(value)


def _classification(labels: np.ndarray, class_names: list[str], encoding: str):
    k = len(class_names)
    if encoding == "onehot":
        return (np.eye(k, dtype=np.float32)[labels], "classification", k, "onehot", class_names, "onehot")
    return (labels, "classification", k, "integer", class_names, "integer")


def _standardize(x: np.ndarray, enabled: bool) -> tuple[np.ndarray, dict[str, Any] | None]:
    """Per feature for tables; one mean/std for image-like arrays (keeps pixels comparable)."""
    if not enabled:
        return x, None
    x = x.astype(np.float64)
    if x.ndim == 2:
        mean, std = x.mean(axis=0), x.std(axis=0)
        std = np.where(std > 0, std, 1.0)
        return (x - mean) / std, {"mean": mean.tolist(), "std": std.tolist()}
    mean, std = float(x.mean()), float(x.std()) or 1.0
    return (x - mean) / std, {"mean": mean, "std": std}


# --- NPZ ------------------------------------------------------------------------------------------

_CORRUPT = (zipfile.BadZipFile, ValueError, OSError, EOFError, KeyError, zipfile.LargeZipFile)


def _parse_npz(data: bytes, options: UploadOptions, *, name: str, max_bytes: int, max_rows: int) -> ParsedUpload:
    try:
        npz = np.load(io.BytesIO(data), allow_pickle=False)
    except _CORRUPT as exc:
        raise Invalid(f"The file is not a readable NPZ archive ({_short(exc)}).", field="file") from None
    if not isinstance(npz, np.lib.npyio.NpzFile):
        raise Invalid("Expected an .npz archive holding arrays 'x' and 'y', not a single .npy array.",
                      field="file")
    with npz:
        inflated = sum(info.file_size for info in npz.zip.infolist())
        if inflated > NPZ_INFLATION * max_bytes:
            raise TooLarge(f"The archive unpacks to {inflated:,} bytes, more than {NPZ_INFLATION} x "
                           f"NC_MAX_UPLOAD_BYTES.", field="file")
        missing = [key for key in ("x", "y") if key not in npz.files]
        if missing:
            raise Invalid(f"The NPZ archive must hold arrays 'x' and 'y'; '{missing[0]}' is missing "
                          f"(found: {_listing(npz.files) or 'nothing'}).", field="file")
        budget = NPZ_INFLATION * max_bytes
        x, y = _member(npz, "x", budget), _member(npz, "y", budget)
        names = {key: _member(npz, key, budget) for key in ("feature_names", "class_names") if key in npz.files}
    return _npz_arrays(x, y, names, options, name=name, max_rows=max_rows)


def _declared(npz, key: str) -> tuple[tuple[int, ...], np.dtype, int]:
    """Shape and dtype from an .npy member's header, and its stored size."""
    member = f"{key}.npy"
    stored = npz.zip.getinfo(member).file_size
    with npz.zip.open(member) as handle:
        version = np.lib.format.read_magic(handle)
        read_header = (np.lib.format.read_array_header_1_0 if version == (1, 0)
                       else np.lib.format.read_array_header_2_0)
        shape, _fortran, dtype = read_header(handle)
    return tuple(shape), np.dtype(dtype), stored


def _short(exc: BaseException) -> str:
    return (str(exc) or type(exc).__name__)[:120]


def _member(npz, key: str, budget: int) -> np.ndarray:
    """Read one array after checking what its header declares: numpy allocates
    from the header, so a forged shape would otherwise ask for terabytes."""
    try:
        shape, dtype, stored = _declared(npz, key)
    except _CORRUPT as exc:
        raise Invalid(f"Array '{key}' in the archive is corrupt ({_short(exc)}).", field="file") from None
    elements = math.prod(shape)
    if dtype.hasobject:
        raise Invalid(f"Array '{key}' holds Python objects, which are never unpickled; save it with a "
                      "numeric or string dtype.", field="file")
    if elements * dtype.itemsize > stored:
        raise Invalid(f"Array '{key}' declares shape {shape} but holds only {stored:,} bytes.", field="file")
    if elements * 8 > budget:  # it is converted to float64 while parsing
        raise TooLarge(f"Array '{key}' has {elements:,} values, too many to process within "
                       f"NC_MAX_UPLOAD_BYTES.", field="file")
    try:
        return npz[key]
    except MemoryError:
        raise TooLarge(f"Array '{key}' is too large to load.", field="file") from None
    except _CORRUPT as exc:
        if "allow_pickle" in str(exc) or "Object arrays" in str(exc):
            raise Invalid(f"Array '{key}' holds Python objects, which are never unpickled; save it with a "
                          "numeric or string dtype.", field="file") from None
        raise Invalid(f"Array '{key}' in the archive is corrupt ({_short(exc)}).", field="file") from None


def _npz_arrays(x: np.ndarray, y: np.ndarray, names: dict[str, np.ndarray], options: UploadOptions, *,
                name: str, max_rows: int) -> ParsedUpload:
    if x.dtype.kind not in "biuf" or x.ndim == 0:
        raise Invalid(f"Array 'x' must be numeric with one row per example. Received: x.dtype={x.dtype}, "
                      f"x.shape={x.shape}", field="file")
    if y.ndim == 0 or y.ndim > 2 or y.dtype.kind not in "biufUS":
        raise Invalid(f"Array 'y' must be numbers or strings of shape (n,) or (n, k). Received: y.dtype={y.dtype}, "
                      f"y.shape={y.shape}", field="file")
    if x.ndim == 1:
        x = x.reshape(-1, 1)
    n = x.shape[0]
    if y.shape[0] != n:
        raise Invalid(f"'x' and 'y' must have the same number of rows. Received: x.shape={x.shape}, "
                      f"y.shape={y.shape}", field="file")
    if n == 0:
        raise Invalid("The arrays hold no rows.", field="file")
    if n > max_rows:
        raise Invalid(f"The arrays have {n:,} rows, more than {max_rows:,} (NC_MAX_ROWS).", field="file")
    x = x.astype(np.float64)
    if not np.isfinite(x).all():
        row = int(np.argwhere(~np.isfinite(x.reshape(n, -1)))[0][0]) + 1
        raise Invalid(f"Array 'x' holds a missing or infinite value at row {row}.", field="file")
    y_out, task, n_classes, label_encoding, class_names, resolved = _encode_npz_target(y, options.target_encoding)
    if class_names is not None and "class_names" in names:
        given = names["class_names"]
        if given.dtype.kind in "US" and given.shape == (len(class_names),):
            class_names = [_class_name(c) for c in given.tolist()]
    x, standardization = _standardize(x, options.standardize)
    arrays = DatasetArrays(x=x.astype(np.float32), y=y_out, task=task, n_classes=n_classes,
                           label_encoding=label_encoding, feature_names=_npz_feature_names(x, names, options),
                           class_names=class_names, name=name)
    encoding = {"format": "npz", "target": "y", "target_encoding": resolved, "standardized": options.standardize}
    return ParsedUpload(arrays=arrays, encoding=encoding, standardization=standardization)


def _npz_feature_names(x: np.ndarray, names: dict[str, np.ndarray], options: UploadOptions) -> list[str]:
    if x.ndim != 2:
        return []
    width = x.shape[1]
    if options.features is not None:
        if len(options.features) != width:
            raise Invalid(f"features must name all {width} columns of 'x'. Received: {len(options.features)} "
                          "names", field="features")
        return list(options.features)
    given = names.get("feature_names")
    if given is not None and given.dtype.kind in "US" and given.shape == (width,):
        return [_class_name(v) for v in given.tolist()]
    return [f"x{j}" for j in range(width)]


def _is_onehot(y: np.ndarray) -> bool:
    return (y.ndim == 2 and y.shape[1] > 1 and y.dtype.kind in "biuf" and bool(np.isin(y, (0, 1)).all())
            and bool((y.sum(axis=1) == 1).all()))


def _encode_npz_target(y: np.ndarray, encoding: str):
    if y.ndim == 2 and y.shape[1] == 1:
        y = y[:, 0]
    if y.dtype.kind in "US":
        if encoding == "none":
            raise Invalid("target_encoding=none needs a numeric 'y'; this one holds strings.", field="target_encoding")
        labels, class_names = _labels(y, "y")
        return _classification(labels, class_names, "onehot" if encoding == "onehot" else "integer")
    integral_dtype = y.dtype.kind in "biu"
    y = y.astype(np.float64) if y.dtype.kind == "b" else y
    if not np.isfinite(y).all():
        row = int(np.argwhere(~np.isfinite(y.reshape(len(y), -1)))[0][0]) + 1
        raise Invalid(f"Array 'y' holds a missing or infinite value at row {row}.", field="file")
    onehot = _is_onehot(y)
    classify = encoding in ("integer", "onehot") or (encoding == "auto" and (integral_dtype or onehot))
    if not classify:
        return (y.astype(np.float32), "regression", None, None, None, "none")
    if onehot:
        k = y.shape[1]
        names = [str(j) for j in range(k)]
        labels = y.argmax(axis=1).astype(np.int64)
        return _classification(labels, names, "integer" if encoding == "integer" else "onehot")
    if y.ndim != 1:
        raise Invalid(f"Class labels must be one per row (n,) or one-hot rows (n, k). Received: y.shape={y.shape}",
                      field="target_encoding")
    if not np.equal(np.mod(y, 1), 0).all():
        raise Invalid("Class labels must be whole numbers or strings; pick target_encoding=none for a numeric "
                      "target.", field="target_encoding")
    labels, class_names = _labels(y, "y")
    return _classification(labels, class_names, "onehot" if encoding == "onehot" else "integer")
