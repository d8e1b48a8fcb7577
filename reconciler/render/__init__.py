"""Renderers of plans and apply results: text for terminals, markdown for pull requests, json for machines."""

from __future__ import annotations

from reconciler.render.json_format import render_json
from reconciler.render.markdown import render_markdown
from reconciler.render.text import render_apply_report, render_text

__all__ = ["render_apply_report", "render_json", "render_markdown", "render_text"]
