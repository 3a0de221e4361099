"""Store fixtures shared by unit tests: a real SQLite database per test."""

from __future__ import annotations

import pytest

from app.store.db import init_db, make_engine, session_factory


@pytest.fixture
def sessions(tmp_path):
    """A session factory over a fresh SQLite file with every table created."""
    engine = make_engine(f"sqlite:///{tmp_path / 'test.db'}")
    init_db(engine)
    yield session_factory(engine)
    engine.dispose()


@pytest.fixture
def session(sessions):
    with sessions() as db:
        yield db
