"""Runs and run events in a real SQLite database."""

from __future__ import annotations

import pytest

from app.errors import NotFound
from app.store import runs as repo


def make_run(session, run_id="r1", owner=None):
    return repo.create_run(session, run_id=run_id, owner_id=owner, project_id=None, dataset_id="sine",
                           request={"fit": {"epochs": 1}}, warnings=[])


def test_events_in_batches_and_after(sessions):
    with sessions() as session:
        make_run(session)
        repo.write_batch(session, events=[{"run_id": "r1", "seq": i, "type": "epoch", "data": {"epoch": i}}
                                          for i in (1, 2, 3)],
                         updates=[("r1", {"status": repo.RUNNING, "worker_pid": 42})])
        assert [e.seq for e in repo.list_events(session, "r1", after=1)] == [2, 3]
        assert [e.data["epoch"] for e in repo.list_events(session, "r1", after=0, limit=2)] == [1, 2]
        assert repo.last_seq(session, "r1") == 3
        run = repo.get_run(session, "r1")
        assert run.status == repo.RUNNING and run.worker_pid == 42


def test_owner_scoping(sessions):
    with sessions() as session:
        make_run(session, "mine", owner="alice")
        assert repo.get_run(session, "mine", owner_id="alice").id == "mine"
        with pytest.raises(NotFound):
            repo.get_run(session, "mine", owner_id="bob")
        with pytest.raises(NotFound):
            repo.get_run(session, "mine")
        assert repo.list_runs(session, owner_id="bob") == []
        assert [r.id for r in repo.list_runs(session, owner_id="alice")] == ["mine"]


def test_interrupt_active_closes_streams(sessions):
    with sessions() as session:
        make_run(session, "running")
        make_run(session, "done")
        repo.write_batch(session, events=[{"run_id": "running", "seq": 1, "type": "status", "data": {}}],
                         updates=[("running", {"status": repo.RUNNING}), ("done", {"status": repo.COMPLETED})])
        assert repo.interrupt_active(session, reason="restarted") == ["running"]
    with sessions() as session:
        run = repo.get_run(session, "running")
        assert run.status == repo.INTERRUPTED and run.error == "restarted" and run.finished_at is not None
        events = repo.list_events(session, "running")
        assert [(e.seq, e.type) for e in events] == [(1, "status"), (2, "status"), (3, "end")]
        assert events[-1].data["status"] == repo.INTERRUPTED
        assert repo.get_run(session, "done").status == repo.COMPLETED


def test_results_are_deferred(sessions):
    with sessions() as session:
        make_run(session)
        repo.write_batch(session, events=[], updates=[("r1", {"results": {"task": "regression"}})])
    with sessions() as session:
        assert "results" not in repo.list_runs(session)[0].__dict__
        assert repo.get_results(session, "r1") == {"task": "regression"}
