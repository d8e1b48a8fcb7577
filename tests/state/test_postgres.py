"""PostgreSQL state on the machine's real server: environments apart through the CLI, sslmode honoured, no
part of the connection string in any error, and a state written by an older version (the common contract
is in test_conformance.py)."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import psycopg
import pytest

from reconciler.errors import StateError
from reconciler.state import PostgresStateBackend
from reconciler.state.pg_connect import connect_options
from tests.conftest import Result
from tests.state.server import DSN, forget


@pytest.fixture
def project() -> Iterator[str]:
    name = f"test-{uuid.uuid4().hex[:12]}"
    yield name
    forget(name)


def postgres_project(root: Path, project: str, extra: str = "") -> None:
    config = root / "reconciler.yaml"
    text = config.read_text().replace("project: acme-retargeting", f"project: {project}")
    state = f"  backend: postgres\n  dsn: TEAM_STATE_DSN\n{extra}"
    config.write_text(text.replace("  backend: local\n  path: state\n", state))


def test_project_with_postgres_state_plans_and_applies(
    example: Callable[[str], Path], cli: Callable[..., Result], project: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = example("criteo-retargeting")
    postgres_project(root, project)
    monkeypatch.delenv("TEAM_STATE_DSN", raising=False)
    missing = cli("plan", str(root))
    assert missing.exit_code == 1 and "TEAM_STATE_DSN" in missing.stderr
    monkeypatch.setenv("TEAM_STATE_DSN", DSN)
    assert cli("plan", str(root), "--detailed-exitcode").exit_code == 2
    applied = cli("apply", str(root), "--auto-approve")
    assert applied.exit_code == 0, applied.stderr
    assert cli("plan", str(root), "--detailed-exitcode").exit_code == 0
    assert not (root / "state").exists()
    assert len(cli("state", "list", str(root)).stdout.splitlines()) == 4


def test_environments_have_their_own_state_and_lock(
    example: Callable[[str], Path], cli: Callable[..., Result], project: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = example("criteo-retargeting")
    postgres_project(root, project)
    with (root / "reconciler.yaml").open("a") as config:
        config.write("environments:\n  staging: {}\n  prod: {}\n")
    monkeypatch.setenv("TEAM_STATE_DSN", DSN)
    applied = cli("apply", str(root), "--env", "staging", "--auto-approve")
    assert applied.exit_code == 0, applied.stderr
    assert len(cli("state", "list", str(root), "--env", "staging").stdout.splitlines()) == 4
    prod = cli("state", "list", str(root), "--env", "prod")
    assert (prod.exit_code, prod.stdout) == (0, "")
    assert "4 to create" in cli("plan", str(root), "--env", "prod").stdout
    with PostgresStateBackend(DSN, project, "staging").lock("apply"):
        assert cli("plan", str(root), "--env", "prod", "--detailed-exitcode").exit_code == 2
        locked = cli("apply", str(root), "--env", "staging", "--auto-approve")
        assert locked.exit_code == 1 and "the state is locked by" in locked.stderr


def test_a_row_shared_by_environments_is_not_read_as_empty(project: str) -> None:
    """An older version kept every environment in workspace `default`: planning an environment from an
    empty state would create every object again, so the backend says how to give the row its environment."""
    with psycopg.connect(DSN, autocommit=True) as connection:
        PostgresStateBackend(DSN, project).read()  # creates the tables
        connection.execute(
            "INSERT INTO reconciler_state (project, workspace, serial, document)"
            " VALUES (%s, 'default', 3, %s)",
            (project, json.dumps({"lineage": "L", "resources": {"criteo.campaign.a": {"id": "1"}}})),
        )
    with pytest.raises(StateError, match="UPDATE reconciler_state SET workspace = 'prod'"):
        PostgresStateBackend(DSN, project, "prod").read()


def test_a_state_written_as_one_document_is_read_and_moved_into_rows(project: str) -> None:
    PostgresStateBackend(DSN, project).read()
    old = {"lineage": "L", "serial": 3, "project": project, "resources": {"criteo.campaign.a": {"id": "1"}}}
    with psycopg.connect(DSN, autocommit=True) as connection:
        connection.execute(
            "INSERT INTO reconciler_state (project, workspace, serial, document)"
            " VALUES (%s, 'default', 3, %s)",
            (project, json.dumps(old)),
        )
    backend = PostgresStateBackend(DSN, project)
    state = backend.read()
    assert (state.lineage, state.serial, state.resources["criteo.campaign.a"].id) == ("L", 3, "1")
    backend.record(state, [])
    with psycopg.connect(DSN) as connection:
        rows = connection.execute(
            "SELECT address FROM reconciler_state_entry WHERE project = %s", (project,)
        ).fetchall()
    assert rows == [("criteo.campaign.a",)]
    assert PostgresStateBackend(DSN, project).read().resources == state.resources


def test_sslmode_is_honoured_against_the_real_server(project: str) -> None:
    """The machine's server has no SSL: `require` fails cleanly, `disable` works."""
    with psycopg.connect(DSN) as connection:
        assert connection.execute("SHOW ssl").fetchone() == ("off",)
    with pytest.raises(StateError) as caught:
        PostgresStateBackend(DSN, project, dsn_label="$TEAM_STATE_DSN", sslmode="require").read()
    assert str(caught.value).startswith(
        "cannot connect to the PostgreSQL state backend: the connection string in $TEAM_STATE_DSN does not "
        "work: the server does not support SSL, and SSL is required (sslmode)"
    )
    assert PostgresStateBackend(DSN, project, sslmode="disable").read().serial == 0


