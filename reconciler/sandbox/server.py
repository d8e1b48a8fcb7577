"""Runs the sandbox on a real port with uvicorn (`reconciler sandbox serve`)."""

from __future__ import annotations

from pathlib import Path

import uvicorn

from reconciler.sandbox.app import create_app
from reconciler.sandbox.settings import SandboxSettings


def serve(port: int, db_path: Path, host: str = "127.0.0.1", settings: SandboxSettings | None = None) -> None:
    """Serve the sandbox over `db_path` on host:port until interrupted (blocking)."""
    uvicorn.run(create_app(db_path, settings), host=host, port=port, log_level="warning")
