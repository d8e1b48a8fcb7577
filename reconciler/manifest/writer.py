"""Manifest files written by reconciler itself (`reconciler import`): YAML with a header and notes, each
written as a new file, never over an existing one nor through a symlink."""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml

from reconciler.errors import ProjectError


def manifest_text(command: str, document: Mapping[str, Any], notes: Mapping[str, str]) -> str:
    """The document as YAML in its own field order, `notes` as comments after the lines of those keys."""
    lines = [
        f"# Written by `{command}` on {datetime.now(UTC):%Y-%m-%d}. The objects below are now managed",
        "# by this project: edit them here, and `reconciler plan` shows what would change.",
    ]
    for line in yaml.safe_dump(dict(document), sort_keys=False, allow_unicode=True, width=110).splitlines():
        note = notes.get(line.strip().removeprefix("- ").partition(":")[0])
        lines.append(f"{line}  # {note}" if note else line)
    return "\n".join(lines) + "\n"


def write_new(path: Path, text: str) -> None:
    """Create `path` with `text`; refuses a path that exists, a symlink included (even a dangling one)."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    try:
        descriptor = os.open(path, flags, 0o644)
    except FileExistsError:
        raise ProjectError(
            f"{path} already exists (or is a symlink); import never overwrites a file",
            hint="give another --out directory, or move the file away",
        ) from None
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(text)
