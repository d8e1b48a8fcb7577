"""The PostgreSQL server the state tests use (the machine's real one), and how a test project is removed."""

from __future__ import annotations

import os

import psycopg

DSN = os.environ.get("RECONCILER_TEST_PG_DSN", "postgresql://127.0.0.1:5432/test")


def forget(project: str) -> None:
    """Remove every row of a test project (all environments)."""
    with psycopg.connect(DSN, autocommit=True) as connection:
        for table in ("reconciler_state", "reconciler_state_entry", "reconciler_lock"):
            connection.execute(f"DELETE FROM {table} WHERE project = %s", (project,))
