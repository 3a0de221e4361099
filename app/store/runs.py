"""Training runs and their events: tables and repository.

A ``Run`` row holds the request, the status, timings, final metrics, the
error and the results (predictions; loaded only when asked for). Every event a
run emits is a ``RunEvent`` row keyed by ``(run_id, seq)``: ``seq`` counts up
from 1 per run and is the SSE ``id``, so a stream resumes from the table.
Events are written in batches by the event hub (``app.training.events``).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String, Text, func, insert, select, update
from sqlalchemy.orm import Mapped, Session, deferred, mapped_column

from app.store.db import Base, UtcDateTime, get_owned, new_id, utcnow

QUEUED, RUNNING, COMPLETED, FAILED, CANCELLED, INTERRUPTED = (
    "queued", "running", "completed", "failed", "cancelled", "interrupted")
STATUSES = (QUEUED, RUNNING, COMPLETED, FAILED, CANCELLED, INTERRUPTED)
ACTIVE = (QUEUED, RUNNING)
FINISHED = (COMPLETED, FAILED, CANCELLED, INTERRUPTED)


class Run(Base):
    __tablename__ = "runs"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    owner_id: Mapped[str | None] = mapped_column(String(32), index=True, nullable=True)
    project_id: Mapped[str | None] = mapped_column(String(32), nullable=True)
    dataset_id: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16), default=QUEUED, index=True)
    request: Mapped[dict[str, Any]] = mapped_column(JSON)
    warnings: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    worker_pid: Mapped[int | None] = mapped_column(Integer, nullable=True)
    final_metrics: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    error: Mapped[str | None] = mapped_column(Text, nullable=True)
    model_path: Mapped[str | None] = mapped_column(String(500), nullable=True)
    # Predictions and figures can be large: only loaded by the predictions route.
    results: Mapped[dict[str, Any] | None] = deferred(mapped_column(JSON, nullable=True))


class RunEvent(Base):
    __tablename__ = "run_events"

    run_id: Mapped[str] = mapped_column(String(32), ForeignKey("runs.id", ondelete="CASCADE"), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    type: Mapped[str] = mapped_column(String(16))
    data: Mapped[dict[str, Any]] = mapped_column(JSON)


def create_run(session: Session, *, run_id: str, owner_id: str | None, project_id: str | None,
               dataset_id: str, request: dict[str, Any], warnings: list[dict[str, Any]]) -> Run:
    run = Run(id=run_id, owner_id=owner_id, project_id=project_id, dataset_id=dataset_id,
              request=request, warnings=warnings, status=QUEUED)
    session.add(run)
    session.commit()
    return run


def get_run(session: Session, run_id: str, *, owner_id: str | None = None) -> Run:
    return get_owned(session, Run, run_id, owner_id=owner_id, field="run_id", label="run")


def list_runs(session: Session, *, owner_id: str | None = None, project_id: str | None = None,
              limit: int = 100) -> list[Run]:
    query = select(Run).where(Run.owner_id.is_(None) if owner_id is None else Run.owner_id == owner_id)
    if project_id is not None:
        query = query.where(Run.project_id == project_id)
    return list(session.scalars(query.order_by(Run.created_at.desc()).limit(limit)))


def get_results(session: Session, run_id: str, *, owner_id: str | None = None) -> dict[str, Any] | None:
    return get_run(session, run_id, owner_id=owner_id).results


def last_seq(session: Session, run_id: str) -> int:
    return session.scalar(select(func.coalesce(func.max(RunEvent.seq), 0)).where(RunEvent.run_id == run_id)) or 0


def list_events(session: Session, run_id: str, *, after: int = 0, limit: int | None = None) -> list[RunEvent]:
    query = (select(RunEvent).where(RunEvent.run_id == run_id, RunEvent.seq > after)
             .order_by(RunEvent.seq))
    if limit is not None:
        query = query.limit(limit)
    return list(session.scalars(query))


def write_batch(session: Session, *, events: Iterable[dict[str, Any]],
                updates: Iterable[tuple[str, dict[str, Any]]]) -> None:
    """Insert events (dicts with run_id, seq, type, data) and apply run updates in one transaction."""
    rows = list(events)
    if rows:
        session.execute(insert(RunEvent), rows)
    for run_id, fields in updates:
        session.execute(update(Run).where(Run.id == run_id).values(**fields))
    session.commit()


def interrupt_active(session: Session, *, reason: str) -> list[str]:
    """Mark every queued or running run interrupted and close its event stream.

    Used at start-up (runs a previous server left behind) and at shut-down.
    Appends a final ``status`` and an ``end`` event so streams of these runs end.
    """
    runs = list(session.scalars(select(Run).where(Run.status.in_(ACTIVE))))
    now = utcnow()
    for run in runs:
        seq = last_seq(session, run.id)
        final = {"status": INTERRUPTED, "error": reason, "final_metrics": run.final_metrics}
        session.execute(insert(RunEvent), [
            {"run_id": run.id, "seq": seq + 1, "type": "status", "data": final},
            {"run_id": run.id, "seq": seq + 2, "type": "end", "data": final},
        ])
        run.status, run.error, run.finished_at = INTERRUPTED, reason, now
    session.commit()
    return [run.id for run in runs]
