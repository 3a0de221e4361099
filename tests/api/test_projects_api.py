"""Projects CRUD over HTTP with real SQLite, and persistence across a restart."""

from __future__ import annotations

from fastapi.testclient import TestClient

from app.main import create_app

GRAPH = {"name": "g", "nodes": [{"id": "x", "type": "Input", "params": {"shape": [3]}, "ui": {"x": 40, "y": 80}},
                                {"id": "y", "type": "Dense", "params": {"units": 1}}],
         "edges": [{"source": "x", "target": "y"}]}


def test_crud_round_trip(client):
    created = client.post("/api/projects", json={"name": "First", "graph": GRAPH})
    assert created.status_code == 201
    project = created.json()
    assert project["graph"]["nodes"][0]["ui"] == {"x": 40, "y": 80}
    pid = project["id"]
    assert client.get(f"/api/projects/{pid}").json()["name"] == "First"
    renamed = client.put(f"/api/projects/{pid}", json={"name": "Renamed"}).json()
    assert renamed["name"] == "Renamed" and renamed["graph"] == project["graph"]
    assert [p["id"] for p in client.get("/api/projects").json()] == [pid]
    assert client.delete(f"/api/projects/{pid}").status_code == 204
    missing = client.get(f"/api/projects/{pid}")
    assert missing.status_code == 404 and missing.json()["field"] == "project_id"


def test_bad_project_bodies(client):
    assert client.post("/api/projects", json={"graph": GRAPH}).status_code == 422  # no name
    response = client.post("/api/projects", json={"name": "x", "graph": {"nodes": [{"id": 1}]}})
    assert response.status_code == 422 and "nodes" in response.text
    assert client.put("/api/projects/nope", json={"name": "x"}).status_code == 404
    assert client.post("/api/projects", json={"name": "x", "owner_id": "someone"}).status_code == 422


def test_writes_survive_a_restart(settings):
    with TestClient(create_app(settings)) as first:
        pid = first.post("/api/projects", json={"name": "Keep me", "graph": GRAPH}).json()["id"]
    with TestClient(create_app(settings)) as second:
        assert second.get(f"/api/projects/{pid}").json()["graph"]["edges"] == GRAPH["edges"]


def test_timestamps_carry_their_zone(client):
    from datetime import datetime

    project = client.post("/api/projects", json={"name": "Zoned", "graph": GRAPH}).json()
    for key in ("created_at", "updated_at"):
        assert datetime.fromisoformat(project[key]).utcoffset() is not None, project[key]
    again = client.get(f"/api/projects/{project['id']}").json()
    assert datetime.fromisoformat(again["created_at"]).utcoffset().total_seconds() == 0
