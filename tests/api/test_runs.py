"""Runs end to end on a real server (uvicorn subprocess), streams read over real HTTP.

Real Keras in real worker processes, real SQLite, real SSE read with httpx.
Kept small for 2 cores: tiny models, few epochs.
"""

from __future__ import annotations

import json
import os
import signal
import time

import httpx
import psutil
import pytest

pytestmark = pytest.mark.slow

TUTORIAL = {"sequential": [
    {"id": "x", "type": "Input", "params": {"shape": [3]}},
    {"id": "h1", "type": "Dense", "params": {"units": 128, "activation": "relu"}},
    {"id": "h2", "type": "Dense", "params": {"units": 32, "activation": "relu"}},
    {"id": "y", "type": "Dense", "params": {"units": 1}},
]}
STREAM_TIMEOUT = httpx.Timeout(10.0, read=90.0)


def body(epochs: int = 10, batch_size: int = 8, **overrides) -> dict:
    base = {"graph": TUTORIAL, "dataset": {"id": "tutorial_regression", "params": {"samples": 150, "seed": 0}},
            "compile": {"loss": "mean_squared_error", "optimizer": {"type": "adam", "learning_rate": 0.001},
                        "metrics": ["mean_absolute_error"]},
            "fit": {"epochs": epochs, "batch_size": batch_size, "validation_split": 0.2, "shuffle": True,
                    "seed": 0}}
    return base | overrides


def sse(response: httpx.Response):
    """Parse text/event-stream into dicts {id, event, data}."""
    fields: dict = {"data": []}
    for line in response.iter_lines():
        if line == "":
            if fields["data"]:
                yield {"id": int(fields["id"]), "event": fields.get("event"),
                       "data": json.loads("\n".join(fields["data"]))}
            fields = {"data": []}
        elif line.startswith(":"):
            continue
        else:
            name, _, value = line.partition(":")
            value = value[1:] if value.startswith(" ") else value
            if name == "data":
                fields["data"].append(value)
            else:
                fields[name] = value


def stream(server, run_id: str, *, headers: dict | None = None, limit: int | None = None,
           until=None) -> list[dict]:
    """Read a run's stream to its end (or ``limit`` events, or until ``until(event)``)."""
    seen = []
    with httpx.stream("GET", f"{server.url}/api/runs/{run_id}/events", headers=headers or {},
                      timeout=STREAM_TIMEOUT) as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        for event in sse(response):
            seen.append(event)
            if (limit and len(seen) >= limit) or (until and until(event)):
                break
    return seen


def submit(client: httpx.Client, payload: dict) -> dict:
    response = client.post("/api/runs", json=payload)
    assert response.status_code == 202, response.text
    return response.json()


