"""The command line: when the text plan is coloured, and plan files of another format version."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from reconciler.cli import colour_wanted
from reconciler.plan.file import PLAN_FORMAT_VERSION
from tests.conftest import BIN, Result


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_colour_only_on_a_terminal_without_no_color(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setattr(sys, "stdout", Terminal())
    assert colour_wanted(no_color=False)
    assert not colour_wanted(no_color=True)
    monkeypatch.setenv("NO_COLOR", "1")
    assert not colour_wanted(no_color=False)
    monkeypatch.delenv("NO_COLOR")
    monkeypatch.setattr(sys, "stdout", io.StringIO())  # a pipe or a file: CI logs, `> plan.txt`
    assert not colour_wanted(no_color=False)


def test_a_plan_file_of_another_format_version_is_refused_plainly(
    tmp_path: Path, cli: Callable[..., Result]
) -> None:
    old = tmp_path / "plan.json"
    old.write_text(json.dumps({"format_version": 1, "project": "shop", "changes": []}))
    for command in (("show", str(old)), ("apply", str(old))):
        result = cli(*command)
        assert result.exit_code == 1
        expected = f"{old} is a plan of format 1; this reconciler reads format {PLAN_FORMAT_VERSION}"
        assert expected in result.stderr
        assert "make the plan again with this version of reconciler" in result.stderr


@pytest.mark.parametrize(
    ("shell", "marker"),
    [
        ("bash", "complete -o nosort -F _reconciler_completion reconciler"),
        ("zsh", "#compdef reconciler"),
        ("fish", "complete --no-files --command reconciler"),
    ],
)
def test_shell_completion_scripts_are_produced_and_complete_commands(shell: str, marker: str) -> None:
    """The README's `_RECONCILER_COMPLETE=SHELL_source reconciler` prints the script to source."""
    script = subprocess.run(
        [str(BIN)],
        env={**os.environ, "_RECONCILER_COMPLETE": f"{shell}_source"},
        capture_output=True,
        text=True,
    )
    assert script.returncode == 0 and marker in script.stdout, script.stdout + script.stderr
    env = {
        **os.environ,
        "_RECONCILER_COMPLETE": "bash_complete",
        "COMP_WORDS": "reconciler import a",
        "COMP_CWORD": "2",
    }
    answer = subprocess.run([str(BIN)], env=env, capture_output=True, text=True)
    assert answer.stdout.split() == ["plain,amazon_dsp", "plain,applovin"]
