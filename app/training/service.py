"""The training service: the one object the run routes call.

Creating a run checks everything that can be checked before training (bounds,
the graph's validity through the live summary, the compile settings against
Keras's catalogs, the model against the dataset and the loss), stores the run,
emits its first event and queues it on the executor. Keras work stays off the
event loop: shapes come from ``runtime.summarize`` (the Keras thread), the
compile catalog from ``runtime.run``, datasets load in a worker thread.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from app.errors import Conflict, Invalid, NotFound, Unavailable
from app.graph.spec import GraphSpec
from app.keras_bridge.runtime import KerasRuntime
from app.store import projects as projects_repo
from app.store import runs as repo
from app.store.db import new_id
from app.training import catalogs
from app.training.checks import CheckIssue, CompileCheckFailed, DataInfo, check_run, raise_for_errors
from app.training.events import EventHub
from app.training.executor import Executor
from app.training.spec import RunCreate, RunPublic, check_bounds


class TrainingService:
    def __init__(self, *, settings, sessions: sessionmaker, runtime: KerasRuntime, hub: EventHub,
                 executor: Executor):
        self.settings = settings
        self.sessions = sessions
        self.runtime = runtime
        self.hub = hub
        self.executor = executor
        self._compile_catalog: dict[str, Any] | None = None

    # --- compile options -----------------------------------------------------------------
    async def compile_options(self) -> dict[str, Any]:
        if self._compile_catalog is None:
            self._compile_catalog = await self.runtime.run(catalogs.compile_catalog)
        return self._compile_catalog

    # --- creating a run ------------------------------------------------------------------
    async def create_run(self, body: RunCreate, *, owner: str | None) -> RunPublic:
        check_bounds(body, self.settings)
        graph, project_id = await asyncio.to_thread(self._resolve_graph, body, owner)
        summary = await self.runtime.summarize(graph)
        if not summary["valid"]:
            raise CompileCheckFailed([_graph_issue(issue) for issue in summary["errors"]])
        check = body.compile
        catalogs.check_compile(check, await self.compile_options())
        info = await asyncio.to_thread(self._dataset_info, body, owner)
        warnings = raise_for_errors(check_run(graph, summary, info, loss=check.loss, from_logits=check.from_logits,
                                              catalog=self.runtime.catalog))
        if self.executor.queued() >= self.settings.max_queued_runs:
            raise Unavailable(f"{self.settings.max_queued_runs} runs are already waiting for a worker "
                              "(NC_MAX_QUEUED_RUNS). Try again when some have finished.")
        run_id = new_id()
        request = body.to_dict()
        request["graph"] = graph.to_dict()
        task = {"run_id": run_id, "graph": request["graph"], "dataset": request["dataset"],
                "compile": request["compile"], "fit": request["fit"],
                "model_path": str(self.model_file(run_id))}
        self.hub.open(run_id)
        await asyncio.to_thread(self._insert, run_id, owner, project_id, body.dataset.id, request,
                                [w.to_dict() for w in warnings])
        await self.hub.emit(run_id, "status", {"status": "queued", "warnings": [w.to_dict() for w in warnings]})
        await asyncio.to_thread(self.executor.submit, run_id, task)
        return await asyncio.to_thread(self.get_run, run_id, owner=owner)

    def _resolve_graph(self, body: RunCreate, owner: str | None) -> tuple[GraphSpec, str | None]:
        if body.graph is not None:
            return body.graph, None
        with self.sessions() as session:
            project = projects_repo.get_project(session, body.project_id, owner_id=owner)
            return GraphSpec.from_dict(project.graph), project.id

    def _dataset_info(self, body: RunCreate, owner: str | None) -> DataInfo:
        from app.data.registry import load_dataset, split_dataset
        from app.store import datasets as datasets_repo

        with self.sessions() as session:
            datasets_repo.ensure_readable(session, body.dataset.id, owner_id=owner, field="dataset.id")
        arrays = load_dataset(body.dataset.id, body.dataset.params, self.settings.data_dir,
                              max_samples=self.settings.max_samples)
        try:
            split_dataset(arrays, validation=body.fit.validation_split, test=body.dataset.test_split,
                          seed=body.fit.seed)
        except Invalid as exc:
            raise Invalid(exc.message, field="fit.validation_split") from exc
        return DataInfo.from_arrays(arrays)

    def _insert(self, run_id, owner, project_id, dataset_id, request, warnings) -> None:
        with self.sessions() as session:
            repo.create_run(session, run_id=run_id, owner_id=owner, project_id=project_id, dataset_id=dataset_id,
                            request=request, warnings=warnings)

    def model_file(self, run_id: str) -> Path:
        return self.settings.data_dir.resolve() / "runs" / run_id / "model.keras"

    # --- reading runs (sync: called from the thread pool) --------------------------------
    def public(self, run: repo.Run, *, with_request: bool = False) -> RunPublic:
        def seconds(start, end):
            return round((end - start).total_seconds(), 3) if start and end else None

        return RunPublic(
            id=run.id, status=run.status, project_id=run.project_id, dataset_id=run.dataset_id,
            queue_position=self.executor.queue_position(run.id) if run.status == repo.QUEUED else None,
            created_at=run.created_at, started_at=run.started_at, finished_at=run.finished_at,
            queued_seconds=seconds(run.created_at, run.started_at or run.finished_at),
            run_seconds=seconds(run.started_at, run.finished_at), worker_pid=run.worker_pid,
            final_metrics=run.final_metrics, error=run.error, warnings=run.warnings or [],
            last_event_id=self.hub.last_seq(run.id), request=run.request if with_request else None)

    def get_run(self, run_id: str, *, owner: str | None) -> RunPublic:
        with self.sessions() as session:
            return self.public(repo.get_run(session, run_id, owner_id=owner), with_request=True)

    def list_runs(self, *, owner: str | None, project_id: str | None = None, limit: int = 100) -> list[RunPublic]:
        with self.sessions() as session:
            return [self.public(run) for run in repo.list_runs(session, owner_id=owner, project_id=project_id,
                                                               limit=limit)]

    def require_run(self, session: Session, run_id: str, *, owner: str | None) -> repo.Run:
        return repo.get_run(session, run_id, owner_id=owner)

    # --- cancel ----------------------------------------------------------------------------
    async def cancel_run(self, run_id: str, *, owner: str | None) -> RunPublic:
        run = await asyncio.to_thread(self._get_row, run_id, owner)
        channel = self.hub.channels.get(run_id)
        if run.status in repo.FINISHED or channel is None or channel.finishing:
            status = run.status if run.status in repo.FINISHED else "finishing"
            raise Conflict(f"Run '{run_id}' has already finished (status: {status}); only queued or running "
                           "runs can be cancelled.", field="run_id")
        outcome = await asyncio.to_thread(self.executor.cancel, run_id)
        if outcome == "dequeued":
            await self.hub.finish(run_id, {"status": repo.CANCELLED, "error": None,
                                           "final_metrics": {"stopped_at": "before it started"}})
        return await asyncio.to_thread(self.get_run, run_id, owner=owner)

    def _get_row(self, run_id: str, owner: str | None) -> repo.Run:
        with self.sessions() as session:
            return repo.get_run(session, run_id, owner_id=owner)

    # --- results ---------------------------------------------------------------------------
    def predictions(self, run_id: str, *, owner: str | None) -> dict[str, Any]:
        with self.sessions() as session:
            run = repo.get_run(session, run_id, owner_id=owner)
            results = run.results
            if results is None:
                raise Conflict(_no_results(run, "predictions"), field="run_id")
            return results

    def model_download(self, run_id: str, *, owner: str | None) -> Path:
        with self.sessions() as session:
            run = repo.get_run(session, run_id, owner_id=owner)
            if not run.model_path:
                raise Conflict(_no_results(run, "a saved model"), field="run_id")
        path = self.model_file(run_id)  # from the id, not the stored path: the data dir may have moved
        if not path.is_file():
            raise NotFound(f"The model file of run '{run_id}' is missing from the data directory.", field="run_id")
        return path


def _no_results(run: repo.Run, what: str) -> str:
    if run.status in repo.ACTIVE:
        return f"Run '{run.id}' is {run.status}; {what} will be available when it completes."
    reason = f": {run.error}" if run.error else ""
    return f"Run '{run.id}' ended with status {run.status}{reason}; it has no {what}."


def _graph_issue(issue: dict[str, Any]) -> CheckIssue:
    node = issue.get("node")
    where = f"Node '{node}': " if node else ""
    return CheckIssue(f"The model is not valid. {where}{issue.get('message', '')}", issue.get("hint") or "",
                      field="graph", node=node)
