"""Executors: where runs train. An interface and its default, a local process pool.

``LocalExecutor`` keeps ``size`` worker processes started with ``spawn`` (see
``app.training.worker``). Each has its own pair of pipes (tasks in, messages
out) and its own cancel ``Event``. A pipe per worker rather than one shared
queue: a worker killed in the middle of a write can only break its own pipe,
never a lock the other workers need.

One monitor thread waits on every worker's message pipe and process sentinel
(``multiprocessing.connection.wait``). It hands messages to ``on_message``
(the event hub, which moves them onto the event loop), and when a worker
dies it fails the run it held with the reason, starts a replacement and
dispatches the queue again. Runs wait in a FIFO queue while every worker is
busy. All state is guarded by one lock; nothing here touches asyncio.
"""

from __future__ import annotations

import logging
import multiprocessing as mp
import os
import signal
import threading
from abc import ABC, abstractmethod
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from multiprocessing.connection import wait
from typing import Any

from app.training.worker import worker_main

log = logging.getLogger(__name__)
Message = tuple
OnMessage = Callable[[Message], None]


class Executor(ABC):
    """Runs training tasks somewhere and reports their messages.

    Messages (tuples) passed to ``on_message``, from any thread:
    ``("ready", worker_id, info)``, ``("started", run_id, info)``,
    ``("event", run_id, type, data)``, ``("finished", run_id, outcome)``.
    """

    name = "abstract"

    @abstractmethod
    def start(self, on_message: OnMessage) -> None: ...

    @abstractmethod
    def submit(self, run_id: str, task: dict[str, Any]) -> None: ...

    @abstractmethod
    def cancel(self, run_id: str) -> str:
        """'dequeued' (it never started), 'signalled' (it stops after its current batch) or 'unknown'."""

    @abstractmethod
    def queue_position(self, run_id: str) -> int | None:
        """1 for the next run to start; None when not queued."""

    @abstractmethod
    def queued(self) -> int: ...

    @abstractmethod
    def shutdown(self, timeout: float = 10.0) -> list[str]:
        """Stop everything; return the ids of runs that were still training."""

    def describe(self) -> dict[str, Any]:
        return {"executor": self.name}


class PendingRuns:
    """FIFO of runs waiting for a worker. Callers hold their executor's lock."""

    def __init__(self) -> None:
        self._items: deque[tuple[str, dict[str, Any]]] = deque()

    def append(self, run_id: str, task: dict[str, Any]) -> None:
        self._items.append((run_id, task))

    def push_front(self, run_id: str, task: dict[str, Any]) -> None:
        self._items.appendleft((run_id, task))

    def pop(self) -> tuple[str, dict[str, Any]]:
        return self._items.popleft()

    def remove(self, run_id: str) -> bool:
        for index, (queued_id, _task) in enumerate(self._items):
            if queued_id == run_id:
                del self._items[index]
                return True
        return False

    def position(self, run_id: str) -> int | None:
        for index, (queued_id, _task) in enumerate(self._items):
            if queued_id == run_id:
                return index + 1
        return None

    def clear(self) -> list[str]:
        ids = [run_id for run_id, _task in self._items]
        self._items.clear()
        return ids

    def __len__(self) -> int:
        return len(self._items)


class QueueingExecutor(Executor):
    """An executor that queues runs itself until a worker is free."""

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._pending = PendingRuns()

    def cancel(self, run_id: str) -> str:
        with self._lock:
            if self._pending.remove(run_id):
                return "dequeued"
            return "signalled" if self._signal(run_id) else "unknown"

    @abstractmethod
    def _signal(self, run_id: str) -> bool:
        """Ask a running run to stop after its batch; False when it is not running here."""

    def queue_position(self, run_id: str) -> int | None:
        with self._lock:
            return self._pending.position(run_id)

    def queued(self) -> int:
        with self._lock:
            return len(self._pending)


def death_reason(exitcode: int | None) -> str:
    if exitcode is not None and exitcode < 0:
        try:
            name = signal.Signals(-exitcode).name
        except ValueError:
            name = f"signal {-exitcode}"
        cause = " The machine may have run out of memory." if -exitcode == signal.SIGKILL else ""
        return (f"The worker process training this run was killed ({name}).{cause} "
                "A new worker has been started; try again, perhaps with a smaller model or batch size.")
    return (f"The worker process training this run exited unexpectedly (exit code {exitcode}). "
            "A new worker has been started.")


