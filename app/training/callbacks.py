"""The Keras callback that turns training into events (worker side; imports Keras).

* ``batch`` events, throttled to ``batch_events_per_second``;
* ``epoch`` events with every log Keras has (loss, val_loss, metrics);
* cancellation: ``cancel.is_set()`` is checked after every batch and sets
  ``model.stop_training``, which ``fit`` reads right after the callback: the
  run stops at the end of the batch in flight;
* a NaN or infinite loss stops training and is reported with its epoch.

Event payloads carry ``ts`` (Unix time at emission) so clients can measure
latency. Non-finite numbers become ``null``: JSON has no NaN.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from typing import Any

import keras


def clean_logs(logs: dict[str, Any] | None) -> dict[str, float | None]:
    out: dict[str, float | None] = {}
    for key, value in (logs or {}).items():
        try:
            number = float(value)
        except (TypeError, ValueError):
            continue
        out[key] = number if math.isfinite(number) else None
    return out


class EventReporter(keras.callbacks.Callback):
    def __init__(self, emit: Callable[[str, dict], None], cancel, *, epochs: int, steps: int,
                 batch_events_per_second: float):
        super().__init__()
        self.emit = emit
        self.cancel = cancel
        self.epochs = epochs
        self.steps = steps
        self.interval = 1.0 / batch_events_per_second if batch_events_per_second > 0 else math.inf
        self.next_batch_event = 0.0
        self.epoch = 0
        self.last_logs: dict[str, float | None] = {}
        self.epochs_done = 0
        self.nan_epoch: int | None = None
        self.cancelled_at: dict[str, int] | None = None

    def on_epoch_begin(self, epoch, logs=None):
        self.epoch = epoch

    def on_train_batch_end(self, batch, logs=None):
        loss = (logs or {}).get("loss")
        if loss is not None and not math.isfinite(loss) and self.nan_epoch is None:
            self.model.stop_training = True
            self.nan_epoch = self.epoch + 1
        now = time.monotonic()
        if now >= self.next_batch_event:
            self.next_batch_event = now + self.interval
            self.emit("batch", {"epoch": self.epoch + 1, "batch": batch + 1, "steps": self.steps,
                                "logs": clean_logs(logs), "ts": time.time()})
        # Checked last: fit reads stop_training right after this returns, so a cancel
        # seen here stops the run before another batch starts.
        if self.cancelled_at is None and self.cancel.is_set():
            self.model.stop_training = True
            self.cancelled_at = {"epoch": self.epoch + 1, "batch": batch + 1}

    def on_epoch_end(self, epoch, logs=None):
        cleaned = clean_logs(logs)
        loss = cleaned.get("loss", 0.0)
        if loss is None and "loss" in (logs or {}) and self.nan_epoch is None:
            self.model.stop_training = True
            self.nan_epoch = epoch + 1
        self.last_logs = cleaned
        self.epochs_done = epoch + 1
        self.emit("epoch", {"epoch": epoch + 1, "epochs": self.epochs, "logs": cleaned, "ts": time.time()})
