"""The datasets API over HTTP with real SQLite and real files."""

from __future__ import annotations

import io

import numpy as np
import pytest
from fastapi.testclient import TestClient

from app.data.registry import BUILTIN_IDS, load_dataset
from app.main import create_app
from app.settings import Settings

CSV = b"sepal,petal,species\n5.1,1.4,setosa\n7.0,4.7,versicolor\n6.3,6.0,virginica\n4.9,1.4,setosa\n"


def make_client(tmp_path, **overrides):
    """No Keras warm-up: these routes never touch it, and the tests stay fast."""
    settings = Settings(data_dir=tmp_path / "data", warm_keras=False, prestart_workers=False, **overrides)
    return TestClient(create_app(settings))


@pytest.fixture
def api(tmp_path):
    with make_client(tmp_path) as client:
        yield client


def post_file(client, content: bytes, filename: str = "iris.csv", **form):
    return client.post("/api/datasets", files={"file": (filename, content, "application/octet-stream")},
                       data={k: str(v).lower() if isinstance(v, bool) else v for k, v in form.items()})


def test_list_shows_every_builtin_with_its_params(api):
    listed = api.get("/api/datasets").json()
    assert [d["id"] for d in listed] == list(BUILTIN_IDS)
    tutorial = listed[0]
    assert tutorial["kind"] == "builtin" and tutorial["task"] == "regression" and tutorial["input_shape"] == [3]
    params = {p["name"]: p for p in tutorial["params"]}
    assert params["samples"]["default"] == 150 and params["samples"]["maximum"] == 100_000
    assert {"noise", "seed"} <= set(params)
    digits = next(d for d in listed if d["id"] == "digits")
    assert digits["input_shape"] == [8, 8, 1] and digits["n_classes"] == 10
    assert api.get("/api/datasets/spiral").json()["class_names"] == ["0", "1"]


@pytest.mark.parametrize("dataset_id", BUILTIN_IDS)
def test_preview_every_builtin(api, dataset_id):
    response = api.get(f"/api/datasets/{dataset_id}/preview")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["id"] == dataset_id and body["x_shape"][0] == body["n_rows"] > 0
    assert 0 < len(body["head"]["x"]) <= 10 and body["stats"]["features"]
    figure = body["figure"]
    assert figure["data"] and all(trace.get("x") or trace.get("z") or trace.get("dimensions")
                                  for trace in figure["data"])


def test_preview_params_come_from_the_query(api):
    body = api.get("/api/datasets/circle/preview", params={"samples": 40, "noise": 0.1, "seed": 2}).json()
    assert body["n_rows"] == 40 and sum(c["count"] for c in body["stats"]["classes"]) == 40
    expected = load_dataset("circle", {"samples": 40, "noise": 0.1, "seed": 2}, None)
    assert body["head"]["y"] == expected.y[:10].tolist()
    bad = api.get("/api/datasets/circle/preview", params={"samples": 3})
    assert bad.status_code == 422 and bad.json()["field"] == "query.samples"
    bad = api.get("/api/datasets/iris/preview", params={"noise": 0.1})
    assert bad.status_code == 422 and bad.json()["field"] == "query.noise"
    assert api.get("/api/datasets/nope/preview").status_code == 404


def test_max_samples_comes_from_settings(tmp_path):
    with make_client(tmp_path, max_samples=50) as client:
        assert client.get("/api/datasets/sine/preview", params={"samples": 51}).status_code == 422
        assert client.get("/api/datasets/sine/preview", params={"samples": 50}).status_code == 200
        params = client.get("/api/datasets/sine").json()["params"]
        assert params[0]["maximum"] == 50


def test_csv_upload_list_preview_load_delete(api, tmp_path):
    created = post_file(api, CSV, name="Tiny iris", target="species", target_encoding="onehot", standardize=True)
    assert created.status_code == 201, created.text
    dataset = created.json()
    assert dataset["kind"] == "upload" and dataset["task"] == "classification"
    assert dataset["class_names"] == ["setosa", "versicolor", "virginica"] and dataset["label_encoding"] == "onehot"
    assert dataset["encoding"]["standardized"] is True and dataset["n_rows"] == 4
    assert [d["id"] for d in api.get("/api/datasets").json()][-1] == dataset["id"]

    preview = api.get(f"/api/datasets/{dataset['id']}/preview").json()
    assert preview["y_shape"] == [4, 3] and preview["figure"]["data"]
    assert [c["count"] for c in preview["stats"]["classes"]] == [2, 1, 1]
    assert abs(preview["stats"]["features"][0]["mean"]) < 1e-6

    arrays = load_dataset(dataset["id"], {}, tmp_path / "data")
    assert arrays.y.shape == (4, 3) and arrays.feature_names == ["sepal", "petal"]

    assert api.delete(f"/api/datasets/{dataset['id']}").status_code == 204
    gone = api.get(f"/api/datasets/{dataset['id']}/preview")
    assert gone.status_code == 404 and gone.json()["field"] == "dataset_id"
    assert api.delete(f"/api/datasets/{dataset['id']}").status_code == 404


def test_npz_upload(api):
    buffer = io.BytesIO()
    np.savez(buffer, x=np.random.default_rng(0).random((12, 6, 6)), y=np.arange(12) % 3)
    created = post_file(api, buffer.getvalue(), filename="shapes.npz")
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["input_shape"] == [6, 6] and body["n_classes"] == 3 and body["name"] == "shapes"
    figure = api.get(f"/api/datasets/{body['id']}/preview").json()["figure"]
    assert [t["type"] for t in figure["data"]] == ["heatmap"] * 10


def test_upload_errors_name_the_field(api):
    missing = post_file(api, b"a,b,y\n1,2,3\n4,,6\n")
    assert missing.status_code == 422
    assert missing.json() == {"detail": "Missing value in column 'b' at row 2 (line 3); fill it in or drop the row.",
                              "field": "file"}
    for content, filename in ((b"", "e.csv"), (bytes(range(256)) * 8, "g.csv"), (b"PK\x03\x04broken", "t.npz")):
        response = post_file(api, content, filename=filename)
        assert response.status_code == 422 and response.json()["field"] == "file", response.text
    bad = post_file(api, CSV, target_encoding="ordinal")
    assert bad.status_code == 422 and bad.json()["field"] == "target_encoding"
    bad = post_file(api, CSV, target="colour")
    assert bad.status_code == 422 and bad.json()["field"] == "target"
    assert api.post("/api/datasets", data={"name": "no file"}).status_code == 422
    assert [d["kind"] for d in api.get("/api/datasets").json()].count("upload") == 0


def test_upload_limits(tmp_path):
    with make_client(tmp_path, max_upload_bytes=2_000, max_rows=5) as client:
        big = post_file(client, b"a,y\n" + b"1.000000,2\n" * 400)
        assert big.status_code == 413
        rows = post_file(client, b"a,y\n" + b"1,2\n" * 6)
        assert rows.status_code == 422 and "NC_MAX_ROWS" in rows.json()["detail"]
        assert post_file(client, b"a,y\n" + b"1,2\n" * 5).status_code == 201


def test_builtins_cannot_be_deleted(api):
    response = api.delete("/api/datasets/iris")
    assert response.status_code == 409
    assert api.get("/api/datasets/iris/preview").status_code == 200


def test_uploads_survive_a_restart(tmp_path):
    with make_client(tmp_path) as first:
        dataset_id = post_file(first, CSV).json()["id"]
    with make_client(tmp_path) as second:
        assert second.get(f"/api/datasets/{dataset_id}").json()["n_rows"] == 4
