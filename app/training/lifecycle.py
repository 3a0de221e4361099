"""Start-up and shut-down of the training machinery (executor, event hub).

Start-up marks runs a previous server left queued or running as
``interrupted`` (with closing events, so their streams end), then starts the
event hub and the executor. Shut-down stops the workers, commits the events
still queued and marks what was cut short as interrupted.

One web process owns a data directory: a second server on the same database
would mark the first one's runs interrupted.
"""

from __future__ import annotations

import asyncio
import logging
import signal
import threading

from app.store import runs as repo
from app.training.events import EventHub
from app.training.executor import make_executor
from app.training.service import TrainingService

log = logging.getLogger(__name__)

RESTART_REASON = "The server restarted before this run finished, so it was interrupted. Start it again."
SHUTDOWN_REASON = "The server shut down while this run was in progress, so it was interrupted. Start it again."


def _interrupt(sessions, reason: str) -> list[str]:
    with sessions() as session:
        return repo.interrupt_active(session, reason=reason)


async def startup(app) -> None:
    state = app.state
    interrupted = await asyncio.to_thread(_interrupt, state.sessions, RESTART_REASON)
    if interrupted:
        log.warning("marked %d run(s) left by the previous server as interrupted", len(interrupted))
    hub = EventHub(state.sessions)
    hub.start()
    executor = make_executor(state.settings)
    await asyncio.to_thread(executor.start, hub.from_thread)
    state.training = TrainingService(settings=state.settings, sessions=state.sessions, runtime=state.keras,
                                     hub=hub, executor=executor)
    _drain_on_signals(hub, asyncio.get_running_loop())


def _drain_on_signals(hub: EventHub, loop: asyncio.AbstractEventLoop) -> None:
    """Chain SIGINT/SIGTERM so open event streams end when the server is asked to stop.

    Only where a server (uvicorn) has installed Python handlers in the main thread;
    ours calls the previous handler, and uvicorn restores its originals when it exits.
    """
    if threading.current_thread() is not threading.main_thread():
        return
    for sig in (signal.SIGINT, signal.SIGTERM):
        previous = signal.getsignal(sig)
        if not callable(previous):
            continue

        def handler(signum, frame, previous=previous):
            loop.call_soon_threadsafe(hub.drain)
            previous(signum, frame)

        signal.signal(sig, handler)


async def shutdown(app) -> None:
    training = getattr(app.state, "training", None)
    if training is None:
        return
    await asyncio.to_thread(training.executor.shutdown, 10.0)
    await asyncio.sleep(0)  # let messages the monitor handed over reach the hub
    await training.hub.close()
    await asyncio.to_thread(_interrupt, app.state.sessions, SHUTDOWN_REASON)
