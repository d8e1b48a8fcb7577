"""When the text plan is coloured: on a terminal, unless --no-color or NO_COLOR says no."""

from __future__ import annotations

import io
import sys

import pytest

from reconciler.cli import colour_wanted


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
