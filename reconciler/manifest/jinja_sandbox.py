"""The Jinja2 environment templates render in: sandboxed, bounded, and confined to the project.

- Jinja2's `SandboxedEnvironment` (no access to Python internals; `range()` is capped at 100,000 items).
- Bounded: all the loops of one template file together may run `MAX_LOOP_ITERATIONS` times, its output
  may reach `MAX_OUTPUT_CHARS`, its rendering may take `MAX_SECONDS`; operators (`*`, `**`, `%`, `+`,
  `~`), filters and calls refuse a number argument or a result past `MAX_VALUE_SIZE` (`'x' * 10**9`,
  `'x'|center(10**9)`, `'%0999999999d' % 1`). Past a bound, rendering stops with `RenderLimit`.
- Confined: `{% include %}`, `{% import %}` and `{% extends %}` load files of the project only (relative
  paths, nothing hidden, no symlink leaving it), through `ProjectLoader`.

`located(exc, ...)` says where in which template a rendering error happened (file and line).
"""

from __future__ import annotations

import functools
import re
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from types import TracebackType
from typing import Any

import jinja2
import jinja2.sandbox
from jinja2 import nodes
from jinja2.visitor import NodeTransformer

from reconciler.manifest.paths import CONFINED_HINT, outside_problem
from reconciler.manifest.yaml_loader import bad_character

MAX_LOOP_ITERATIONS = 1_000_000
MAX_OUTPUT_CHARS = 20_000_000
MAX_VALUE_SIZE = 10_000_000  # characters of a string, items of a list, digits of a number
MAX_SECONDS = 10.0
MAX_INCLUDED_CHARS = 5_000_000
MAIN = "<template>"  # the file name Jinja2 gives a template made from a string
# a width or precision of 8 digits or more in a %-format or a format spec: `'%0999999999d' % 1`
_HUGE_FORMAT = re.compile(r"%[-+ #0]*\d{8}|%[-+ #0]*\d*\.\d{8}|\{[^{}]*:[^{}]*\d{8}[^{}]*\}")


class RenderLimit(jinja2.TemplateRuntimeError):
    """A bound of rendering was passed (loop iterations, output size, value size, time)."""


class ProjectLoader(jinja2.BaseLoader):
    """Loads included, imported and extended templates from the project directory, and nowhere else."""

    def __init__(self, root: Path | None) -> None:
        self.root = root

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str, Callable[[], bool]]:
        if self.root is None:
            raise jinja2.TemplateNotFound(template, f"cannot include {template!r}: no project directory")
        problem = outside_problem(self.root, template)
        path = self.root / template
        if problem is None and not path.is_file():
            problem = "does not exist"
        if problem is not None:
            raise jinja2.TemplateNotFound(template, f"{template!r} {problem} ({CONFINED_HINT})")
        data = path.read_bytes()
        if len(data) > MAX_INCLUDED_CHARS:
            raise RenderLimit(f"{template!r} is larger than {MAX_INCLUDED_CHARS:,} bytes")
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            raise jinja2.TemplateNotFound(template, f"{template!r} is not UTF-8 text") from None
        bad = bad_character(text)
        if bad is not None:
            raise jinja2.TemplateNotFound(template, f"{template!r} holds the character {bad[1]}")
        return text, template, lambda: True


_SIZE_FILTERS = frozenset({"center", "indent", "truncate", "wordwrap", "slice", "batch"})
_SIZE_CALLS = frozenset({"ljust", "rjust", "center", "zfill", "expandtabs", "generate_lorem_ipsum"})


def _check_size(value: Any) -> None:
    if isinstance(value, str | list | tuple | dict) and len(value) > MAX_VALUE_SIZE:
        raise RenderLimit(f"a value would be longer than {MAX_VALUE_SIZE:,}")


def _check_counts(args: Iterable[Any]) -> None:
    """Arguments that are sizes (a width, a count) stay within MAX_VALUE_SIZE."""
    for value in args:
        if isinstance(value, int) and abs(value) > MAX_VALUE_SIZE:
            raise RenderLimit(f"{value} is too large a width or count (at most {MAX_VALUE_SIZE:,})")


def _check_format(text: Any, args: Iterable[Any]) -> None:
    """A %-format or format string asks for no huge width or precision, itself or through `*`."""
    if not isinstance(text, str):
        return
    if _HUGE_FORMAT.search(text):
        raise RenderLimit("a format asks for a width or precision of 8 digits or more")
    if "*" in text or ":{" in text:  # a width given as an argument
        _check_counts(args)


