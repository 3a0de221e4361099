"""Training through the server against plain Keras, measured side by side in one run.

Prints:
  1. throughput: the tutorial's regression (Dense 128 relu -> Dense 32 relu -> Dense 1,
     adam, MSE, batch 3) trained through POST /api/runs vs the same model.fit in a plain
     script (same data, split, epochs, batch size). Ratio of median epoch times (robust to
     other load on a shared machine; goal >= 0.9, target 0.97), of whole fit times (best of
     the rounds), and of end-to-end times (request to `end` event vs script start to end);
  2. latency from epoch end in the worker to the SSE client (p50, p95; goal p95 < 100 ms);
  3. POST /api/graphs/summary on a 20-layer graph while two runs train on a 2-worker
     server (p50, p95, p99; goal p99 < 150 ms).

Usage: python bench/bench_training.py [--epochs 100] [--rounds 2] [--quick]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402

TUTORIAL = {"sequential": [
    {"id": "x", "type": "Input", "params": {"shape": [3]}},
    {"id": "h1", "type": "Dense", "params": {"units": 128, "activation": "relu"}},
    {"id": "h2", "type": "Dense", "params": {"units": 32, "activation": "relu"}},
    {"id": "y", "type": "Dense", "params": {"units": 1}},
]}


def run_body(epochs: int, batch_size: int = 3, samples: int = 150) -> dict:
    return {"graph": TUTORIAL, "dataset": {"id": "tutorial_regression", "params": {"samples": samples, "seed": 0}},
            "compile": {"loss": "mean_squared_error", "optimizer": {"type": "adam", "learning_rate": 0.001},
                        "metrics": ["mean_absolute_error"]},
            "fit": {"epochs": epochs, "batch_size": batch_size, "validation_split": 0.2, "shuffle": True,
                    "seed": 0}}


class Server:
    def __init__(self, data_dir: Path, env: dict[str, str]):
        import socket

        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = open(data_dir / "server.log", "ab")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "app.cli", "serve", "--port", str(self.port), "--data-dir", str(data_dir)],
            cwd=ROOT, env={**os.environ, **env}, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{self.url}/api/health", timeout=2).json().get("keras_ready"):
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.3)
        else:
            raise RuntimeError("server did not start")
        self.client = httpx.Client(base_url=self.url, timeout=60)

    def wait_workers_idle(self) -> None:
        """Submit a one-epoch run and wait for it: the worker has TensorFlow loaded afterwards."""
        run = self.client.post("/api/runs", json=run_body(1, batch_size=32)).json()
        self.follow(run["id"])

    def follow(self, run_id: str, on_event=None) -> dict:
        end = None
        with httpx.stream("GET", f"{self.url}/api/runs/{run_id}/events", timeout=None) as response:
            event, data = None, None
            for line in response.iter_lines():
                if line.startswith("event:"):
                    event = line[6:].strip()
                elif line.startswith("data:"):
                    data = json.loads(line[5:])
                elif line == "" and event:
                    if on_event:
                        on_event(event, data, time.time())
                    if event == "end":
                        end = data
                    event = None
        return end

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(30)


def plain_fit(epochs: int) -> dict:
    """The same training in a plain script: returns fit seconds and end-to-end seconds."""
    code = f"""
import os, time, json
os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
t0 = time.perf_counter()
import keras, numpy as np
from app.data.registry import load_dataset, split_dataset
keras.utils.set_random_seed(0)
arrays = load_dataset("tutorial_regression", {{"samples": 150, "seed": 0}}, ".")
train, val, test = split_dataset(arrays, validation=0.2, test=0.2, seed=0)
model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(128, activation="relu"),
                          keras.layers.Dense(32, activation="relu"), keras.layers.Dense(1)])
model.compile(optimizer=keras.optimizers.Adam(0.001), loss="mean_squared_error", metrics=["mean_absolute_error"])
ends = []
class EpochClock(keras.callbacks.Callback):  # epoch hooks only: batches keep Keras's fast path
    def on_epoch_end(self, epoch, logs=None):
        ends.append(time.perf_counter())
t1 = time.perf_counter()
model.fit(train.x, train.y, validation_data=(val.x, val.y), epochs={epochs}, batch_size=3, shuffle=True, verbose=0,
          callbacks=[EpochClock()])
