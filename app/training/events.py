"""The event hub: worker messages in, numbered and persisted events out to every subscriber.

Lives on the event loop of the web process. The executor calls
``from_thread`` on its monitor thread; that hops onto the loop with
``call_soon_threadsafe``. There each event gets the next id of its run (1, 2,
3... per run) and joins a write queue. One writer task commits whatever has
queued up in a single transaction (group commit: one event alone when events
are rare, dozens together when they are not), and only then publishes the
events to subscribers. So an event a client has seen is always on disk, and a
client that reconnects with ``Last-Event-ID`` reads the rest from the same
sequence with no gap and no duplicate.

An active run has a ``Channel`` holding its events in memory; followers read
from it and sleep on a future until the next publish. Once a run's ``end``
event is committed its channel is dropped: later readers get the history from
the database.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import sessionmaker

from app.store import runs as repo
from app.store.db import utcnow

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Event:
    seq: int
    type: str
    data: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.seq, "type": self.type, "data": self.data}


@dataclass
class Channel:
    run_id: str
    base: int = 0  # seq of the event before the first one held here
    next_seq: int = 1
    events: list[Event] = field(default_factory=list)
    ended: bool = False  # the end event has been published
    finishing: bool = False  # the end event has been queued
    waiters: set[asyncio.Future] = field(default_factory=set)

    def after(self, seq: int) -> list[Event]:
        return self.events[max(0, seq - self.base):]

    @property
    def last_seq(self) -> int:
        return self.base + len(self.events)

    def publish(self, event: Event) -> None:
        self.events.append(event)
        if event.type == "end":
            self.ended = True
        for waiter in self.waiters:
            if not waiter.done():
                waiter.set_result(None)
        self.waiters.clear()


@dataclass
class _Op:
    run_id: str
    event: Event
    update: dict[str, Any] | None
    done: asyncio.Future


class EventHub:
    def __init__(self, sessions: sessionmaker, *, on_finished=None):
        self.sessions = sessions
        self.channels: dict[str, Channel] = {}
        self.on_finished = on_finished  # callback(run_id) after a run's end is committed
        self._queue: list[_Op] = []
        self._wakeup: asyncio.Event | None = None
        self._writer: asyncio.Task | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._closed = False
        self._draining = False

    # --- life cycle ----------------------------------------------------------------------
    def start(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._wakeup = asyncio.Event()
        self._writer = asyncio.create_task(self._write_loop(), name="event-hub-writer")

    async def close(self) -> None:
        """Commit what is queued, then stop the writer."""
        self._closed = True
        if self._wakeup is not None:
            self._wakeup.set()
        if self._writer is not None:
            try:
                await asyncio.wait_for(self._writer, timeout=10)
            except (asyncio.TimeoutError, asyncio.CancelledError):
                self._writer.cancel()
        self._wake_followers()  # they see the hub closed and stop

    def drain(self) -> None:
        """The server is stopping: end every open stream now (events keep being recorded).

        Uvicorn waits for open responses before it runs the lifespan shut-down, and a
        stream of a long run would otherwise hold it for as long as the run lasts.
        Clients reconnect with Last-Event-ID and find the rest in the database.
        """
        self._draining = True
        self._wake_followers()

    def _wake_followers(self) -> None:
        for channel in self.channels.values():
            for waiter in channel.waiters:
                if not waiter.done():
                    waiter.set_result(None)

    # --- producing events ----------------------------------------------------------------
    def open(self, run_id: str) -> Channel:
        channel = self.channels[run_id] = Channel(run_id)
        return channel

    def emit(self, run_id: str, kind: str, data: dict[str, Any], update: dict[str, Any] | None = None
             ) -> asyncio.Future:
        """Queue one event (and an optional update of the run row); the future resolves once committed."""
        done = self._loop.create_future()
        channel = self.channels.get(run_id)
        if channel is None or channel.finishing or self._closed:
            done.set_result(None)  # a straggler for a run that has ended: drop it
            return done
        event = Event(channel.next_seq, kind, data)
        channel.next_seq += 1
        if kind == "end":
            channel.finishing = True
        self._queue.append(_Op(run_id, event, update, done))
        self._wakeup.set()
        return done

    def finish(self, run_id: str, outcome: dict[str, Any]) -> asyncio.Future:
        """Final ``status`` and ``end`` events, with the run row's final fields."""
        status = outcome.get("status", "failed")
        summary = {"status": status, "error": outcome.get("error"), "final_metrics": outcome.get("final_metrics")}
        update = {"status": status, "finished_at": utcnow(), "error": outcome.get("error"),
                  "final_metrics": outcome.get("final_metrics")}
        if outcome.get("results") is not None:
            update["results"] = outcome["results"]
        if outcome.get("model_path"):
            update["model_path"] = outcome["model_path"]
        self.emit(run_id, "status", summary, update)
        return self.emit(run_id, "end", summary)

    def from_thread(self, message: tuple) -> None:
        """Executor callback (any thread)."""
        if self._loop is not None and not self._loop.is_closed():
            self._loop.call_soon_threadsafe(self.handle, message)

    def handle(self, message: tuple) -> None:
        kind = message[0]
        if kind == "ready":
            log.info("training worker %s ready: %s", message[1], message[2])
        elif kind == "started":
            run_id, info = message[1], message[2]
            self.emit(run_id, "status", {"status": "running", "phase": "preparing", **info},
                      {"status": "running", "started_at": utcnow(), "worker_pid": info.get("worker_pid")})
        elif kind == "event":
            self.emit(message[1], message[2], message[3])
        elif kind == "finished":
            self.finish(message[1], message[2])

    # --- the writer ----------------------------------------------------------------------
    async def _write_loop(self) -> None:
        while True:
            await self._wakeup.wait()
            self._wakeup.clear()
            batch, self._queue = self._queue, []
            if batch:
                await self._commit(batch)
                for op in batch:
                    self._publish(op)
            if self._closed and not self._queue:
                return

    async def _commit(self, batch: list[_Op]) -> None:
        events = [{"run_id": op.run_id, "seq": op.event.seq, "type": op.event.type, "data": op.event.data}
                  for op in batch]
        updates = [(op.run_id, op.update) for op in batch if op.update]
        for attempt in range(3):
            try:
                await asyncio.to_thread(self._write, events, updates)
                return
            except Exception:
                log.exception("writing %d run events failed (attempt %d)", len(events), attempt + 1)
                await asyncio.sleep(0.2 * (attempt + 1))

    def _write(self, events: list[dict], updates: list[tuple[str, dict]]) -> None:
        with self.sessions() as session:
            repo.write_batch(session, events=events, updates=updates)

    def _publish(self, op: _Op) -> None:
        channel = self.channels.get(op.run_id)
        if channel is not None:
            channel.publish(op.event)
            if channel.ended:
                del self.channels[op.run_id]
                if self.on_finished is not None:
                    self.on_finished(op.run_id)
        if not op.done.done():
            op.done.set_result(None)

    # --- reading events ------------------------------------------------------------------
    def last_seq(self, run_id: str) -> int | None:
        channel = self.channels.get(run_id)
        return channel.last_seq if channel is not None else None

    async def events_after(self, run_id: str, after: int, limit: int = 1000) -> tuple[list[Event], bool]:
        """Events with id > after (at most ``limit``) and whether the stream has ended."""
        channel = self.channels.get(run_id)
        if channel is None:
            rows = await asyncio.to_thread(self._load, run_id, after, limit + 1)
            done = True  # no channel: the run ended (or was left by another server)
            return rows[:limit], done and len(rows) <= limit
        older: list[Event] = []
        if after < channel.base:
            older = await asyncio.to_thread(self._load, run_id, after, channel.base - after)
        events = (older + channel.after(max(after, channel.base)))[:limit]
        ended = channel.ended and (not events or events[-1].seq == channel.last_seq)
        return events, ended

    async def follow(self, run_id: str, after: int = 0) -> AsyncIterator[Event]:
        """Every event with id > after, then new ones as they are published, until ``end``."""
        channel = self.channels.get(run_id)
        if channel is None:
            for event in await asyncio.to_thread(self._load, run_id, after, None):
                yield event
            return
        position = after
        if position < channel.base:
            for event in await asyncio.to_thread(self._load, run_id, position, channel.base - position):
                yield event
                position = event.seq
        position = max(position, channel.base)
        while True:
            fresh = channel.after(position)
            for event in fresh:
                yield event
                position = event.seq
                if event.type == "end":
                    return
            if fresh:
                continue
            if channel.ended or self._closed or self._draining:
                return
            waiter = self._loop.create_future()
            channel.waiters.add(waiter)
            try:
                await waiter
            finally:
                channel.waiters.discard(waiter)

    def _load(self, run_id: str, after: int, limit: int | None) -> list[Event]:
        with self.sessions() as session:
            return [Event(row.seq, row.type, row.data)
                    for row in repo.list_events(session, run_id, after=after, limit=limit)]
