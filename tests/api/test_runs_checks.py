"""POST /api/runs refuses what cannot train, before queueing anything: 422 naming the node or
field, 404 for unknown objects, on a real server."""

from __future__ import annotations

import httpx
import pytest

from tests.api.test_runs import body

pytestmark = pytest.mark.slow


def chain(shape, *layers):
    nodes = [{"id": "x", "type": "Input", "params": {"shape": shape}}]
    for i, params in enumerate(layers):
        nodes.append({"id": "y" if i == len(layers) - 1 else f"h{i}", "type": params.pop("type", "Dense"),
                      "params": params})
    return {"sequential": nodes}


def classify(dataset: str, graph: dict, loss: str) -> dict:
    return body(graph=graph, dataset={"id": dataset},
                compile={"loss": loss, "optimizer": {"type": "adam"}, "metrics": ["accuracy"]})


@pytest.fixture
def client(live_server):
    with httpx.Client(base_url=live_server.url, timeout=60) as c:
        yield c


@pytest.mark.parametrize("payload, field, node, words", [
    (body(graph=chain([4], {"units": 1})), "graph.nodes[x].params.shape", "x", ["(4,)", "(3,)"]),
    (body(graph=chain([3], {"units": 128, "activation": "relu"}, {"units": 32})),
     "graph.nodes[y].params.units", "y", ["(32,)", "1 value per sample"]),
    (classify("iris", chain([4], {"units": 3, "activation": "softmax"}), "categorical_crossentropy"),
     "compile.loss", None, ["one-hot", "integer labels"]),
    (classify("iris", chain([4], {"units": 3}), "sparse_categorical_crossentropy"),
     "graph.nodes[y].params.activation", "y", ["raw scores", "softmax"]),
    (classify("circle", chain([2], {"units": 1, "activation": "softmax"}), "binary_crossentropy"),
     "graph.nodes[y].params.activation", "y", ["always outputs 1.0", "sigmoid"]),
    (classify("iris", chain([4], {"units": 1, "activation": "sigmoid"}), "binary_crossentropy"),
     "compile.loss", None, ["two classes"]),
    (body(compile={"loss": "binary_crossentropy"}), "compile.loss", None, ["continuous target"]),
])
def test_compile_checks(client, payload, field, node, words):
    response = client.post("/api/runs", json=payload)
    assert response.status_code == 422, response.text
    answer = response.json()
    assert answer["field"] == field and answer.get("node") == node
    assert all(word in answer["detail"] for word in words), answer["detail"]
    assert answer["errors"][0]["field"] == field


def test_nothing_was_queued_by_refused_requests(client):
    before = len(client.get("/api/runs").json())
    client.post("/api/runs", json=body(graph=chain([4], {"units": 1})))
    assert len(client.get("/api/runs").json()) == before


@pytest.mark.parametrize("fit, field", [
    ({"epochs": 10_001}, "fit.epochs"),
    ({"batch_size": 65_537}, "fit.batch_size"),
])
def test_bounds_from_settings(client, fit, field):
    response = client.post("/api/runs", json=body() | {"fit": body()["fit"] | fit})
    assert response.status_code == 422 and response.json()["field"] == field
    assert "Received" in response.json()["detail"]


def test_pydantic_bounds_and_shapes(client):
    for fit in ({"epochs": 0}, {"batch_size": -1}, {"validation_split": 0.95}):
        assert client.post("/api/runs", json=body() | {"fit": body()["fit"] | fit}).status_code == 422
    both = body() | {"project_id": "abc"}
    assert client.post("/api/runs", json=both).status_code == 422


def test_compile_settings_from_the_catalog(client):
    bad = client.post("/api/runs", json=body(compile={"loss": "mse_please"}))
    assert bad.status_code == 422 and bad.json()["field"] == "compile.loss"
    bad = client.post("/api/runs", json=body(compile={"optimizer": {"type": "adam", "momentum": 0.9}}))
    assert bad.status_code == 422 and bad.json()["field"] == "compile.optimizer.momentum"


def test_invalid_graph_names_the_node(client):
    graph = {"sequential": [{"id": "x", "type": "Input", "params": {"shape": [3]}},
                            {"id": "f", "type": "Lambda"}]}
    response = client.post("/api/runs", json=body(graph=graph))
    assert response.status_code == 422 and response.json()["node"] == "f"
    assert "Lambda" in response.json()["detail"]


def test_unknown_dataset_and_project(client):
    missing = client.post("/api/runs", json=body(dataset={"id": "ffffffffffffffffffffffffffffffff"}))
    assert missing.status_code == 404 and missing.json()["field"] == "dataset.id"
    no_project = {k: v for k, v in body().items() if k != "graph"} | {"project_id": "nope"}
    assert client.post("/api/runs", json=no_project).status_code == 404


def test_unknown_run_answers_404_everywhere(live_server, client):
    assert client.get("/api/runs/nope").status_code == 404
    assert client.post("/api/runs/nope/cancel").status_code == 404
    assert client.get("/api/runs/nope/predictions").status_code == 404
    assert client.get("/api/runs/nope/model.keras").status_code == 404
    assert client.get("/api/runs/nope/metrics").status_code == 404
    with httpx.stream("GET", f"{live_server.url}/api/runs/nope/events", timeout=10) as response:
        assert response.status_code == 404
        assert response.headers["content-type"].startswith("application/json")
        response.read()
        assert response.json()["detail"] == "No run with id 'nope'."


def test_bad_last_event_id(client):
    run = client.post("/api/runs", json=body(epochs=1)).json()
    response = client.get(f"/api/runs/{run['id']}/events", headers={"Last-Event-ID": "soon"})
    assert response.status_code == 422 and response.json()["field"] == "Last-Event-ID"
