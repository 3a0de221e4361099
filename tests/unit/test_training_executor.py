"""Executor selection, death reasons, and the Ray executor without Ray installed."""

from __future__ import annotations

import importlib.util
import signal

import pytest

from app.errors import Unavailable
from app.settings import Settings
from app.training.executor import LocalExecutor, death_reason, make_executor, worker_config


def test_death_reason_names_the_signal():
    assert "killed (SIGKILL)" in death_reason(-signal.SIGKILL)
    assert "out of memory" in death_reason(-signal.SIGKILL)
    assert "exit code 3" in death_reason(3)


def test_local_executor_is_the_default(tmp_path):
    executor = make_executor(Settings(data_dir=tmp_path, workers=2, worker_threads=0))
    assert isinstance(executor, LocalExecutor) and executor.size == 2
    assert executor.queue_position("nope") is None and executor.cancel("nope") == "unknown"


def test_worker_threads_split_the_cores(tmp_path, monkeypatch):
    monkeypatch.setattr("os.cpu_count", lambda: 8)
    assert worker_config(Settings(data_dir=tmp_path, workers=4))["threads"] == 2
    assert worker_config(Settings(data_dir=tmp_path, workers=1))["threads"] == 0  # TensorFlow decides
    assert worker_config(Settings(data_dir=tmp_path, workers=4, worker_threads=3))["threads"] == 3


def test_unknown_executor(tmp_path):
    with pytest.raises(ValueError, match="'local' or 'ray'"):
        make_executor(Settings(data_dir=tmp_path, executor="spark"))


@pytest.mark.skipif(importlib.util.find_spec("ray") is not None, reason="ray is installed here")
def test_ray_executor_imports_without_ray_and_says_so(tmp_path):
    executor = make_executor(Settings(data_dir=tmp_path, executor="ray"))
    assert executor.name == "ray" and executor.queued() == 0
    with pytest.raises(Unavailable, match="pip install"):
        executor.start(lambda message: None)
