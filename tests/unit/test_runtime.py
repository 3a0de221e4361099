"""The Keras runtime thread: requests that arrive before start-up wait for it."""

import asyncio
from concurrent.futures import ThreadPoolExecutor

from app.graph.spec import GraphSpec
from app.keras_bridge.runtime import KerasRuntime
from app.settings import Settings

GRAPH = GraphSpec.model_validate({"sequential": [{"type": "Input", "params": {"shape": [3]}},
                                                 {"type": "Dense", "params": {"units": 2}}]})


def test_summaries_before_start_up_wait_for_keras():
    runtime = KerasRuntime(Settings(warm_keras=False))

    async def both():
        return await runtime.summarize(GRAPH), await runtime.summarize_json(GRAPH)

    try:
        with ThreadPoolExecutor(1) as pool:  # a fresh loop, whatever the test session runs
            summary, encoded = pool.submit(asyncio.run, both()).result(timeout=120)
    finally:
        runtime.shutdown()
    assert summary["total_params"] == 8
    assert b'"total_params": 8' in encoded
