"""A Ray-backed executor behind the same interface as the local pool (scale-out).

Select it with ``NC_EXECUTOR=ray`` (and ``NC_RAY_ADDRESS`` for a cluster).
``ray`` is not a dependency of this project and is not installed by default:
this module imports it only in ``RayExecutor.start``, which raises a clear 503
when it is missing (``pip install 'ray[default]'``). This module has not been
exercised against a live Ray cluster here (ray is not installed on the build
machine); its contract is the ``Executor`` interface, which the local pool's
tests cover.

Design: ``size`` Ray actors, each a ``_RayTrainer`` (one run at a time per
actor, like a local worker; ``max_concurrency=2`` so ``cancel`` runs while
``train`` does). Events travel back through a ``ray.util.queue.Queue`` that a
thread in the web process drains into ``on_message``. A run whose actor dies
fails with Ray's reason, and the actor is replaced. The data directory must
be shared with the cluster nodes (uploads and saved models live there).
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from app.errors import Unavailable
from app.training.executor import OnMessage, QueueingExecutor

log = logging.getLogger(__name__)


def _trainer_class(ray):
    @ray.remote(max_concurrency=2, num_cpus=1)
    class _RayTrainer:
        def __init__(self, config: dict[str, Any], queue):
            import threading as _threading
            from pathlib import Path

            from app.training.worker import configure_tensorflow

            self.info = configure_tensorflow(int(config.get("threads") or 0))
            from app.keras_bridge.catalog import build_catalog

            self.catalog = build_catalog()
            self.config = config
            self.queue = queue
            self.cancel_flag = _threading.Event()
            self.data_dir = Path(config["data_dir"])

        def train(self, task: dict[str, Any]) -> dict[str, Any]:
            import os

            from app.training.worker import describe_error, run_one

            run_id = task["run_id"]
            self.cancel_flag.clear()
            self.queue.put(("started", run_id, {"worker_pid": os.getpid(), "device": self.info["device"]}))
            try:
                return run_one(task, emit=lambda kind, data: self.queue.put(("event", run_id, kind, data)),
                               cancel=self.cancel_flag, catalog=self.catalog, data_dir=self.data_dir,
                               max_samples=int(self.config.get("max_samples", 100_000)),
                               batch_events_per_second=float(self.config.get("batch_events_per_second", 4.0)),
                               max_prediction_points=int(self.config.get("max_prediction_points", 5000)))
            except Exception as exc:
                return {"status": "failed", "error": describe_error(exc), "final_metrics": None, "results": None,
                        "model_path": None}

        def cancel(self) -> None:
            self.cancel_flag.set()

    return _RayTrainer


class RayExecutor(QueueingExecutor):
    name = "ray"

    def __init__(self, *, address: str | None, size: int, config: dict[str, Any]):
        self.address = address
        self.size = max(1, size)
        self.config = config
        super().__init__()
        self._idle: list[Any] = []
        self._running: dict[str, tuple[Any, Any]] = {}  # run_id -> (actor, ObjectRef)
        self._stopping = False
        self._on_message: OnMessage = lambda message: None
        self._ray = None
        self._queue = None
        self._trainer = None
        self._threads: list[threading.Thread] = []

    def start(self, on_message: OnMessage) -> None:
        try:
            import ray
            from ray.util.queue import Queue
        except ImportError as exc:
            raise Unavailable("NC_EXECUTOR=ray needs the 'ray' package, which is not installed: "
                              "pip install 'ray[default]', or use NC_EXECUTOR=local.") from exc
        self._ray = ray
        self._on_message = on_message
        ray.init(address=self.address, ignore_reinit_error=True)
        self._queue = Queue()
        self._trainer = _trainer_class(ray)
        self._idle = [self._trainer.remote(self.config, self._queue) for _ in range(self.size)]
        for target, name in ((self._drain_events, "ray-events"), (self._watch_results, "ray-results")):
            thread = threading.Thread(target=target, name=name, daemon=True)
            thread.start()
            self._threads.append(thread)

    def submit(self, run_id: str, task: dict[str, Any]) -> None:
        with self._lock:
            self._pending.append(run_id, task)
            self._dispatch()

    def _dispatch(self) -> None:
        while self._pending and self._idle and not self._stopping:
            run_id, task = self._pending.pop()
            actor = self._idle.pop()
            self._running[run_id] = (actor, actor.train.remote(task))

    def _signal(self, run_id: str) -> bool:
        if run_id not in self._running:
            return False
        self._running[run_id][0].cancel.remote()
        return True

    def _drain_events(self) -> None:
        from ray.util.queue import Empty

        while not self._stopping:
            try:
                message = self._queue.get(timeout=1.0)
            except Empty:
                continue
            except Exception:  # the cluster went away
                if not self._stopping:
                    log.exception("lost the Ray event queue")
                return
            self._on_message(message)

    def _watch_results(self) -> None:
        ray = self._ray
        while not self._stopping:
            with self._lock:
                refs = {ref: run_id for run_id, (_actor, ref) in self._running.items()}
            if not refs:
                threading.Event().wait(0.2)
                continue
            done, _ = ray.wait(list(refs), num_returns=1, timeout=1.0)
            for ref in done:
                run_id = refs[ref]
                with self._lock:
                    actor, _ = self._running.pop(run_id)
                try:
                    outcome = ray.get(ref)
                except Exception as exc:  # the actor died (node lost, OOM-killed...)
                    outcome = {"status": "failed", "error": f"The Ray worker training this run died: {exc}",
                               "final_metrics": None, "results": None, "model_path": None}
                    actor = self._trainer.remote(self.config, self._queue)
                self._on_message(("finished", run_id, outcome))
                with self._lock:
                    self._idle.append(actor)
                    self._dispatch()

    def shutdown(self, timeout: float = 10.0) -> list[str]:
        with self._lock:
            self._stopping = True
            running = list(self._running)
            self._pending.clear()
            actors = self._idle + [actor for actor, _ in self._running.values()]
        if self._ray is not None:
            for actor in actors:
                self._ray.kill(actor)
        for thread in self._threads:
            thread.join(timeout)
        return running

    def describe(self) -> dict[str, Any]:
        with self._lock:
            return {"executor": self.name, "address": self.address, "size": self.size,
                    "queued": len(self._pending), "running": list(self._running)}
