"""The editor in Firefox, driven over WebDriver BiDi (Firefox's own remote protocol).

Playwright's Firefox needs a patched build that cannot be downloaded here, so
this test talks BiDi to Debian's stock firefox-esr through a websocket: it opens
a project, waits for the live summary, compares the total with Keras, opens the
Data tab (plotly) and fails on any console error.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
import time

import httpx
import keras
import pytest

from tests.conftest import free_port

pytestmark = pytest.mark.e2e

GRAPH = {"name": "Firefox check", "sequential": [
    {"id": "x", "type": "Input", "params": {"shape": [8, 8, 1]}},
    {"id": "c", "type": "Conv2D", "params": {"filters": 6, "kernel_size": 3, "activation": "relu"}},
    {"id": "f", "type": "Flatten"},
    {"id": "y", "type": "Dense", "params": {"units": 10, "activation": "softmax"}},
]}


class Bidi:
    """The few WebDriver BiDi commands this test needs, over one websocket."""

    def __init__(self, url: str):
        from websockets.sync.client import connect

        self.ws = connect(url, max_size=50_000_000, open_timeout=5)
        self.next_id = 0
        self.logs: list[dict] = []

    def call(self, method: str, params: dict) -> dict:
        self.next_id += 1
        self.ws.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.ws.recv(timeout=60))
            if message.get("type") == "event":
                if message["method"] == "log.entryAdded":
                    self.logs.append(message["params"])
                continue
            if message.get("id") == self.next_id:
                if message.get("type") == "error":
                    raise AssertionError(f"{method}: {message}")
                return message["result"]

    def evaluate(self, context: str, expression: str):
        result = self.call("script.evaluate", {"expression": expression, "target": {"context": context},
                                               "awaitPromise": True})
        if result["type"] == "exception":
            raise AssertionError(result["exceptionDetails"]["text"])
        return result["result"].get("value")

    def wait_for(self, context: str, expression: str, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.evaluate(context, expression):
                return
            time.sleep(0.2)
        raise AssertionError(f"timed out waiting for: {expression}")


@pytest.fixture
def firefox():
    binary = shutil.which("firefox-esr") or shutil.which("firefox")
    if binary is None:
        (pytest.fail if os.environ.get("CI") else pytest.skip)("Firefox not found: apt-get install -y firefox-esr")
    profile = tempfile.mkdtemp(prefix="nc-ff-")
    port = free_port()
    proc = subprocess.Popen([binary, "--headless", "--remote-debugging-port", str(port), "--profile", profile,
                             "--width", "1600", "--height", "1000", "about:blank"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env={**os.environ, "HOME": profile})
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                client = Bidi(f"ws://127.0.0.1:{port}/session")
                break
            except OSError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise
                time.sleep(0.3)
        client.call("session.new", {"capabilities": {}})
        client.call("session.subscribe", {"events": ["log.entryAdded"]})
        yield client
        client.ws.close()
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
        shutil.rmtree(profile, ignore_errors=True)


def test_editor_works_in_firefox(firefox, live_server):
    httpx.post(f"{live_server.url}/api/projects", json={"name": "Firefox check", "graph": GRAPH}).raise_for_status()
    context = firefox.call("browsingContext.getTree", {})["contexts"][0]["context"]
    firefox.call("browsingContext.navigate", {"context": context, "url": live_server.url + "/", "wait": "complete"})
    firefox.wait_for(context, "document.body.dataset.ready === 'true'")

    model = keras.Sequential([keras.Input((8, 8, 1)), keras.layers.Conv2D(6, 3, activation="relu"),
                              keras.layers.Flatten(), keras.layers.Dense(10, activation="softmax")])
    total = f"{model.count_params():,}"
    firefox.wait_for(context, f"document.querySelector(\"[data-testid='summary-totals']\").textContent.includes('{total}')")
    shapes = json.loads(firefox.evaluate(
        context, "JSON.stringify([...document.querySelectorAll(\"[data-testid='summary-shape']\")].map(e => e.textContent))"))
    assert shapes == ["(None, 8, 8, 1)", "(None, 6, 6, 6)", "(None, 216)", "(None, 10)"]
    palette = firefox.evaluate(context, "document.querySelectorAll(\"[data-testid='palette-item']\").length")
    assert palette >= 80

    firefox.evaluate(context, "document.querySelector(\"[data-testid='tab-data']\").click()")
    firefox.wait_for(context, "!!document.querySelector(\"[data-testid='preview-figure'] .main-svg\")")
    errors = [entry for entry in firefox.logs if entry.get("level") == "error"]
    assert errors == [], errors
