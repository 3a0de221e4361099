"""FastAPI dependencies as named Annotated aliases."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from app.keras_bridge.runtime import KerasRuntime
from app.settings import Settings


def get_settings(request: Request) -> Settings:
    return request.app.state.settings


def get_runtime(request: Request) -> KerasRuntime:
    return request.app.state.keras


def get_session(request: Request) -> Iterator[Session]:
    with request.app.state.sessions() as session:
        yield session


def get_owner(request: Request) -> str | None:
    """The user whose objects a request may touch; None in single-user mode."""
    return getattr(request.state, "user_id", None)


SettingsDep = Annotated[Settings, Depends(get_settings)]
RuntimeDep = Annotated[KerasRuntime, Depends(get_runtime)]
SessionDep = Annotated[Session, Depends(get_session)]
OwnerDep = Annotated[str | None, Depends(get_owner)]
