"""Training runs: create, list, inspect, cancel, stream events, fetch predictions and the model."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Query, Request
from fastapi.responses import FileResponse
from fastapi.sse import EventSourceResponse, ServerSentEvent

from app.api.compile_options import TrainingDep
from app.deps import OwnerDep
from app.errors import Invalid
from app.store import runs as repo
from app.training.spec import RunCreate, RunPublic

router = APIRouter(prefix="/api", tags=["runs"])

EVENTS_DOC = """Server-Sent Events: `status`, `batch` (throttled), `epoch` (`{"epoch": k, "logs": {...}}`)
and `end`, after which the stream closes. `id:` counts up by one per event of the run; reconnect
with `Last-Event-ID` (or `?after=N`) to resume without gaps or duplicates. A late client gets
the history first."""


@router.post("/runs", status_code=202, response_model=RunPublic, summary="Check, store and queue a training run")
async def create_run(body: RunCreate, training: TrainingDep, owner: OwnerDep) -> RunPublic:
    """Answers at once with the run's id; training happens in a worker process. Compile checks run
    first: a model that does not fit the data or the loss answers 422 naming the node or field."""
    return await training.create_run(body, owner=owner)


@router.get("/runs", response_model=list[RunPublic], summary="List runs, newest first")
def list_runs(training: TrainingDep, owner: OwnerDep, project_id: str | None = None,
              limit: Annotated[int, Query(ge=1, le=1000)] = 100) -> list[RunPublic]:
    return training.list_runs(owner=owner, project_id=project_id, limit=limit)


@router.get("/runs/{run_id}", response_model=RunPublic, summary="Status, queue position, timings, metrics, error")
def get_run(run_id: str, training: TrainingDep, owner: OwnerDep) -> RunPublic:
    return training.get_run(run_id, owner=owner)


@router.post("/runs/{run_id}/cancel", status_code=202, response_model=RunPublic, summary="Stop a run")
async def cancel_run(run_id: str, training: TrainingDep, owner: OwnerDep) -> RunPublic:
    """A queued run is cancelled at once; a running one stops after the batch in flight.
    A finished run answers 409."""
    return await training.cancel_run(run_id, owner=owner)


def _resume_point(last_event_id: Annotated[str | None, Header()] = None,
                  after: Annotated[int | None, Query(ge=0, description="Resume after this event id.")] = None) -> int:
    """Where a stream resumes: ``Last-Event-ID`` wins over ``?after=``; checked before streaming."""
    if last_event_id is not None and last_event_id.strip():
        try:
            value = int(last_event_id.strip())
        except ValueError:
            raise Invalid(f"Last-Event-ID must be an event id (an integer). Received: {last_event_id[:32]!r}",
                          field="Last-Event-ID") from None
        return max(0, value)
    return after or 0


def _known_run(run_id: str, request: Request, training: TrainingDep, owner: OwnerDep) -> str:
    """Checked before the stream starts, so an unknown run answers 404, not an empty stream.
    Uses its own short session: a stream may last hours and must not hold a connection."""
    with request.app.state.sessions() as session:
        training.require_run(session, run_id, owner=owner)
    return run_id


@router.get("/runs/{run_id}/events", response_class=EventSourceResponse, summary="Live events (SSE)",
            description=EVENTS_DOC, responses={404: {"description": "No such run"}})
async def run_events(run_id: Annotated[str, Depends(_known_run)], training: TrainingDep,
                     start: Annotated[int, Depends(_resume_point)]) -> AsyncIterable[ServerSentEvent]:
    async for event in training.hub.follow(run_id, after=start):
        yield ServerSentEvent(event=event.type, id=str(event.seq), data=event.data)


@router.get("/runs/{run_id}/metrics", summary="The same events as JSON, for polling clients")
async def run_metrics(run_id: str, training: TrainingDep, owner: OwnerDep,
                      after: Annotated[int, Query(ge=0)] = 0,
                      limit: Annotated[int, Query(ge=1, le=10_000)] = 1000) -> dict[str, Any]:
    """Events with id > `after`, oldest first; `done` is true once nothing will follow."""
    run = await asyncio.to_thread(training.get_run, run_id, owner=owner)
    events, ended = await training.hub.events_after(run_id, after, limit)
    return {"run_id": run_id, "status": run.status, "events": [e.to_dict() for e in events],
            "last_id": events[-1].seq if events else after, "done": ended and run.status in repo.FINISHED}


@router.get("/runs/{run_id}/predictions", summary="Test-split predictions, metrics, baseline and figures")
def run_predictions(run_id: str, training: TrainingDep, owner: OwnerDep) -> dict[str, Any]:
    return training.predictions(run_id, owner=owner)


@router.get("/runs/{run_id}/model.keras", response_class=FileResponse, summary="Download the trained model")
def download_model(run_id: str, training: TrainingDep, owner: OwnerDep) -> FileResponse:
    path = training.model_download(run_id, owner=owner)
    return FileResponse(path, media_type="application/octet-stream", filename=f"{run_id}.keras")
