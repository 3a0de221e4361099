"""Run requests (the run contract of DESIGN.md) as pydantic models.

``RunCreate`` is what ``POST /api/runs`` accepts; ``RunPublic`` is what the run
routes answer. Static bounds live in the fields; the bounds that come from
settings (``NC_MAX_EPOCHS``, ``NC_MAX_BATCH_SIZE``) are checked by
``check_bounds`` so they follow the server's configuration.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from app.errors import Invalid
from app.graph.spec import GraphSpec

TUTORIAL_GRAPH = {"sequential": [
    {"id": "x", "type": "Input", "params": {"shape": [3]}},
    {"id": "h1", "type": "Dense", "params": {"units": 128, "activation": "relu"}},
    {"id": "h2", "type": "Dense", "params": {"units": 32, "activation": "relu"}},
    {"id": "y", "type": "Dense", "params": {"units": 1}},
]}


class DatasetRef(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str = Field(min_length=1, max_length=64, description="Built-in id or an uploaded dataset's id.")
    params: dict[str, Any] = Field(default_factory=dict, description="Generator parameters (samples, noise, seed).")
    test_split: float = Field(0.2, ge=0.0, le=0.5, description="Share of rows held out for predictions.")


class OptimizerSpec(BaseModel):
    """``type`` plus the optimizer's own arguments (learning_rate, beta_1, momentum...)."""

    model_config = ConfigDict(extra="allow")

    type: str = Field("adam", min_length=1, max_length=64, description="Optimizer id, e.g. adam, sgd, rmsprop.")
    learning_rate: float = Field(0.001, gt=0, le=1e6)

    def arguments(self) -> dict[str, Any]:
        return {"learning_rate": self.learning_rate, **(self.model_extra or {})}


class CompileSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")

    loss: str = Field("mean_squared_error", min_length=1, max_length=64)
    optimizer: OptimizerSpec = Field(default_factory=OptimizerSpec)
    metrics: list[str] = Field(default_factory=list, max_length=10)
    from_logits: bool = Field(False, description="The output is raw scores (no softmax/sigmoid) for a crossentropy.")


class EarlyStoppingSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")

    monitor: str = Field("val_loss", min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_]+$")
    patience: int = Field(5, ge=0, le=100_000)
    min_delta: float = Field(0.0, ge=0)
    restore_best_weights: bool = True


class FitSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")

    epochs: int = Field(10, ge=1)
    batch_size: int = Field(32, ge=1)
    validation_split: float = Field(0.2, ge=0.0, le=0.5)
    shuffle: bool = True
    seed: int = Field(0, ge=0, le=2**31 - 1)
    early_stopping: EarlyStoppingSpec | None = None


class RunCreate(BaseModel):
    """Body of ``POST /api/runs``: a graph (or a project id), a dataset, compile and fit settings."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "graph": TUTORIAL_GRAPH,
        "dataset": {"id": "tutorial_regression", "params": {"samples": 150, "seed": 0}},
        "compile": {"loss": "mean_squared_error", "optimizer": {"type": "adam", "learning_rate": 0.001},
                    "metrics": ["mean_absolute_error"]},
        "fit": {"epochs": 100, "batch_size": 3, "validation_split": 0.2, "shuffle": True, "seed": 0},
    }]})

    project_id: str | None = Field(None, max_length=64)
    graph: GraphSpec | None = None
    dataset: DatasetRef
    compile: CompileSpec = Field(default_factory=CompileSpec)
    fit: FitSpec = Field(default_factory=FitSpec)

    @model_validator(mode="after")
    def _graph_or_project(self) -> "RunCreate":
        if (self.graph is None) == (self.project_id is None):
            raise ValueError("give either 'graph' or 'project_id' (exactly one)")
        return self

    def to_dict(self) -> dict[str, Any]:
        return self.model_dump(mode="json", exclude_none=True)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "RunCreate":
        return cls.model_validate(data)


def check_bounds(body: RunCreate, settings) -> None:
    """Bounds that come from settings; 422 naming the field."""
    fit = body.fit
    if fit.epochs > settings.max_epochs:
        raise Invalid(f"epochs must be at most {settings.max_epochs:,} (NC_MAX_EPOCHS). "
                      f"Received: epochs={fit.epochs:,}", field="fit.epochs")
    if fit.batch_size > settings.max_batch_size:
        raise Invalid(f"batch_size must be at most {settings.max_batch_size:,} (NC_MAX_BATCH_SIZE). "
                      f"Received: batch_size={fit.batch_size:,}", field="fit.batch_size")
    if fit.validation_split + body.dataset.test_split >= 0.9:
        raise Invalid("validation_split + test_split must leave at least 10% of the rows to train on. "
                      f"Received: validation_split={fit.validation_split}, test_split={body.dataset.test_split}",
                      field="fit.validation_split")
    if fit.early_stopping and fit.early_stopping.monitor.startswith("val_") and fit.validation_split == 0:
        raise Invalid("early_stopping monitors a validation metric, but validation_split is 0. "
                      f"Received: monitor={fit.early_stopping.monitor!r}", field="fit.early_stopping.monitor")


class RunPublic(BaseModel):
    id: str
    status: str
    project_id: str | None
    dataset_id: str
    queue_position: int | None = Field(None, description="1 = next to start; null unless queued.")
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    queued_seconds: float | None
    run_seconds: float | None
    worker_pid: int | None
    final_metrics: dict[str, Any] | None
    error: str | None
    warnings: list[dict[str, Any]]
    last_event_id: int | None = Field(None, description="Id of the newest event known to this server.")
    request: dict[str, Any] | None = None
