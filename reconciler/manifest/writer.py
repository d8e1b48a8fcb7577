"""Manifest files written by reconciler itself (`reconciler import`): YAML with a header and notes."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import yaml


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
