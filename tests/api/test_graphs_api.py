"""POST /api/graphs/summary and GET /api/layers over HTTP, including hostile input."""

from __future__ import annotations

import json

import pytest

MLP = {"sequential": [
    {"id": "x", "type": "Input", "params": {"shape": [3]}},
    {"id": "h", "type": "Dense", "params": {"units": 128, "activation": "relu"}},
    {"id": "y", "type": "Dense", "params": {"units": 1}},
]}


def test_layers_catalog_is_served(client):
    layers = client.get("/api/layers").json()["layers"]
    types = {layer["type"] for layer in layers}
    assert len(types) >= 80
    assert {"Input", "Dense", "Conv2D", "LSTM", "Concatenate", "Add"} <= types
    assert not {"Lambda", "TFSMLayer", "JaxLayer", "FlaxLayer", "TorchModuleWrapper"} & types


def test_summary_of_valid_graph(client):
    response = client.post("/api/graphs/summary", json=MLP)
    assert response.status_code == 200
    body = response.json()
    assert body["valid"] and body["kind"] == "sequential"
    assert body["nodes"]["h"] == {"output_shapes": [[None, 128]], "params": 512, "trainable": 512,
                                  "non_trainable": 0, "weight_bytes": 2048, "error": None, "hint": None,
                                  "warning": None, "shared_with": None}
    assert body["total_params"] == 512 + 129


def test_invalid_graph_still_answers_200_with_node_errors(client):
    graph = {"sequential": [{"id": "x", "type": "Input", "params": {"shape": [3]}},
                            {"id": "bad", "type": "Lambda", "params": {"function": "os.system"}}]}
    body = client.post("/api/graphs/summary", json=graph).json()
    assert body["valid"] is False
    assert body["errors"][0]["node"] == "bad"
    assert body["nodes"]["bad"]["error"]


@pytest.mark.parametrize("payload, field", [
    ('{"nodes": [', None),                       # malformed JSON
    ('[1, 2, 3]', None),                          # not an object
    ('{"nodes": [{"id": "x", "type": 7}]}', "type"),
    ('{"nodes": [{"id": "x", "type": "Input", "evil": 1}]}', "evil"),
    ('{"nodes": {"x": 1}}', "nodes"),
])
def test_malformed_bodies_get_422_naming_the_field(client, payload, field):
    response = client.post("/api/graphs/summary", content=payload, headers={"content-type": "application/json"})
    assert response.status_code == 422
    if field:
        assert field in json.dumps(response.json()["detail"])


def test_absurd_units_are_a_node_error(client):
    graph = {"sequential": [{"id": "x", "type": "Input", "params": {"shape": [3]}},
                            {"id": "d", "type": "Dense", "params": {"units": 10**12}}]}
    body = client.post("/api/graphs/summary", json=graph).json()
    assert not body["valid"] and body["errors"][0]["node"] == "d"
    assert "units" in body["errors"][0]["message"]


def test_hundred_thousand_nodes_are_refused(client):
    nodes = [{"id": f"n{i}", "type": "Flatten"} for i in range(100_000)]
    response = client.post("/api/graphs/summary", json={"nodes": nodes})
    assert response.status_code in (413, 422)
    assert "body" in response.text or "nodes" in response.text


def test_hundred_thousand_nodes_under_body_limit_name_the_field(client):
    client.app.state.settings  # noqa: B018 - the limit checked below comes from settings
    nodes = [{"id": f"n{i}", "type": "Flatten"} for i in range(1_001)]
    response = client.post("/api/graphs/summary", json={"nodes": nodes})
    assert response.status_code == 422
    assert response.json()["field"] == "nodes" and "NC_MAX_NODES" in response.json()["detail"]


def test_ten_megabyte_body_is_refused_without_parsing(client):
    blob = '{"name": "' + "x" * 10_000_000 + '"}'
    response = client.post("/api/graphs/summary", content=blob, headers={"content-type": "application/json"})
    assert response.status_code == 413
    assert response.json()["field"] == "body"


