"""Engine, session factory and the declarative base every table shares."""

from __future__ import annotations

import uuid
from datetime import datetime, timezone

from sqlalchemy import DateTime, create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.types import TypeDecorator

from app.errors import NotFound
from sqlalchemy.orm import DeclarativeBase, sessionmaker


class Base(DeclarativeBase):
    pass


def new_id() -> str:
    return uuid.uuid4().hex


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class UtcDateTime(TypeDecorator):
    """Timestamps that come back timezone-aware (UTC) on every database.

    SQLite drops the zone, so clients would read local times; this puts it back.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=timezone.utc)
        return value

    def process_result_value(self, value, dialect):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=timezone.utc)
        return value


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_conn, _record):  # WAL lets the stream reader and writers overlap
            cursor = dbapi_conn.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()

        return engine
    return create_engine(url, pool_pre_ping=True)


def get_owned(session, model, object_id: str, *, owner_id: str | None, field: str, label: str):
    """Fetch a row its owner may see. Another owner's row is reported exactly like
    a missing one (404), so ids cannot be probed across users."""
    row = session.get(model, object_id)
    if row is None or row.owner_id != owner_id:
        raise NotFound(f"No {label} with id '{object_id[:64]}'.", field=field)
    return row


def init_db(engine: Engine) -> None:
    """Create missing tables. Imports every model module so all tables register."""
    import app.store.datasets  # noqa: F401
    import app.store.models  # noqa: F401
    import app.store.runs  # noqa: F401

    Base.metadata.create_all(engine)


def session_factory(engine: Engine) -> sessionmaker:
    return sessionmaker(bind=engine, expire_on_commit=False)
