"""Every repository scopes reads and writes to the owner: another owner's object
answers exactly like a missing one (real SQLite)."""

import pytest

from app.errors import NotFound
from app.store import projects, runs


def test_projects_are_private_to_their_owner(session):
    mine = projects.create_project(session, name="mine", graph={}, owner_id="alice")
    with pytest.raises(NotFound) as info:
        projects.get_project(session, mine.id, owner_id="bob")
    assert info.value.field == "project_id"
    with pytest.raises(NotFound):
        projects.update_project(session, mine.id, name="stolen", graph=None, owner_id="bob")
    with pytest.raises(NotFound):
        projects.delete_project(session, mine.id, owner_id=None)
    assert projects.list_projects(session, owner_id="bob") == []
    assert projects.get_project(session, mine.id, owner_id="alice").name == "mine"


def test_runs_are_private_to_their_owner(session):
    runs.create_run(session, run_id="r1", owner_id="alice", project_id=None, dataset_id="sine",
                    request={}, warnings=[])
    with pytest.raises(NotFound) as info:
        runs.get_run(session, "r1", owner_id="bob")
    assert info.value.field == "run_id" and "r1" in info.value.message
    assert runs.get_run(session, "r1", owner_id="alice").dataset_id == "sine"
