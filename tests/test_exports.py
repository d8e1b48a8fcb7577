"""Lazy package exports: an export loads its module on first use, once; an unknown name is an error."""

from __future__ import annotations

import subprocess
import sys

import pytest

import reconciler.render


def test_an_export_loads_its_module_when_first_used_and_only_then() -> None:
    script = (
        "import sys, reconciler.render as r\n"
        "assert 'reconciler.render.html' not in sys.modules\n"
        "f = r.render_html\n"
        "assert 'reconciler.render.html' in sys.modules and vars(r)['render_html'] is f\n"
        "assert 'reconciler.render.markdown' not in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", script], check=True)


def test_an_unknown_name_is_an_attribute_error_naming_the_package() -> None:
    with pytest.raises(AttributeError, match=r"'reconciler\.render' has no attribute 'render_pdf'"):
        reconciler.render.render_pdf  # noqa: B018
