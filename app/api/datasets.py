"""Datasets: list built-in and uploaded sets, preview them, upload CSV/NPZ, delete uploads."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Response, UploadFile
from pydantic import BaseModel

from app.data.preview import preview
from app.data.registry import BUILTIN_IDS, describe_builtin, is_builtin, load_dataset
from app.data.uploads import UploadOptions, parse_feature_list
from app.deps import OwnerDep, SessionDep, SettingsDep
from app.store import datasets as repo

router = APIRouter(prefix="/api/datasets", tags=["datasets"])


class ParamPublic(BaseModel):
    name: str
    type: str
    default: Any
    minimum: float | None = None
    maximum: float | None = None
    description: str


class DatasetPublic(BaseModel):
    id: str
    name: str
    kind: str
    task: str
    description: str
    params: list[ParamPublic]
    input_shape: list[int]
    n_classes: int | None
    n_rows: int
    label_encoding: str | None
    feature_names: list[str]
    class_names: list[str] | None
    encoding: dict[str, Any] | None = None
    created_at: datetime | None = None


class DatasetPreview(BaseModel):
    id: str
    name: str
    kind: str
    task: str
    n_rows: int
    input_shape: list[int]
    x_shape: list[int]
    y_shape: list[int]
    x_dtype: str
    y_dtype: str
    n_classes: int | None
    label_encoding: str | None
    feature_names: list[str]
    class_names: list[str] | None
    head: dict[str, list]
    stats: dict[str, Any]
    figure: dict[str, Any]


def _upload_public(row: repo.Dataset) -> DatasetPublic:
    source = row.encoding.get("source")
    description = f"Uploaded {row.encoding.get('format', '').upper()} file" + (f" '{source}'" if source else "")
    return DatasetPublic(id=row.id, name=row.name, kind="upload", task=row.task, description=description,
                         params=[], input_shape=row.input_shape, n_classes=row.n_classes, n_rows=row.n_rows,
                         label_encoding=row.label_encoding, feature_names=row.feature_names,
                         class_names=row.class_names, encoding=row.encoding, created_at=row.created_at)


@router.get("", response_model=list[DatasetPublic], summary="List built-in datasets, then uploads (newest first)")
def list_datasets(session: SessionDep, owner: OwnerDep, settings: SettingsDep) -> list[DatasetPublic]:
    builtins = [DatasetPublic(**describe_builtin(i, max_samples=settings.max_samples)) for i in BUILTIN_IDS]
    return builtins + [_upload_public(row) for row in repo.list_datasets(session, owner_id=owner)]


@router.get("/{dataset_id}", response_model=DatasetPublic, summary="Describe one dataset")
def get_dataset(dataset_id: str, session: SessionDep, owner: OwnerDep, settings: SettingsDep) -> DatasetPublic:
    if is_builtin(dataset_id):
        return DatasetPublic(**describe_builtin(dataset_id, max_samples=settings.max_samples))
    return _upload_public(repo.get_dataset(session, dataset_id, owner_id=owner))


@router.get("/{dataset_id}/preview", response_model=DatasetPreview,
            summary="Shapes, first rows, statistics and a plotly figure")
def preview_dataset(dataset_id: str, session: SessionDep, owner: OwnerDep, settings: SettingsDep,
                    samples: int | None = None, noise: float | None = None, seed: int | None = None,
                    standardize: bool | None = None) -> dict[str, Any]:
    """Generator params come as query parameters; only those the dataset declares are accepted."""
    repo.ensure_readable(session, dataset_id, owner_id=owner, field="dataset_id")
    params = {k: v for k, v in {"samples": samples, "noise": noise, "seed": seed,
                                "standardize": standardize}.items() if v is not None}
    arrays = load_dataset(dataset_id, params, settings.data_dir, max_samples=settings.max_samples,
                          id_field="dataset_id", params_field="query")
    return preview(arrays, dataset_id=dataset_id, kind="builtin" if is_builtin(dataset_id) else "upload")


@router.post("", status_code=201, response_model=DatasetPublic, summary="Upload a CSV or NPZ dataset")
def upload_dataset(
    session: SessionDep, owner: OwnerDep, settings: SettingsDep,
    file: Annotated[UploadFile, File(description="CSV with a header row, or NPZ with arrays x and y.")],
    name: Annotated[str | None, Form(description="Display name; defaults to the file name.")] = None,
    features: Annotated[str | None, Form(description="Feature columns: 'a,b' or a JSON list; "
                                                     "default all but the target.")] = None,
    target: Annotated[str | None, Form(description="Target column (CSV); default the last column.")] = None,
    target_encoding: Annotated[str, Form(description="auto | integer | onehot | none (numeric regression). "
                                                     "auto: non-numeric targets become integer labels.")] = "auto",
    standardize: Annotated[bool, Form(description="Rescale features to mean 0, std 1.")] = False,
) -> DatasetPublic:
    data = file.file.read(settings.max_upload_bytes + 1)
    options = UploadOptions(name=name, features=parse_feature_list(features), target=target,
                            target_encoding=target_encoding, standardize=standardize)
    row = repo.import_upload(session, data=data, filename=file.filename, options=options,
                             data_dir=settings.data_dir, max_bytes=settings.max_upload_bytes,
                             max_rows=settings.max_rows, owner_id=owner)
    return _upload_public(row)


@router.delete("/{dataset_id}", status_code=204, summary="Delete an uploaded dataset")
def delete_dataset(dataset_id: str, session: SessionDep, owner: OwnerDep, settings: SettingsDep) -> Response:
    repo.delete_dataset(session, dataset_id, data_dir=settings.data_dir, owner_id=owner)
    return Response(status_code=204)
