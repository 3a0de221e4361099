"""An in-process app driven through FastAPI's TestClient (httpx underneath)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from app.main import create_app
from app.settings import Settings


@pytest.fixture
def settings(tmp_path) -> Settings:
    # No training worker is pre-started: these tests never train in-process.
    return Settings(data_dir=tmp_path / "data", prestart_workers=False)


@pytest.fixture
def client(settings):
    """A client over the ASGI app with its lifespan run and Keras ready."""
    app = create_app(settings)
    with TestClient(app) as test_client:
        app.state.keras.start().result(timeout=120)
        yield test_client
