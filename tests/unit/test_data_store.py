"""Uploaded datasets in SQLite and on disk: owner scoping, worker-side loading, deletion."""

from __future__ import annotations

import numpy as np
import pytest

from app.data import storage
from app.data.registry import load_dataset
from app.data.uploads import UploadOptions
from app.errors import Conflict, Invalid, NotFound
from app.store import datasets as repo

CSV = b"a,b,kind\n1,2,cat\n3,4,dog\n5,6,cat\n7,8,dog\n"


def upload(session, data_dir, owner_id=None, **options):
    return repo.import_upload(session, data=CSV, filename="pets.csv", options=UploadOptions(**options),
                              data_dir=data_dir, max_bytes=10_000, max_rows=100, owner_id=owner_id)


def test_upload_round_trips_through_disk_without_the_database(session, tmp_path):
    row = upload(session, tmp_path, target_encoding="onehot", name="Pets")
    assert (row.name, row.task, row.n_rows, row.input_shape, row.n_classes) == ("Pets", "classification", 4, [2], 2)
    assert row.class_names == ["cat", "dog"] and row.feature_names == ["a", "b"] and row.label_encoding == "onehot"
    data = load_dataset(row.id, {}, tmp_path)  # what a worker does: data dir only
    assert data.x.tolist() == [[1, 2], [3, 4], [5, 6], [7, 8]] and data.y.tolist()[1] == [0, 1]
    assert data.label_encoding == "onehot" and data.name == "Pets"
    meta = storage.read_meta(tmp_path, row.id)
    assert meta["encoding"]["target"] == "kind" and meta["n_rows"] == 4


def test_another_owner_cannot_see_or_delete(session, tmp_path):
    mine = upload(session, tmp_path, owner_id="b")
    with pytest.raises(NotFound):
        repo.get_dataset(session, mine.id, owner_id="a")
    with pytest.raises(NotFound):
        repo.get_dataset(session, mine.id)  # single-user mode sees only owner-less rows
    with pytest.raises(NotFound) as info:
        repo.ensure_readable(session, mine.id, owner_id="a")
    assert info.value.field == "dataset.id"
    with pytest.raises(NotFound):
        repo.delete_dataset(session, mine.id, data_dir=tmp_path, owner_id="a")
    assert repo.get_dataset(session, mine.id, owner_id="b").id == mine.id
    assert [d.id for d in repo.list_datasets(session, owner_id="b")] == [mine.id]
    assert repo.list_datasets(session, owner_id="a") == [] and repo.list_datasets(session) == []
    repo.ensure_readable(session, "iris", owner_id="a")  # built-ins are open to all


def test_delete_removes_row_and_files(session, tmp_path):
    row = upload(session, tmp_path)
    npz_path, json_path = storage.paths_for(tmp_path, row.id)
    assert npz_path.exists() and json_path.exists()
    repo.delete_dataset(session, row.id, data_dir=tmp_path)
    assert not npz_path.exists() and not json_path.exists()
    with pytest.raises(NotFound):
        load_dataset(row.id, {}, tmp_path)
    with pytest.raises(NotFound):
        repo.get_dataset(session, row.id)


def test_builtins_cannot_be_deleted(session, tmp_path):
    with pytest.raises(Conflict):
        repo.delete_dataset(session, "iris", data_dir=tmp_path)


def test_uploads_take_no_params(session, tmp_path):
    row = upload(session, tmp_path)
    with pytest.raises(Invalid) as info:
        load_dataset(row.id, {"samples": 10}, tmp_path)
    assert info.value.field == "dataset.params.samples"


def test_stored_arrays_keep_their_dtypes(session, tmp_path):
    row = upload(session, tmp_path)
    data = load_dataset(row.id, {}, tmp_path)
    assert data.x.dtype == np.float32 and data.y.dtype == np.int64
