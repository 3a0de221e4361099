"""One thread that owns all web-side Keras work.

Keras keeps per-thread global state, and importing it costs ~3 s, so the web
process imports it once, in the background at start-up, on a dedicated
thread; requests await that thread instead of blocking the event loop.
"""

from __future__ import annotations

import asyncio
import gc
import json
import logging
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, Callable, TypeVar

from app.graph.catalog import Catalog
from app.graph.spec import GraphSpec
from app.graph.validate import GraphLimits, check_size

log = logging.getLogger(__name__)
T = TypeVar("T")


def limits_from(settings) -> GraphLimits:
    return GraphLimits(
        max_nodes=settings.max_nodes,
        max_edges=settings.max_edges,
        max_params=settings.max_params,
        max_dim=settings.max_dim,
        max_input_elements=settings.max_input_elements,
        max_activation_elements=settings.max_activation_elements,
    )


class KerasRuntime:
    def __init__(self, settings):
        self.settings = settings
        self.limits = limits_from(settings)
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="keras")
        self._ready: Future | None = None
        self.catalog: Catalog | None = None
        self.catalog_json: bytes = b""
        self.inferencer = None

    def start(self) -> Future:
        if self._ready is None:
            self._ready = self._executor.submit(self._load)
        return self._ready

    def _load(self) -> None:
        from app.keras_bridge.catalog import build_catalog
        from app.keras_bridge.infer import Inferencer

        self.catalog = build_catalog()
        self.catalog_json = json.dumps({"layers": self.catalog.to_list()}).encode()
        self.inferencer = Inferencer(self.catalog, self.limits, self.settings.summary_cache_size)
        # Keras and TensorFlow leave ~millions of long-lived objects; a full
        # collection scanning them stalls every thread (event loop included)
        # for ~230 ms. Freezing them keeps later collections at ~1 ms.
        gc.collect()
        gc.freeze()
        log.info("Keras ready: %d layer types", len(self.catalog))

    async def ready(self) -> None:
        await asyncio.wrap_future(self.start())

    async def run(self, fn: Callable[..., T], *args: Any) -> T:
        """Run ``fn`` on the Keras thread without blocking the loop."""
        await self.ready()
        return await asyncio.wrap_future(self._executor.submit(fn, *args))

    async def summarize(self, graph: GraphSpec) -> dict[str, Any]:
        check_size(graph, self.limits)  # reject absurd graphs before queueing work
        # A lambda: the inferencer exists only once run() has awaited start-up.
        return await self.run(lambda: self.inferencer.summarize(graph))

    async def summarize_json(self, graph: GraphSpec) -> bytes:
        """The summary already encoded, so the loop does not serialise big answers."""
        check_size(graph, self.limits)
        return await self.run(self._encoded_summary, graph)

    def _encoded_summary(self, graph: GraphSpec) -> bytes:
        return json.dumps(self.inferencer.summarize(graph)).encode()

    def shutdown(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)