t2 = time.perf_counter()
model.predict(test.x, verbose=0)
model.evaluate(test.x, test.y, verbose=0)
model.save("/tmp/nc_bench_plain.keras")
t3 = time.perf_counter()
print(json.dumps({{"fit": t2 - t1, "after_import": t3 - t0, "epochs": [b - a for a, b in zip(ends, ends[1:])]}}))
"""
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    index = min(len(values) - 1, max(0, int(round(q / 100 * (len(values) - 1)))))
    return values[index]


def throughput_and_latency(server: Server, epochs: int, rounds: int) -> dict:
    plain, served, e2e_plain, e2e_served, latencies = [], [], [], [], []
    plain_epochs, served_epochs = [], []
    for _ in range(rounds):
        result = plain_fit(epochs)
        plain.append(result["fit"])
        e2e_plain.append(result["after_import"])
        plain_epochs += result["epochs"]  # epoch 2 onwards: the first one includes tracing
        stamps = []

        def on_event(kind, data, received):
            if kind == "epoch":
                latencies.append((received - data["ts"]) * 1000)
                stamps.append(data["ts"])

        start = time.time()
        run = server.client.post("/api/runs", json=run_body(epochs)).json()
        end = server.follow(run["id"], on_event)
        e2e_served.append(time.time() - start)
        assert end["status"] == "completed", end
        served.append(end["final_metrics"]["fit_seconds"])
        served_epochs += [b - a for a, b in zip(stamps, stamps[1:])]
    plain_epoch, served_epoch = statistics.median(plain_epochs), statistics.median(served_epochs)
    return {"plain_fit_s": min(plain), "server_fit_s": min(served), "fit_ratio": min(plain) / min(served),
            "plain_epoch_ms": plain_epoch * 1000, "server_epoch_ms": served_epoch * 1000,
            "epoch_ratio": plain_epoch / served_epoch,
            "plain_e2e_s": min(e2e_plain), "server_e2e_s": min(e2e_served),
            "e2e_ratio": min(e2e_plain) / min(e2e_served),
            "latency_p50_ms": statistics.median(latencies), "latency_p95_ms": pct(latencies, 95),
            "latency_max_ms": max(latencies), "epoch_events": len(latencies)}


def twenty_layers(units: int) -> dict:
    layers = [{"id": "x", "type": "Input", "params": {"shape": [32]}}]
    for i in range(18):
        layers.append({"id": f"d{i}", "type": "Dense",
                       "params": {"units": units if i == 9 else 64, "activation": "relu"}})
    layers.append({"id": "y", "type": "Dense", "params": {"units": 1}})
    return {"sequential": layers}


def summary_under_load(server: Server, requests: int) -> dict:
    runs = [server.client.post("/api/runs", json=run_body(10_000)).json()["id"] for _ in range(2)]
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:  # both training, past compilation
        states = [server.client.get(f"/api/runs/{r}/metrics").json() for r in runs]
        if all(any(e["type"] == "epoch" for e in s["events"]) for s in states):
            break
        time.sleep(0.2)
    times = []
    for i in range(requests):
        graph = twenty_layers(16 + i % 200)  # one node changes each time: an edit, not a cache hit
        start = time.perf_counter()
        response = server.client.post("/api/graphs/summary", json=graph)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200 and response.json()["valid"], response.text[:300]
    still = [server.client.get(f"/api/runs/{r}").json()["status"] for r in runs]
    for run_id in runs:
        server.client.post(f"/api/runs/{run_id}/cancel")
    return {"summary_p50_ms": statistics.median(times), "summary_p95_ms": pct(times, 95),
            "summary_p99_ms": pct(times, 99), "summary_requests": len(times), "runs_status": still}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--epochs", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--quick", action="store_true", help="fewer epochs and requests (smoke run)")
    args = parser.parse_args()
    if args.quick:
        args.epochs, args.rounds, args.requests = 20, 1, 100
    with tempfile.TemporaryDirectory(prefix="nc-bench-") as tmp:
        one = Path(tmp) / "one"
        one.mkdir()
        server = Server(one, {"NC_WORKERS": "1"})
        try:
            server.wait_workers_idle()
            speed = throughput_and_latency(server, args.epochs, args.rounds)
        finally:
            server.stop()
        two = Path(tmp) / "two"
        two.mkdir()
        server = Server(two, {"NC_WORKERS": "2"})
        try:
            server.wait_workers_idle()
            load = summary_under_load(server, args.requests)
        finally:
            server.stop()
    print(f"cores: {os.cpu_count()}; tutorial regression, {args.epochs} epochs, batch 3, best of {args.rounds}")
    print(f"1. throughput, server vs plain model.fit (median epoch time): {speed['epoch_ratio']:.3f}"
          f"  (goal >= 0.9, target 0.97)   [plain {speed['plain_epoch_ms']:.1f} ms, "
          f"server {speed['server_epoch_ms']:.1f} ms per epoch]")
    print(f"   whole fit (best of {args.rounds}): {speed['fit_ratio']:.3f}"
          f"   [plain {speed['plain_fit_s']:.2f} s, server {speed['server_fit_s']:.2f} s]")
    print(f"   end to end (request to 'end' event vs a script that imports Keras itself): {speed['e2e_ratio']:.3f}"
          f"   [plain {speed['plain_e2e_s']:.2f} s, server {speed['server_e2e_s']:.2f} s]")
    print(f"2. epoch end -> SSE client latency: p50 {speed['latency_p50_ms']:.1f} ms, "
          f"p95 {speed['latency_p95_ms']:.1f} ms (goal < 100), max {speed['latency_max_ms']:.1f} ms "
          f"over {speed['epoch_events']} epochs")
    print(f"3. POST /api/graphs/summary, 20 layers, two runs training: p50 {load['summary_p50_ms']:.1f} ms, "
          f"p95 {load['summary_p95_ms']:.1f} ms, p99 {load['summary_p99_ms']:.1f} ms (goal < 150) "
          f"over {load['summary_requests']} requests; runs were {load['runs_status']}")


if __name__ == "__main__":
    main()
