"""Summary speed and memory, measured side by side with Keras in one run.

Prints:
  1. a ResNet50-shaped graph (177 layers): cold summary time / Keras building
     the same model with weights (target <= 0.5), and a one-node edit (target <= 30 ms);
  2. RSS growth over 10,000 consecutive summaries (target < 50 MB);
  3. GET /api/layers latency while large summaries run on a real server (target < 50 ms).
"""

from __future__ import annotations

import gc
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import httpx  # noqa: E402
import keras  # noqa: E402
import psutil  # noqa: E402

from app.graph.keras_import import import_keras_json  # noqa: E402
from app.graph.validate import GraphLimits  # noqa: E402
from app.keras_bridge.catalog import build_catalog  # noqa: E402
from app.keras_bridge.infer import Inferencer  # noqa: E402


def best_of(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def resnet_figures(catalog) -> dict:
    model = keras.applications.ResNet50(weights=None)
    graph, _ = import_keras_json(model.to_json(), catalog)
    layers = len(graph.nodes)
    keras_build = best_of(lambda: keras.applications.ResNet50(weights=None), 3)
    keras.backend.clear_session()

    def cold():
        Inferencer(catalog, GraphLimits(max_params=10**9)).summarize(graph)

    cold_time = best_of(cold, 3)
    warm = Inferencer(catalog, GraphLimits(max_params=10**9))
    summary = warm.summarize(graph)
    assert summary["valid"] and summary["total_params"] == model.count_params(), summary["errors"][:3]
    edited = graph.model_copy(deep=True)
    dense = next(n for n in edited.nodes if n.type == "Dense")

    def edit():
        dense.params["units"] = dense.params.get("units", 1000) % 997 + 3
        warm.summarize(edited)

    edit_time = best_of(edit, 10)
    return {"layers": layers, "keras_build_s": keras_build, "summary_cold_s": cold_time,
            "ratio": cold_time / keras_build, "edit_ms": edit_time * 1000}


def rss_figures(catalog, count: int = 10_000) -> dict:
    inferencer = Inferencer(catalog, GraphLimits(), cache_size=2_000)
    proc = psutil.Process()

    def graph(i: int):
        from app.graph.spec import GraphSpec
        return GraphSpec.model_validate({"sequential": [
            {"id": "x", "type": "Input", "params": {"shape": [16, 16, 3]}},
            {"id": "c", "type": "Conv2D", "params": {"filters": 4 + i % 50, "kernel_size": 3}},
            {"id": "f", "type": "Flatten"},
            {"id": "d", "type": "Dense", "params": {"units": 8 + i % 300, "activation": "relu"}},
            {"id": "y", "type": "Dense", "params": {"units": 1 + i % 7}},
        ]})

    for i in range(500):
        inferencer.summarize(graph(i))
    gc.collect()
    before = proc.memory_info().rss
    start = time.perf_counter()
    for i in range(count):
        inferencer.summarize(graph(i * 7919))
    elapsed = time.perf_counter() - start
    gc.collect()
    grown = (proc.memory_info().rss - before) / 2**20
    return {"summaries": count, "rss_growth_mb": grown, "per_summary_ms": elapsed / count * 1000}


def _hammer(url: str, big: dict, seconds: float) -> None:
    """Post ResNet50 summaries that defeat the cache, from another process."""
    deadline = time.monotonic() + seconds
    with httpx.Client(base_url=url, timeout=60) as client:
        i = 0
        while time.monotonic() < deadline:
            i += 1
            big["nodes"][0]["params"]["shape"] = [200 + (i % 50), 200, 3]
            client.post("/api/graphs/summary", json=big)


def _probe(url: str, count: int, out) -> None:
    """Time GET /api/layers from a clean process (no Keras heap to garbage-collect)."""
    latencies = []
    with httpx.Client(base_url=url, timeout=10) as client:
        for _ in range(count):
            start = time.perf_counter()
            client.get("/api/layers").raise_for_status()
            latencies.append((time.perf_counter() - start) * 1000)
            time.sleep(0.05)
    out.put(latencies)


def loop_figures(catalog) -> dict:
    import multiprocessing

    from tests.conftest import LiveServer

    model = keras.applications.ResNet50(weights=None)
    graph, _ = import_keras_json(model.to_json(), catalog)
    # No training worker: it would import TensorFlow mid-measurement and starve the 2 cores.
    server = LiveServer(Path(tempfile.mkdtemp(prefix="nc-bench-")), env={"NC_PRESTART_WORKERS": "false"}).start()
    ctx = multiprocessing.get_context("spawn")
    hammers = [ctx.Process(target=_hammer, args=(server.url, graph.to_dict(), 20.0)) for _ in range(2)]
    try:
        for proc in hammers:
            proc.start()
        time.sleep(3.0)
        results = ctx.Queue()
        probe = ctx.Process(target=_probe, args=(server.url, 200, results))
        probe.start()
        latencies = results.get(timeout=120)
        probe.join()
    finally:
        for proc in hammers:
            proc.join()
        server.stop()
    latencies.sort()
    return {"layers_p50_ms": statistics.median(latencies), "layers_p99_ms": latencies[int(len(latencies) * 0.99) - 1],
            "layers_max_ms": latencies[-1]}


def main() -> None:
    catalog = build_catalog()
    only = sys.argv[1:] or ["resnet50", "memory", "event_loop"]
    runners = {"resnet50": resnet_figures, "memory": rss_figures, "event_loop": loop_figures}
    figures = {name: runners[name](catalog) for name in only}
    if only != ["resnet50", "memory", "event_loop"]:
        sys.stdout.write(json.dumps(figures) + "\n")
        return
    r, m, e = figures["resnet50"], figures["memory"], figures["event_loop"]
    out = sys.stdout.write
    out(f"ResNet50-shaped graph, {r['layers']} layers\n")
    out(f"  keras build with weights: {r['keras_build_s'] * 1000:.0f} ms\n")
    out(f"  summary, cold cache:      {r['summary_cold_s'] * 1000:.0f} ms  ratio {r['ratio']:.2f} (target <= 0.5)\n")
    out(f"  summary after 1-node edit: {r['edit_ms']:.1f} ms (target <= 30 ms)\n")
    out(f"{m['summaries']:,} summaries: RSS +{m['rss_growth_mb']:.1f} MB (target < 50), "
        f"{m['per_summary_ms']:.2f} ms each\n")
    out(f"GET /api/layers during ResNet50 summaries: p50 {e['layers_p50_ms']:.1f} ms, "
        f"p99 {e['layers_p99_ms']:.1f} ms, max {e['layers_max_ms']:.1f} ms (target < 50 ms)\n")
    out(json.dumps(figures) + "\n")


if __name__ == "__main__":
    main()
