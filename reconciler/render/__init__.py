"""Renderers of plans and apply results: text for terminals, markdown for pull requests, json for machines,
a self-contained HTML report with a flight timeline, and the live progress of an apply."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from reconciler.render.html import render_html
    from reconciler.render.json_format import render_json
    from reconciler.render.markdown import render_markdown
    from reconciler.render.text import render_apply_report, render_text

_WHERE = {
    "render_apply_report": "text",
    "render_html": "html",
    "render_json": "json_format",
    "render_markdown": "markdown",
    "render_text": "text",
}


def __getattr__(name: str) -> Any:
    """Each renderer loads when first used (an apply shows text only)."""
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(name)
    value = getattr(importlib.import_module(f"reconciler.render.{module}"), name)
    globals()[name] = value
    return value


__all__ = ["render_apply_report", "render_html", "render_json", "render_markdown", "render_text"]
