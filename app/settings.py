"""Every knob of the app, each with an env var (prefix NC_) and a default."""

from __future__ import annotations

from functools import cached_property
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Settings read from the environment (``NC_*``) or passed in by tests."""

    model_config = SettingsConfigDict(env_prefix="NC_", extra="ignore")

    data_dir: Path = Field(Path("./data"), description="Where SQLite, uploads and models live.")
    database_url: str | None = Field(
        None,
        validation_alias="DATABASE_URL",
        description="SQLAlchemy URL; defaults to SQLite under data_dir.",
    )

    # Bounds on graphs (checked before anything is built).
    max_body_bytes: int = Field(2_000_000, description="Largest accepted request body.")
    max_nodes: int = Field(1_000, description="Most nodes in one graph.")
    max_edges: int = Field(4_000, description="Most edges in one graph.")
    max_params: int = Field(100_000_000, description="Most parameters in one model.")
    max_dim: int = Field(10_000_000, description="Largest units/filters/dimension value.")
    max_input_elements: int = Field(50_000_000, description="Largest per-sample input size.")
    max_activation_elements: int = Field(20_000_000, description="Largest per-sample output of any layer.")
    summary_cache_size: int = Field(20_000, description="Memoised per-node inference results.")

    # Bounds on training (used by the training engine).
    max_epochs: int = Field(10_000, description="Most epochs in one run.")
    max_batch_size: int = Field(65_536, description="Largest batch size.")
    max_upload_bytes: int = Field(50_000_000, description="Largest dataset upload.")
    max_rows: int = Field(1_000_000, description="Most rows in one dataset.")
    max_samples: int = Field(100_000, description="Most samples a built-in generator makes.")
    workers: int = Field(1, description="Training worker processes.")
    worker_threads: int = Field(0, description="TensorFlow threads per worker (0 = TF decides).")
    executor: str = Field("local", description="'local' process pool or 'ray'.")
    ray_address: str | None = Field(None, description="Ray cluster address for executor=ray.")
    batch_events_per_second: float = Field(4.0, description="Throttle for 'batch' events.")
    prestart_workers: bool = Field(True, description="Start training workers at start-up (else on the first run).")
    worker_nice: int = Field(0, description="Niceness added to workers (10 favours the web UI on a busy host).")
    max_queued_runs: int = Field(100, description="Most runs waiting for a worker at once.")
    max_prediction_points: int = Field(5000, description="Most test points listed in a run's predictions.")

    # Start-up behaviour.
    warm_keras: bool = Field(True, description="Import Keras in the background at start-up.")

    @cached_property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'neuralcanvas.db').resolve()}"