def _guarded(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    """A filter that refuses huge sizes and formats among its arguments, and huge results."""

    @functools.wraps(function)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        if name in _SIZE_FILTERS:
            _check_counts([*args[1:], *kwargs.values()])
        elif name == "format" and args:
            _check_format(args[0], args[1:])
        result = function(*args, **kwargs)
        _check_size(result)
        return result

    return guarded


class _Bounder(NodeTransformer):
    """Every `{% for %}` iterates through `_bounded_loop`; every `~` joins through `_bounded_concat`."""

    def visit_For(self, node: nodes.For) -> nodes.Node:
        self.generic_visit(node)  # in place
        node.iter = nodes.Filter(node.iter, "_bounded_loop", [], [], None, None, lineno=node.lineno)
        return node

    def visit_Concat(self, node: nodes.Concat) -> nodes.Node:
        self.generic_visit(node)
        joined = nodes.List(list(node.nodes), lineno=node.lineno)
        return nodes.Filter(joined, "_bounded_concat", [], [], None, None, lineno=node.lineno)


class BoundedEnvironment(jinja2.sandbox.SandboxedEnvironment):
    """A sandboxed environment whose renderings stop at the bounds of this module."""

    intercepted_binops = frozenset(["*", "**", "%", "+"])

    def __init__(self, root: Path | None, finalize: Callable[[Any], Any] | None = None) -> None:
        super().__init__(
            loader=ProjectLoader(root),
            undefined=jinja2.StrictUndefined,
            keep_trailing_newline=True,
            autoescape=False,
            finalize=finalize,
        )
        self.filters = {name: _guarded(name, f) for name, f in self.filters.items()}
        self.filters["_bounded_loop"] = self._bounded_loop
        self.filters["_bounded_concat"] = self._bounded_concat
        self.restart()

    def restart(self) -> None:
        """New budgets (one template file's rendering)."""
        self.iterations = 0
        self.output = 0
        self.deadline = time.monotonic() + MAX_SECONDS

    def tick(self) -> None:
        self.iterations += 1
        if self.iterations > MAX_LOOP_ITERATIONS:
            raise RenderLimit(f"the loops ran more than {MAX_LOOP_ITERATIONS:,} times")
        if self.iterations % 1000 == 0:
            self.check_time()

    def check_time(self) -> None:
        if time.monotonic() > self.deadline:
            raise RenderLimit(f"rendering took more than {MAX_SECONDS:g} seconds")

    def count_output(self, chunk: str) -> None:
        self.output += len(chunk)
        if self.output > MAX_OUTPUT_CHARS:
            raise RenderLimit(f"the output is larger than {MAX_OUTPUT_CHARS:,} characters")

    def _bounded_loop(self, iterable: Iterable[Any]) -> Iterator[Any]:
        for item in iterable:
            self.tick()
            yield item

    def _bounded_concat(self, parts: list[Any]) -> str:
        texts = [str(part) for part in parts]
        if sum(len(text) for text in texts) > MAX_VALUE_SIZE:
            raise RenderLimit(f"a joined text would be longer than {MAX_VALUE_SIZE:,}")
        return "".join(texts)

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        """The template's syntax tree with its loops and joins bounded."""
        tree = _Bounder().visit(super()._parse(source, name, filename))
        assert isinstance(tree, nodes.Template)
        return tree

    def call(__self, __context: jinja2.runtime.Context, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        __self.check_time()
        name = getattr(__obj, "__name__", "")
        if name in _SIZE_CALLS:
            _check_counts([*args, *kwargs.values()])
        result = super().call(__context, __obj, *args, **kwargs)
        _check_size(result)
        return result

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        """`text.format(...)` checked like a %-format."""
        wrapped = super().wrap_str_format(value)
        if wrapped is None:
            return None
        text = value.__self__

        def checked(*args: Any, **kwargs: Any) -> str:
            _check_format(text, [*args, *kwargs.values()])
            return wrapped(*args, **kwargs)

        return checked

    def call_binop(self, context: jinja2.runtime.Context, operator: str, left: Any, right: Any) -> Any:
        if operator == "**" and isinstance(left, int) and isinstance(right, int):
            digits = abs(right) * max(abs(left), 2).bit_length() * 0.302
            if right > 0 and abs(left) > 1 and digits > MAX_VALUE_SIZE:
                raise RenderLimit(f"{left} ** {right} would have more than {MAX_VALUE_SIZE:,} digits")
        if operator == "*":
            for sized, count in ((left, right), (right, left)):
                sized_count = isinstance(sized, str | list | tuple) and isinstance(count, int)
                if sized_count and len(sized) * count > MAX_VALUE_SIZE:
                    raise RenderLimit(f"a repeated value would be longer than {MAX_VALUE_SIZE:,}")
        if operator == "%":
            _check_format(left, right if isinstance(right, tuple) else [right])
        result = super().call_binop(context, operator, left, right)
        _check_size(result)
        return result


def located(exc: BaseException, body_offset: int) -> tuple[str | None, int]:
    """(template file or None for the rendered template itself, line) where `exc` was raised.

    The line of the innermost template frame: Jinja2 rewrites tracebacks so that each template frame
    carries the template's file name and line. `body_offset` is added to lines of the template itself
    (its for_each header is not part of the rendered body)."""
    if isinstance(exc, jinja2.TemplateSyntaxError) and exc.lineno:
        if exc.filename and exc.filename != MAIN:
            return exc.filename, exc.lineno
        return None, exc.lineno + body_offset
    found: tuple[str | None, int] = (None, 0)
    traceback: TracebackType | None = exc.__traceback__
    while traceback is not None:
        filename = traceback.tb_frame.f_code.co_filename
        if filename == MAIN:
            found = (None, traceback.tb_lineno + body_offset)
        elif not filename.endswith(".py") and not filename.startswith("<"):
            found = (filename, traceback.tb_lineno)
        traceback = traceback.tb_next
    return found