def test_sslmode_is_require_by_default_for_a_host_that_is_not_this_machine() -> None:
    assert connect_options("postgresql://u:p@db.example.com/x", None) == {"sslmode": "require"}
    assert connect_options("host=10.0.0.5 dbname=x", None) == {"sslmode": "require"}
    assert connect_options("postgresql://db.example.com/x?sslmode=verify-full", None) == {}
    assert connect_options("postgresql://db.example.com/x", "disable") == {"sslmode": "disable"}
    for local in ("postgresql://127.0.0.1/x", "postgresql://localhost/x", "host=/run/postgresql", "dbname=x"):
        assert connect_options(local, None) == {}, local


def test_sslmode_in_reconciler_yaml_reaches_the_backend(
    example: Callable[[str], Path], cli: Callable[..., Result], project: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = example("criteo-retargeting")
    postgres_project(root, project, "  sslmode: require\n")
    monkeypatch.setenv("TEAM_STATE_DSN", DSN)
    refused = cli("plan", str(root))
    assert refused.exit_code == 1
    assert "the server does not support SSL, and SSL is required (sslmode)" in refused.stderr
    assert "Traceback" not in refused.stderr
    (root / "reconciler.yaml").write_text(
        (root / "reconciler.yaml").read_text().replace("sslmode: require", "sslmode: disable")
    )
    assert cli("plan", str(root), "--detailed-exitcode").exit_code == 2
    wrong = (root / "reconciler.yaml").read_text().replace("sslmode: disable", "sslmode: sometimes")
    (root / "reconciler.yaml").write_text(wrong)
    invalid = cli("plan", str(root))
    assert invalid.exit_code == 1 and "sslmode" in invalid.stderr and "Traceback" not in invalid.stderr


SECRET_PARTS = ("bob", "s3cret", "db.internal", "5439", "notaport", "payroll", "bogus")


@pytest.mark.parametrize(
    ("dsn", "said"),
    [
        ("postgresql://bob:s3cret@db.internal:notaport/payroll", "cannot be resolved"),
        ("postgresql://bob:s3cret@127.0.0.1:5439/payroll", "the server refused the connection"),
        ("postgresql://bob:s3cret@127.0.0.1:5432/payroll", "the server refused the user"),
        ("host=db.internal user=bob password=s3cret bogus=1", "names an option libpq does not know"),
        ("postgresql://bob:s3cret@db.internal/payroll?bogus=1", "names an option libpq does not know"),
        ("bob s3cret db.internal", "neither a postgresql:// URI nor key=value pairs"),
        ("postgresql://bob:s3cret@127.0.0.1/payroll?sslmode=bogus", "its sslmode is not one of"),
    ],
)
def test_no_error_repeats_any_part_of_the_connection_string(
    dsn: str,
    said: str,
    example: Callable[[str], Path],
    cli: Callable[..., Result],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    root = example("criteo-retargeting")
    postgres_project(root, "never-written")
    monkeypatch.setenv("TEAM_STATE_DSN", dsn)
    for args in (("plan", str(root)), ("state", "list", str(root)), ("force-unlock", "abc", str(root))):
        result = cli(*args)
        assert result.exit_code == 1, result
        assert said in result.stderr, result.stderr
        assert "$TEAM_STATE_DSN" in result.stderr
        leaked = [part for part in SECRET_PARTS if part in result.stderr + result.stdout]
        assert leaked == [], result.stderr
