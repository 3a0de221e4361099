"""Shared fixtures: an in-process app for API tests and a real uvicorn server
(subprocess) for streams and the browser."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class LiveServer:
    """A real ``neuralcanvas serve`` process on a free loopback port."""

    def __init__(self, data_dir: Path, env: dict[str, str] | None = None):
        self.data_dir = data_dir
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {**os.environ, **(env or {})}
        self.proc: subprocess.Popen | None = None
        self.log_path = data_dir / "server.log"

    def start(self, timeout: float = 90) -> "LiveServer":
        self.data_dir.mkdir(parents=True, exist_ok=True)
        log = open(self.log_path, "ab")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "app.cli", "serve", "--host", "127.0.0.1",
             "--port", str(self.port), "--data-dir", str(self.data_dir)],
            cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited: {self.log_path.read_text()[-3000:]}")
            try:
                health = httpx.get(f"{self.url}/api/health", timeout=2).json()
                if health.get("keras_ready"):
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"server did not become ready: {self.log_path.read_text()[-3000:]}")

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def restart(self) -> "LiveServer":
        self.stop()
        return self.start()


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    """One real server for the whole session (streams, browser)."""
    server = LiveServer(tmp_path_factory.mktemp("live")).start()
    yield server
    server.stop()


@pytest.fixture
def make_live_server(tmp_path):
    """A fresh server per test, for restarts and crashes."""
    servers: list[LiveServer] = []

    def factory(env: dict[str, str] | None = None, data_dir: Path | None = None) -> LiveServer:
        server = LiveServer(data_dir or tmp_path / f"srv{len(servers)}", env).start()
        servers.append(server)
        return server

    yield factory
    for server in servers:
        server.stop()