def wait_for(predicate, timeout: float = 60, interval: float = 0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError("timed out waiting")


def run_state(client, run_id):
    return client.get(f"/api/runs/{run_id}").json()


@pytest.fixture
def client(live_server):
    with httpx.Client(base_url=live_server.url, timeout=60) as c:
        yield c


def test_tutorial_regression_end_to_end(live_server, client):
    run = submit(client, body(epochs=15))
    assert run["status"] in ("queued", "running") and run["request"]["graph"]["nodes"][3]["id"] == "y"
    events = stream(live_server, run["id"])
    ids = [e["id"] for e in events]
    assert ids == list(range(1, len(ids) + 1))
    assert events[0]["event"] == "status" and events[0]["data"]["status"] == "queued"
    assert events[-1]["event"] == "end" and events[-1]["data"]["status"] == "completed"
    epochs = [e["data"] for e in events if e["event"] == "epoch"]
    assert [e["epoch"] for e in epochs] == list(range(1, 16))
    assert {"loss", "val_loss", "mean_absolute_error", "val_mean_absolute_error"} <= set(epochs[-1]["logs"])
    assert any(e["event"] == "batch" for e in events)

    state = run_state(client, run["id"])
    assert state["status"] == "completed" and state["error"] is None and state["run_seconds"] > 0
    assert state["final_metrics"]["epochs_run"] == 15 and state["worker_pid"]

    predictions = client.get(f"/api/runs/{run['id']}/predictions").json()
    y_true, y_pred = predictions["y_true"], predictions["y_pred"]
    assert predictions["task"] == "regression" and len(y_true) == len(y_pred) == 30
    mse = sum((p - t) ** 2 for p, t in zip(y_pred, y_true)) / len(y_true)
    mean = sum(y_true) / len(y_true)
    predict_mean = sum((t - mean) ** 2 for t in y_true) / len(y_true)
    assert mse == pytest.approx(predictions["metrics"]["mse"], rel=1e-4)
    assert mse < predict_mean / 10  # far better than predicting the mean
    assert predictions["metrics"]["mse"] < predictions["mean_baseline"]["metrics"]["mse"]
    assert predictions["baseline"]["model"].startswith("LinearRegression")
    assert predictions["figure"]["data"][0]["name"] == "y-original"

    model = client.get(f"/api/runs/{run['id']}/model.keras")
    assert model.status_code == 200 and model.content[:2] == b"PK"  # a .keras file is a zip
    assert run["id"] in [r["id"] for r in client.get("/api/runs").json()]


def test_resumed_stream_has_no_gaps_or_duplicates(live_server, client):
    run = submit(client, body(epochs=25, batch_size=16))
    first = stream(live_server, run["id"], limit=4)
    time.sleep(0.5)  # events keep coming while nobody listens
    rest = stream(live_server, run["id"], headers={"Last-Event-ID": str(first[-1]["id"])})
    ids = [e["id"] for e in first + rest]
    assert ids == list(range(1, len(ids) + 1)) and rest[-1]["event"] == "end"
    late = stream(live_server, run["id"])  # after the end: the whole history, then the stream closes
    assert [(e["id"], e["event"], e["data"]) for e in late] == [(e["id"], e["event"], e["data"]) for e in first + rest]
    polled = client.get(f"/api/runs/{run['id']}/metrics", params={"after": 3}).json()
    assert [e["id"] for e in polled["events"]] == ids[3:] and polled["done"] is True
    assert polled["events"][0]["data"] == late[3]["data"]
    resumed = httpx.get(f"{live_server.url}/api/runs/{run['id']}/events", params={"after": len(ids) - 2},
                        timeout=STREAM_TIMEOUT)
    assert [line for line in resumed.text.splitlines() if line.startswith("id:")] == [
        f"id: {len(ids) - 1}", f"id: {len(ids)}"]


def test_cancel_running_and_queued_runs(live_server, client):
    project = client.post("/api/projects", json={"name": "tutorial", "graph": TUTORIAL}).json()
    running = submit(client, body(epochs=5000, batch_size=1))
    queued = submit(client, {k: v for k, v in body(epochs=5).items() if k != "graph"} | {"project_id": project["id"]})
    assert queued["project_id"] == project["id"]
    assert run_state(client, queued["id"])["queue_position"] == 1
    stream(live_server, running["id"], until=lambda e: e["event"] == "epoch")

    response = client.post(f"/api/runs/{queued['id']}/cancel")
    assert response.status_code == 202 and response.json()["status"] == "cancelled"
    assert [e["event"] for e in stream(live_server, queued["id"])] == ["status", "status", "end"]

    cancelled_at = time.monotonic()
    assert client.post(f"/api/runs/{running['id']}/cancel").status_code == 202
    tail = stream(live_server, running["id"], until=lambda e: e["event"] == "end")
    assert tail[-1]["data"]["status"] == "cancelled" and time.monotonic() - cancelled_at < 15
    stopped = tail[-1]["data"]["final_metrics"]["stopped_at"]
    assert stopped["epoch"] >= 1 and stopped["batch"] >= 1

    again = client.post(f"/api/runs/{running['id']}/cancel")
    assert again.status_code == 409 and "already finished (status: cancelled)" in again.json()["detail"]
    assert client.get(f"/api/runs/{running['id']}/predictions").status_code == 409


def test_nan_loss_stops_with_a_plain_message(live_server, client):
    run = submit(client, body(epochs=20, compile={"loss": "mean_squared_error",
                                                  "optimizer": {"type": "sgd", "learning_rate": 10_000.0}}))
    end = stream(live_server, run["id"])[-1]
    assert end["data"]["status"] == "failed"
    assert end["data"]["error"] == "loss became NaN at epoch 1; try a lower learning rate"
    assert run_state(client, run["id"])["error"] == end["data"]["error"]


def test_killed_worker_fails_its_run_and_is_replaced(live_server, client):
    run = submit(client, body(epochs=5000, batch_size=1))
    stream(live_server, run["id"], until=lambda e: e["event"] == "epoch")
    pid = run_state(client, run["id"])["worker_pid"]
    assert pid and psutil.Process(pid).ppid() == live_server.proc.pid
    os.kill(pid, signal.SIGKILL)
    failed = wait_for(lambda: (s := run_state(client, run["id"]))["status"] == "failed" and s, timeout=30)
    assert "killed (SIGKILL)" in failed["error"]
    assert stream(live_server, run["id"])[-1]["event"] == "end"

    assert client.get("/api/health").json()["status"] == "ok"
    after = submit(client, body(epochs=2))
    end = stream(live_server, after["id"])[-1]
    assert end["data"]["status"] == "completed"
    assert run_state(client, after["id"])["worker_pid"] not in (None, pid)


def test_restart_and_shutdown_mark_running_runs_interrupted(make_live_server):
    server = make_live_server()
    with httpx.Client(base_url=server.url, timeout=60) as c:
        run = submit(c, body(epochs=5000, batch_size=1))
        stream(server, run["id"], until=lambda e: e["event"] == "epoch")
        worker = run_state(c, run["id"])["worker_pid"]
    server.proc.kill()  # no graceful shut-down: start-up has to notice
    server.proc.wait()
    wait_for(lambda: not psutil.pid_exists(worker) or psutil.Process(worker).status() == psutil.STATUS_ZOMBIE,
             timeout=20)  # the orphaned worker notices its server is gone and exits
    server.start()
    with httpx.Client(base_url=server.url, timeout=60) as c:
        state = run_state(c, run["id"])
        assert state["status"] == "interrupted" and "restarted" in state["error"]
        events = stream(server, run["id"])
        assert events[-1]["event"] == "end" and events[-1]["data"]["status"] == "interrupted"
        assert [e["id"] for e in events] == list(range(1, len(events) + 1))

        # A graceful stop with a client still streaming: the stream ends, the server exits at once
        # and the run is interrupted too.
        second = submit(c, body(epochs=5000, batch_size=1))
    seen = []
    with httpx.stream("GET", f"{server.url}/api/runs/{second['id']}/events", timeout=STREAM_TIMEOUT) as response:
        for event in sse(response):
            seen.append(event)
            if event["event"] == "epoch" and server.proc.poll() is None:
                stopping = time.monotonic()
                server.proc.terminate()
    server.proc.wait(timeout=15)
    assert time.monotonic() - stopping < 10 and seen[-1]["event"] != "end"
    server.start()
    with httpx.Client(base_url=server.url, timeout=60) as c:
        state = run_state(c, second["id"])
        assert state["status"] == "interrupted" and "shut down" in state["error"]
        resumed = stream(server, second["id"], headers={"Last-Event-ID": str(seen[-1]["id"])})
        assert [e["id"] for e in seen + resumed] == list(range(1, len(seen) + len(resumed) + 1))
        assert resumed[-1]["data"]["status"] == "interrupted"
