"""The same store against a real PostgreSQL server started by this test.

initdb/pg_ctl come from Debian's postgresql package (.ci/run installs it).
PostgreSQL refuses to run as root, so the server runs as the 'postgres' user
when the tests run as root.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from app.main import create_app
from app.settings import Settings
from tests.conftest import free_port

pytestmark = pytest.mark.postgres


def _pg_bin(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    for root in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True):
        if (root / name).exists():
            return str(root / name)
    return None


@pytest.fixture(scope="module")
def postgres_url():
    initdb, pg_ctl = _pg_bin("initdb"), _pg_bin("pg_ctl")
    if not initdb or not pg_ctl:
        pytest.fail("PostgreSQL binaries not found: apt-get install -y postgresql (see .ci/run)")
    base = Path(tempfile.mkdtemp(prefix="nc-pg-"))
    data = base / "data"
    port = free_port()
    as_user: list[str] = []
    if os.geteuid() == 0:
        shutil.chown(base, "postgres")
        base.chmod(0o755)
        as_user = ["runuser", "-u", "postgres", "--"]
    subprocess.run(as_user + [initdb, "-D", str(data), "-U", "nc", "--auth=trust", "-E", "UTF8"],
                   check=True, capture_output=True)
    subprocess.run(as_user + [pg_ctl, "-D", str(data), "-l", str(base / "log"), "-w", "-o",
                              f"-p {port} -k {base} -h 127.0.0.1", "start"], check=True, capture_output=True)
    try:
        yield f"postgresql+psycopg://nc@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(as_user + [pg_ctl, "-D", str(data), "-m", "immediate", "stop"], capture_output=True)
        shutil.rmtree(base, ignore_errors=True)


def test_projects_on_postgres_survive_restart(postgres_url, tmp_path):
    settings = Settings(data_dir=tmp_path, database_url=postgres_url, warm_keras=False, prestart_workers=False)
    graph = {"sequential": [{"type": "Input", "params": {"shape": [2]}}, {"type": "Dense", "params": {"units": 1}}]}
    with TestClient(create_app(settings)) as client:
        assert "postgresql" in str(client.app.state.engine.url)
        pid = client.post("/api/projects", json={"name": "On PG", "graph": graph}).json()["id"]
        client.put(f"/api/projects/{pid}", json={"name": "Still PG"})
    with TestClient(create_app(settings)) as client:
        project = client.get(f"/api/projects/{pid}").json()
        assert project["name"] == "Still PG"
        assert project["graph"]["nodes"][1]["params"] == {"units": 1}
        assert client.delete(f"/api/projects/{pid}").status_code == 204
        assert client.get(f"/api/projects/{pid}").status_code == 404