def test_deeply_nested_json_is_refused(client):
    payload = '{"nodes": [{"id": "x", "type": "Input", "params": {"shape": ' + "[" * 5000 + "]" * 5000 + "}}]}"
    response = client.post("/api/graphs/summary", content=payload, headers={"content-type": "application/json"})
    assert 400 <= response.status_code < 500


def test_huge_parameter_graph_answers_quickly_and_reports_the_limit(client):
    graph = {"sequential": [{"id": "x", "type": "Input", "params": {"shape": [100_000]}},
                            {"id": "big", "type": "Dense", "params": {"units": 1_000_000}}]}
    body = client.post("/api/graphs/summary", json=graph).json()
    assert body["total_params"] > 10**11 - 1
    assert not body["valid"] and "NC_MAX_PARAMS" in body["errors"][-1]["message"]


def test_openapi_documents_every_endpoint_with_examples(client):
    spec = client.get("/openapi.json").json()
    paths = spec["paths"]
    for path in ("/api/layers", "/api/graphs/summary", "/api/projects", "/api/projects/{project_id}",
                 "/api/datasets", "/api/runs", "/api/runs/{run_id}/events"):
        assert path in paths
    schemas = spec["components"]["schemas"]
    for path, ops in paths.items():
        for method, op in ops.items():
            assert op.get("summary"), (method, path)
            ok = [code for code in ("200", "201", "202") if code in op["responses"]]
            if ok:
                assert "example" in json.dumps(op["responses"][ok[0]]), f"no answer example: {method} {path}"
            if "requestBody" in op:
                body = json.dumps(op["requestBody"])
                refs = [r.split('"')[0].split("/")[-1] for r in body.split('"$ref": "')[1:]]
                documented = "example" in body or any("example" in json.dumps(schemas[r]) for r in refs)
                assert documented, f"no request example: {method} {path}"
    assert client.get("/docs").status_code == 200


def test_index_page_links_to_docs(client):
    page = client.get("/")
    assert page.status_code == 200 and "NeuralCanvas" in page.text and "/docs" in page.text


def test_import_endpoint_parses_keras_json(client):
    import keras

    model = keras.Sequential([keras.Input((6,)), keras.layers.Dense(4, activation="relu"), keras.layers.Dense(1)])
    response = client.post("/api/graphs/import", content=model.to_json(), headers={"content-type": "application/json"})
    assert response.status_code == 200
    graph = response.json()["graph"]
    summary = client.post("/api/graphs/summary", json=graph).json()
    assert summary["total_params"] == model.count_params()
    bad = client.post("/api/graphs/import", content=b"\x00\xff garbage", headers={"content-type": "application/json"})
    assert bad.status_code == 422 and bad.json()["field"] == "config"


def test_code_export_runs_and_refuses_invalid_graphs(client):
    response = client.post("/api/graphs/code", json=MLP)
    assert response.status_code == 200 and "keras.Sequential" in response.text
    namespace: dict = {}
    exec(compile(response.text, "<export>", "exec"), namespace)  # code we generated
    assert namespace["model"].count_params() == 512 + 129
    broken = {"sequential": [{"id": "x", "type": "Input", "params": {"shape": [3]}},
                             {"id": "c", "type": "Conv2D", "params": {"filters": 2, "kernel_size": 3}}]}
    refused = client.post("/api/graphs/code", json=broken)
    assert refused.status_code == 422 and refused.json()["node"] == "c"


def test_import_endpoint_reads_a_keras_file_without_loading_it(client, tmp_path):
    import io
    import zipfile

    import keras

    model = keras.Sequential([keras.Input((5,)), keras.layers.Dense(3, activation="relu"), keras.layers.Dense(2)])
    path = tmp_path / "m.keras"
    model.save(path)
    response = client.post("/api/graphs/import", content=path.read_bytes(),
                           headers={"content-type": "application/octet-stream"})
    assert response.status_code == 200, response.text
    summary = client.post("/api/graphs/summary", json=response.json()["graph"]).json()
    assert summary["total_params"] == model.count_params()

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("weights.h5", b"no config here")
    missing = client.post("/api/graphs/import", content=buffer.getvalue(),
                          headers={"content-type": "application/octet-stream"})
    assert missing.status_code == 422 and missing.json()["field"] == "file"
