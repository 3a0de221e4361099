"""Project repository: named graphs with their canvas layout."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.store.db import get_owned
from app.store.models import Project


def create_project(session: Session, *, name: str, graph: dict[str, Any], owner_id: str | None = None) -> Project:
    project = Project(name=name, graph=graph, owner_id=owner_id)
    session.add(project)
    session.commit()
    return project


def get_project(session: Session, project_id: str, *, owner_id: str | None = None) -> Project:
    return get_owned(session, Project, project_id, owner_id=owner_id, field="project_id", label="project")


def list_projects(session: Session, *, owner_id: str | None = None) -> list[Project]:
    query = select(Project).where(Project.owner_id.is_(None) if owner_id is None else Project.owner_id == owner_id)
    return list(session.scalars(query.order_by(Project.updated_at.desc())))


def update_project(session: Session, project_id: str, *, name: str | None, graph: dict[str, Any] | None,
                   owner_id: str | None = None) -> Project:
    project = get_project(session, project_id, owner_id=owner_id)
    if name is not None:
        project.name = name
    if graph is not None:
        project.graph = graph
    session.commit()
    return project


def delete_project(session: Session, project_id: str, *, owner_id: str | None = None) -> None:
    project = get_project(session, project_id, owner_id=owner_id)
    session.delete(project)
    session.commit()
