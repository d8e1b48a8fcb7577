"""Renderers of plans and apply results: text for terminals, markdown for pull requests, json for machines,
a self-contained HTML report with a flight timeline, and the live progress of an apply."""

from __future__ import annotations

from typing import TYPE_CHECKING

from reconciler.exports import lazy_exports

if TYPE_CHECKING:
    from reconciler.render.html import render_html
    from reconciler.render.json_format import render_json
    from reconciler.render.markdown import render_markdown
    from reconciler.render.text import render_apply_report, render_text


# Each renderer loads when first used (an apply shows text only).
__getattr__ = lazy_exports(
    __name__,
    {
        "html": ("render_html",),
        "json_format": ("render_json",),
        "markdown": ("render_markdown",),
        "text": ("render_apply_report", "render_text"),
    },
)

__all__ = ["render_apply_report", "render_html", "render_json", "render_markdown", "render_text"]
