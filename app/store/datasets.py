"""Uploaded datasets: table and repository.

Arrays live on disk (``app.data.storage``) so training workers read them
without a database; this table holds what listings need and who owns what.
Every read is scoped by owner: another owner's dataset answers 404.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import JSON, Integer, String, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from app.data import storage
from app.data.registry import is_builtin
from app.data.uploads import ParsedUpload, UploadOptions, parse_upload
from app.errors import Conflict, NotFound
from app.store.db import Base, UtcDateTime, get_owned, new_id, utcnow


class Dataset(Base):
    __tablename__ = "datasets"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    owner_id: Mapped[str | None] = mapped_column(String(32), index=True, nullable=True)
    name: Mapped[str] = mapped_column(String(200))
    task: Mapped[str] = mapped_column(String(20))
    n_rows: Mapped[int] = mapped_column(Integer)
    input_shape: Mapped[list[int]] = mapped_column(JSON)
    n_classes: Mapped[int | None] = mapped_column(Integer, nullable=True)
    class_names: Mapped[list[str] | None] = mapped_column(JSON, nullable=True)
    feature_names: Mapped[list[str]] = mapped_column(JSON)
    encoding: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)

    @property
    def label_encoding(self) -> str | None:
        value = self.encoding.get("target_encoding")
        return value if value in ("integer", "onehot") else None


def create_dataset(session: Session, *, data_dir: Path, parsed: ParsedUpload,
                   owner_id: str | None = None) -> Dataset:
    """Write the arrays first, then the row; a failed commit leaves no orphan files."""
    arrays = parsed.arrays
    dataset_id = new_id()
    storage.save_arrays(data_dir, dataset_id, arrays, extra={
        "owner_id": owner_id, "encoding": parsed.encoding, "standardization": parsed.standardization})
    row = Dataset(id=dataset_id, owner_id=owner_id, name=arrays.name, task=arrays.task, n_rows=len(arrays),
                  input_shape=list(arrays.input_shape), n_classes=arrays.n_classes,
                  class_names=arrays.class_names, feature_names=arrays.feature_names, encoding=parsed.encoding)
    try:
        session.add(row)
        session.commit()
    except Exception:
        session.rollback()
        storage.delete_arrays(data_dir, dataset_id)
        raise
    return row


def import_upload(session: Session, *, data: bytes, filename: str | None, options: UploadOptions,
                  data_dir: Path, max_bytes: int, max_rows: int, owner_id: str | None = None) -> Dataset:
    """Parse an uploaded file and store it: the one call behind ``POST /api/datasets``."""
    parsed = parse_upload(data, filename=filename, options=options, max_bytes=max_bytes, max_rows=max_rows)
    return create_dataset(session, data_dir=data_dir, parsed=parsed, owner_id=owner_id)


def get_dataset(session: Session, dataset_id: str, *, owner_id: str | None = None,
                field: str = "dataset_id") -> Dataset:
    if not storage.UPLOAD_ID.match(dataset_id):
        raise NotFound(f"No dataset with id '{dataset_id[:64]}'.", field=field)
    return get_owned(session, Dataset, dataset_id, owner_id=owner_id, field=field, label="dataset")


def ensure_readable(session: Session, dataset_id: str, *, owner_id: str | None = None,
                    field: str = "dataset.id") -> None:
    """Built-in ids are open to all; uploads only to their owner. Call before handing an id to a worker."""
    if not is_builtin(dataset_id):
        get_dataset(session, dataset_id, owner_id=owner_id, field=field)


def list_datasets(session: Session, *, owner_id: str | None = None) -> list[Dataset]:
    query = select(Dataset).where(Dataset.owner_id.is_(None) if owner_id is None else Dataset.owner_id == owner_id)
    return list(session.scalars(query.order_by(Dataset.created_at.desc())))


def delete_dataset(session: Session, dataset_id: str, *, data_dir: Path, owner_id: str | None = None) -> None:
    if is_builtin(dataset_id):
        raise Conflict(f"Built-in datasets cannot be deleted. Received: id={dataset_id!r}", field="dataset_id")
    row = get_dataset(session, dataset_id, owner_id=owner_id)
    session.delete(row)
    session.commit()
    storage.delete_arrays(data_dir, dataset_id)
