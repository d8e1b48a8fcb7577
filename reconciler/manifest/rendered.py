"""What a manifest file becomes before it is parsed: its own text, or one text per instance of a template
(`*.yaml.j2`, rendered by `templates`, which loads Jinja2 only when a project has a template)."""

from __future__ import annotations

from dataclasses import dataclass

TEMPLATE_SUFFIX = ".yaml.j2"


@dataclass(frozen=True)
class Rendered:
    """One manifest rendered from a template: `label` names the template and the instance
    (`campaigns/launch.yaml.j2[us]`) and is the file name its diagnostics carry; their line numbers are
    the template's."""

    label: str
    text: str
    template: str
    instance: str | None = None


def is_template(name: str) -> bool:
    return name.endswith(TEMPLATE_SUFFIX)
