"""The event hub: ids, group commits, late and resuming followers (real SQLite)."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

import pytest

from app.store import runs as repo
from app.training.events import EventHub


def run_isolated(coro):
    """asyncio.run on a fresh thread: Playwright's sync API (e2e tests in the
    same session) leaves a running loop on the main thread."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coro).result()


@pytest.fixture
def sessions(sessions):
    """The shared factory, with runs 'a' and 'b' created."""
    with sessions() as session:
        for run_id in ("a", "b"):
            repo.create_run(session, run_id=run_id, owner_id=None, project_id=None, dataset_id="sine",
                            request={}, warnings=[])
    return sessions


async def collect(hub, run_id, after=0, stop_after=None):
    seen = []
    async for event in hub.follow(run_id, after=after):
        seen.append(event)
        if stop_after and len(seen) >= stop_after:
            break
    return seen


def test_follow_live_resume_and_history(sessions):
    async def scenario():
        hub = EventHub(sessions)
        hub.start()
        hub.open("a")
        hub.open("b")
        live = asyncio.create_task(collect(hub, "a"))
        partial = asyncio.create_task(collect(hub, "a", stop_after=3))
        hub.handle(("started", "a", {"worker_pid": 7}))
        hub.handle(("event", "b", "epoch", {"epoch": 1}))  # another run's ids are its own
        for epoch in range(1, 6):
            hub.handle(("event", "a", "epoch", {"epoch": epoch}))
            await asyncio.sleep(0)
        first = await partial
        resumed = asyncio.create_task(collect(hub, "a", after=first[-1].seq))
        await asyncio.sleep(0.05)
        hub.handle(("finished", "a", {"status": "completed", "final_metrics": {"loss": 0.1}}))
        everything, rest = await live, await resumed
        assert "a" not in hub.channels  # dropped once the end is committed
        history = await collect(hub, "a")  # a late client reads the database
        b_events = await hub.events_after("b", 0)
        await hub.close()
        return everything, first, rest, history, b_events

    everything, first, rest, history, (b_events, b_done) = run_isolated(scenario())
    ids = [e.seq for e in everything]
    assert ids == list(range(1, len(ids) + 1))
    assert [e.type for e in everything] == ["status"] + ["epoch"] * 5 + ["status", "end"]
    assert [e.seq for e in first] + [e.seq for e in rest] == ids  # no gap, no duplicate
    assert [(e.seq, e.type, e.data) for e in history] == [(e.seq, e.type, e.data) for e in everything]
    assert [e.seq for e in b_events] == [1] and b_done is False
    with sessions() as session:
        run = repo.get_run(session, "a")
        assert run.status == "completed" and run.worker_pid == 7 and run.final_metrics == {"loss": 0.1}


def test_events_after_and_stragglers(sessions):
    async def scenario():
        hub = EventHub(sessions)
        hub.start()
        hub.open("a")
        await hub.emit("a", "status", {"status": "queued"})
        await hub.finish("a", {"status": "cancelled"})
        hub.handle(("event", "a", "batch", {"batch": 1}))  # arrives after the end: dropped
        await asyncio.sleep(0.05)
        result = await hub.events_after("a", 1)
        await hub.close()
        return result

    events, done = run_isolated(scenario())
    assert [(e.seq, e.type) for e in events] == [(2, "status"), (3, "end")] and done