@dataclass(eq=False)
class _Worker:
    slot: int
    process: Any
    tasks: Any  # parent's sending end
    messages: Any  # parent's receiving end
    cancel: Any
    run_id: str | None = None
    alive: bool = True
    ready: bool = False
    info: dict[str, Any] = field(default_factory=dict)


class LocalExecutor(QueueingExecutor):
    name = "local"

    def __init__(self, *, size: int, config: dict[str, Any], prestart: bool = True):
        if size < 1:
            raise ValueError(f"The pool needs at least one worker. Received: size={size}")
        self.size = size
        self.config = config
        self.prestart = prestart
        super().__init__()
        self._ctx = mp.get_context("spawn")
        self._workers: list[_Worker] = []
        self._on_message: OnMessage = lambda message: None
        self._wake_r, self._wake_w = self._ctx.Pipe(duplex=False)
        self._stopping = False
        self._thread: threading.Thread | None = None
        self._next_slot = 0

    # --- public interface ---------------------------------------------------------------
    def start(self, on_message: OnMessage) -> None:
        self._on_message = on_message
        self._thread = threading.Thread(target=self._monitor, name="training-monitor", daemon=True)
        self._thread.start()
        if self.prestart:
            with self._lock:
                self._fill_pool()

    def submit(self, run_id: str, task: dict[str, Any]) -> None:
        with self._lock:
            if self._stopping:
                raise RuntimeError("the executor is shutting down")
            self._pending.append(run_id, task)
            self._fill_pool()
            self._dispatch()

    def _signal(self, run_id: str) -> bool:
        for worker in self._workers:
            if worker.run_id == run_id:
                worker.cancel.set()
                return True
        return False

    def worker_pids(self) -> list[int]:
        with self._lock:
            return [w.process.pid for w in self._workers if w.alive]

    def describe(self) -> dict[str, Any]:
        with self._lock:
            workers = [{"pid": w.process.pid, "ready": w.ready, "run_id": w.run_id, **w.info}
                       for w in self._workers if w.alive]
            return {"executor": self.name, "size": self.size, "queued": len(self._pending), "workers": workers}

    def shutdown(self, timeout: float = 10.0) -> list[str]:
        with self._lock:
            self._stopping = True
            self._pending.clear()
            workers = list(self._workers)
            running = [w.run_id for w in workers if w.run_id]
            for worker in workers:  # nothing in a worker is worth waiting for: runs cut short are
                worker.alive = False  # marked interrupted, saved models are written atomically
                worker.process.terminate()
        self._wake()
        for worker in workers:
            worker.process.join(timeout)
            if worker.process.is_alive():
                worker.process.kill()
                worker.process.join(2)
            self._close(worker)
        if self._thread is not None:
            self._thread.join(timeout)
        with self._lock:  # release the semaphores behind the Events now, not at interpreter exit
            self._workers.clear()
        for worker in workers:
            worker.cancel = None
        return running

    # --- pool ----------------------------------------------------------------------------
    def _fill_pool(self) -> None:
        while not self._stopping and sum(w.alive for w in self._workers) < self.size:
            self._workers.append(self._spawn())
        self._wake()

    def _spawn(self) -> _Worker:
        tasks_r, tasks_w = self._ctx.Pipe(duplex=False)
        messages_r, messages_w = self._ctx.Pipe(duplex=False)
        cancel = self._ctx.Event()
        slot = self._next_slot
        self._next_slot += 1
        process = self._ctx.Process(target=worker_main, args=(tasks_r, messages_w, cancel, self.config),
                                    name=f"neuralcanvas-worker-{slot}", daemon=True)
        process.start()
        tasks_r.close()  # the child holds these now; closing ours lets EOF reach us when it dies
        messages_w.close()
        log.info("started training worker %s (pid %s)", slot, process.pid)
        return _Worker(slot=slot, process=process, tasks=tasks_w, messages=messages_r, cancel=cancel)

    def _dispatch(self) -> None:
        for worker in self._workers:
            if not self._pending:
                return
            if not worker.alive or worker.run_id is not None:
                continue
            run_id, task = self._pending.pop()
            worker.cancel.clear()
            try:
                worker.tasks.send(task)
            except OSError:  # died just now: the monitor replaces it; the run waits for the next one
                self._pending.push_front(run_id, task)
                continue
            worker.run_id = run_id

    def _wake(self) -> None:
        try:
            self._wake_w.send(None)
        except OSError:
            pass

    @staticmethod
    def _close(worker: _Worker) -> None:
        for conn in (worker.tasks, worker.messages):
            try:
                conn.close()
            except OSError:
                pass

    # --- monitor thread ------------------------------------------------------------------
    def _monitor(self) -> None:
        while True:
            with self._lock:
                if self._stopping:
                    return
                by_conn = {w.messages: w for w in self._workers if w.alive}
                by_sentinel = {w.process.sentinel: w for w in self._workers if w.alive}
            try:
                ready = wait([self._wake_r, *by_conn, *by_sentinel], timeout=5.0)
            except OSError:  # a pipe closed under us during shut-down
                continue
            for obj in ready:
                if obj is self._wake_r:
                    while self._wake_r.poll():
                        self._wake_r.recv()
                elif obj in by_conn:
                    worker = by_conn[obj]
                    try:
                        message = obj.recv()
                    except (EOFError, OSError):
                        self._worker_died(worker)
                        continue
                    self._handle(worker, message)
                else:
                    self._worker_died(by_sentinel[obj])

    def _handle(self, worker: _Worker, message: Message) -> None:
        kind = message[0]
        if kind == "ready":
            worker.ready, worker.info = True, dict(message[2])
            self._emit(("ready", message[1], message[2]))
        elif kind == "finished":
            with self._lock:
                if worker.run_id == message[1]:
                    worker.run_id = None
            self._emit(message)
            with self._lock:
                self._dispatch()
        else:
            self._emit(message)

    def _worker_died(self, worker: _Worker) -> None:
        # Deliver what it managed to send before dying (events, perhaps its outcome).
        try:
            while worker.messages.poll():
                self._handle(worker, worker.messages.recv())
        except (EOFError, OSError):
            pass
        with self._lock:
            if not worker.alive:
                return
            worker.alive = False
            run_id, worker.run_id = worker.run_id, None
            self._workers.remove(worker)
        worker.process.join(5)
        exitcode = worker.process.exitcode
        self._close(worker)
        log.warning("training worker %s (pid %s) died with exit code %s", worker.slot, worker.process.pid, exitcode)
        if run_id is not None:
            self._emit(("finished", run_id, {"status": "failed", "error": death_reason(exitcode),
                                             "final_metrics": None, "results": None, "model_path": None}))
        with self._lock:
            if not self._stopping:
                self._fill_pool()
                self._dispatch()

    def _emit(self, message: Message) -> None:
        try:
            self._on_message(message)
        except Exception:  # the hub must never kill the monitor thread
            log.exception("could not hand over a training message")


def make_executor(settings) -> Executor:
    """The executor chosen by ``NC_EXECUTOR`` ('local' or 'ray')."""
    config = worker_config(settings)
    if settings.executor == "ray":
        from app.training.ray_executor import RayExecutor

        return RayExecutor(address=settings.ray_address, size=settings.workers, config=config)
    if settings.executor != "local":
        raise ValueError(f"NC_EXECUTOR must be 'local' or 'ray'. Received: executor={settings.executor!r}")
    return LocalExecutor(size=settings.workers, config=config, prestart=settings.prestart_workers)


def worker_config(settings) -> dict[str, Any]:
    threads = settings.worker_threads
    if threads <= 0:  # share the cores between the workers instead of oversubscribing them
        threads = max(1, (os.cpu_count() or 1) // max(1, settings.workers)) if settings.workers > 1 else 0
    return {"data_dir": str(settings.data_dir.resolve()), "threads": threads, "nice": settings.worker_nice,
            "max_samples": settings.max_samples, "batch_events_per_second": settings.batch_events_per_second,
            "max_prediction_points": settings.max_prediction_points}
