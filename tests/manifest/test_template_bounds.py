"""Templates render in a bounded sandbox confined to the project: Jinja2 runtime errors, runaway loops,
huge values and includes outside the project are errors at the template's file and line, never a
traceback or a hang."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from reconciler.errors import ValidationFailed
from reconciler.manifest import load_project
from reconciler.manifest.jinja_sandbox import MAX_LOOP_ITERATIONS
from reconciler.manifest.templates import render_template

BODY = """platform: criteo
advertiserId: "12345"
campaigns:
  - key: c
    name: {expr}
    goal: acquisition
    spendLimit: {{spendLimitType: uncapped}}
"""


def failure(expr: str, before: str = "", root: Path | None = None, header: str = "") -> tuple[str, int, str]:
    """(file, line, message) of the one problem of a template whose name is `expr`."""
    started = time.process_time()
    rendered, problems = render_template(header + before + BODY.format(expr=expr), "c/t.yaml.j2", {}, root)
    assert time.process_time() - started < 3
    assert rendered == [] and len(problems) == 1
    return problems[0].file, problems[0].line, problems[0].message


@pytest.mark.parametrize(
    ("expr", "words"),
    [
        ("{{ 1 / 0 }}", "ZeroDivisionError: division by zero"),
        ("{{ '%d' % 'x' }}", "TypeError: %d format: a real number is required, not str"),
        ("{{ 'FR' + 1 }}", 'can only concatenate str (not "int") to str'),
        ("{{ [1][5] }}", "undefined value"),
        ("{{ ''.__class__.__mro__ }}", "template error"),
    ],
)
def test_runtime_errors_are_located(expr: str, words: str) -> None:
    file, line, message = failure(expr, header="# comment before the header\nfor_each: [us]\n---\n")
    assert (file, line) == ("c/t.yaml.j2[us]", 8)  # FILE[ITEM]:LINE, the form every rendered manifest has
    assert words in message


def test_a_macro_that_calls_itself_is_located() -> None:
    before = "{% macro forever(n) %}{{ forever(n + 1) }}{% endmacro %}\n"
    assert failure("{{ forever(1) }}", before)[1:] == (
        1,
        "template error: a macro, a recursive loop or an include calls itself without end",
    )


@pytest.mark.parametrize(
    ("expr", "before", "words"),
    [
        ("{% for i in range(10**8) %}x{% endfor %}", "", "Range too big"),
        (
            "x",
            "{% for a in range(100000) %}{% for b in range(100000) %}{% endfor %}{% endfor %}\n",
            "loops ran more than",
        ),
        ("{{ 'x' * 10**10 }}", "", "repeated value would be longer"),
        ("{{ 10 ** (10 ** 9) }}", "", "digits"),
        ("{{ 'x'|center(10**9) }}", "", "too large a width"),
        ("{{ 'x'.ljust(10**9) }}", "", "too large a width"),
        ("{{ '%0999999999d' % 1 }}", "", "width or precision"),
        ("{{ '{:>999999999}'.format(1) }}", "", "width or precision"),
        (
            "{{ ns.x }}",
            "{% set ns = namespace(x='x') %}{% for i in range(64) %}"
            "{% set ns.x = ns.x ~ ns.x %}{% endfor %}\n",
            "longer than",
        ),
        ("x", "{% for i in range(100000) %}{{ 'y' * 1000 }}{% endfor %}\n", "output is larger than"),
    ],
)
def test_rendering_is_bounded(expr: str, before: str, words: str) -> None:
    assert words in failure(expr, before)[2]


def test_ordinary_templates_are_not_bounded_by_mistake() -> None:
    body = (
        "{% for m in markets %}# {{ m ~ '-' ~ loop.index }}{% if loop.last %} last{% endif %}\n{% endfor %}"
        "{% set n = namespace(total=0) %}"
        "{% for i in range(1000) %}{% set n.total = n.total + i %}{% endfor %}"
        + BODY.format(expr="{{ 'id %s' % 123456789 }} {{ '{}-{}'.format(1, 2) }} {{ n.total }}")
    )
    rendered, problems = render_template(body, "c/t.yaml.j2", {"markets": ["us", "gb"]})
    assert problems == []
    assert "# us-1\n# gb-2 last\n" in rendered[0].text
    assert "name: id 123456789 1-2 499500" in rendered[0].text
    assert MAX_LOOP_ITERATIONS >= 1_000_000


def project(root: Path, template: str) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "reconciler.yaml").write_text("project: p\nplatforms:\n  criteo: {endpoint: sandbox}\n")
    (root / "campaigns").mkdir(exist_ok=True)
    (root / "campaigns" / "c.yaml.j2").write_text(template)
    return root


def test_includes_imports_and_extends_load_files_of_the_project(tmp_path: Path) -> None:
    root = project(tmp_path, "{% import 'parts/macros.j2' as m %}" + BODY.format(expr="{{ m.name('FR') }}"))
    (root / "parts").mkdir()
    (root / "parts" / "macros.j2").write_text("{% macro name(x) %}Summer {{ x }}{% endmacro %}")
    assert [r.attributes["name"] for r in load_project(root).resources] == ["Summer FR"]


@pytest.mark.parametrize(
    ("tag", "words"),
    [
        ("{% include '/etc/passwd' %}", "'/etc/passwd' is an absolute path"),
        ("{% include '../../etc/passwd' %}", "leaves the project directory"),
        ("{% import '../secret.j2' as s %}", "leaves the project directory"),
        ("{% extends '/etc/hostname' %}", "is an absolute path"),
        ("{% include '.git/config' %}", "hidden file"),
        ("{% include 'parts/link.j2' %}", "leaves the project directory"),
        ("{% include 'parts/missing.j2' %}", "does not exist"),
    ],
)
def test_includes_outside_the_project_are_refused_at_their_line(tmp_path: Path, tag: str, words: str) -> None:
    (tmp_path / "secret.j2").write_text("runner-secret-value")
    root = project(tmp_path / "p", "# a template\n" + tag + "\n" + BODY.format(expr="x"))
    (root / "parts").mkdir()
    (root / "parts" / "link.j2").symlink_to(tmp_path / "secret.j2")
    (root / ".git").mkdir()
    (root / ".git" / "config").write_text(
        "[http]\n\textraheader = AUTHORIZATION: basic runner-secret-value\n"
    )
    with pytest.raises(ValidationFailed) as caught:
        load_project(root)
    [problem] = caught.value.diagnostics
    assert (problem.file, problem.line) == ("campaigns/c.yaml.j2", 2)
    assert words in problem.message
    assert "runner-secret-value" not in str(caught.value)


def test_an_error_inside_an_included_file_points_into_that_file(tmp_path: Path) -> None:
    root = project(tmp_path, "{% include 'parts/name.j2' %}\n" + BODY.format(expr="x"))
    (root / "parts").mkdir()
    (root / "parts" / "name.j2").write_text("# name\n{{ 1 // 0 }}\n")
    with pytest.raises(ValidationFailed) as caught:
        load_project(root)
    [problem] = caught.value.diagnostics
    assert (problem.file, problem.line) == ("parts/name.j2", 2)


def test_a_for_each_header_is_read_by_the_located_loader() -> None:
    _, problems = render_template("for_each: [2027-02-30]\n---\na: 1\n", "c/t.yaml.j2", {})
    assert [(p.line, p.column) for p in problems] == [(1, 12)]
    assert "not a real calendar date" in problems[0].message
