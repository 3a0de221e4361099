"""CRUD for projects: a named graph with its canvas layout."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Response
from pydantic import BaseModel, ConfigDict, Field

from app.deps import OwnerDep, SessionDep
from app.graph.spec import GraphSpec
from app.store import projects as repo

router = APIRouter(prefix="/api/projects", tags=["projects"])

_EXAMPLE_GRAPH = {"sequential": [{"type": "Input", "params": {"shape": [3]}},
                                 {"type": "Dense", "params": {"units": 1}}]}


class ProjectCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={
        "examples": [{"name": "My regression", "graph": _EXAMPLE_GRAPH}]})
    name: str = Field(min_length=1, max_length=200)
    graph: GraphSpec = Field(default_factory=GraphSpec)


class ProjectUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"name": "Renamed"}]})
    name: str | None = Field(None, min_length=1, max_length=200)
    graph: GraphSpec | None = None


class ProjectPublic(BaseModel):
    id: str
    name: str
    graph: dict
    created_at: datetime
    updated_at: datetime


def _public(project) -> ProjectPublic:
    return ProjectPublic(id=project.id, name=project.name, graph=project.graph,
                         created_at=project.created_at, updated_at=project.updated_at)


@router.post("", status_code=201, response_model=ProjectPublic, summary="Create a project")
def create_project(body: ProjectCreate, session: SessionDep, owner: OwnerDep) -> ProjectPublic:
    return _public(repo.create_project(session, name=body.name, graph=body.graph.to_dict(), owner_id=owner))


@router.get("", response_model=list[ProjectPublic], summary="List projects, newest first")
def list_projects(session: SessionDep, owner: OwnerDep) -> list[ProjectPublic]:
    return [_public(p) for p in repo.list_projects(session, owner_id=owner)]


@router.get("/{project_id}", response_model=ProjectPublic, summary="Get one project")
def get_project(project_id: str, session: SessionDep, owner: OwnerDep) -> ProjectPublic:
    return _public(repo.get_project(session, project_id, owner_id=owner))


@router.put("/{project_id}", response_model=ProjectPublic, summary="Rename a project or replace its graph")
def update_project(project_id: str, body: ProjectUpdate, session: SessionDep, owner: OwnerDep) -> ProjectPublic:
    graph = body.graph.to_dict() if body.graph is not None else None
    return _public(repo.update_project(session, project_id, name=body.name, graph=graph, owner_id=owner))


@router.delete("/{project_id}", status_code=204, summary="Delete a project")
def delete_project(project_id: str, session: SessionDep, owner: OwnerDep) -> Response:
    repo.delete_project(session, project_id, owner_id=owner)
    return Response(status_code=204)
