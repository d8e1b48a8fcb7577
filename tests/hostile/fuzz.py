"""Seeded structural mutations of the example projects, run through the real CLI in-process.

`mutate(rng, project)` changes one to three things in a copy of an example: a value replaced by a hostile
one (NaN, an impossible date, a bad tag, a control character, a huge number, an alias), a line deleted,
doubled, moved or re-indented, the file cut short, an alias bomb or a recursive alias added, Jinja2 that
fails or runs away, reconciler.yaml pointing elsewhere, or a hostile `--var`. `run(args)` runs
`reconciler ARGS` as the console script does; a `Failure` is a traceback (an exception other than the
`ReconcilerError`s the CLI reports) or a run past `MAX_SECONDS`. Used by `test_fuzz.py` (a few hundred
per run) and `bench/fuzz.py` (10,000).
"""

from __future__ import annotations

import contextlib
import io
import os
import random
import re
import shutil
import sys
import time
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from reconciler.cli import main as reconciler_main

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
PROJECTS = ("criteo-retargeting", "amazon-dsp-launch", "applovin-ua", "global-rollout")
MAX_SECONDS = 10.0
HOSTILE_VALUES = [
    ".nan",
    ".inf",
    "-.inf",
    "1e999",
    "2027-02-30",
    "2027-06-01T25:00:00Z",
    "2027-13-45",
    "!!bool maybe",
    "!!int abc",
    "!!timestamp garbage",
    "!!float x",
    "!!binary aGk=",
    "!custom x",
    "!!python/name:os.system",
    '"x\\0y"',
    '"\\e[2J"',
    "\x00",
    "\x1b[31m",
    "99999999999999999999999",
    "-9223372036854775809",
    "*nowhere",
    "&a [*a]",
    "[[[[[[[[[[",
    "{",
    "'",
    "~",
    "[]",
    "{}",
    "-1",
    "0",
    "x" * 5000,
    "{{ 1 / 0 }}",
    "{% for i in range(10**8) %}x{% endfor %}",
    "{{ '%d' % 'x' }}",
    "{{ 'a' + 1 }}",
    "{{ undefined_thing }}",
    "'{{'",
    "<<: *nowhere",
    "!!set {a, b}",
]
JINJA = [
    "{{ 1 / 0 }}",
    "{{ '%d' % 'x' }}",
    "{{ 'a' + 1 }}",
    "{% include '/etc/passwd' %}",
    "{% extends '../../../etc/hostname' %}",
    "{% import '.git/config' as c %}",
    "{{ range(10**8)|list }}",
    "{% for a in range(100000) %}{% for b in range(100000) %}{% endfor %}{% endfor %}",
    "{% macro m() %}{{ m() }}{% endmacro %}{{ m() }}",
    "{{ 'x' * 10**10 }}",
    "{{ lipsum(10**9) }}",
    "{% for x in [[1]] recursive %}{{ loop([x]) }}{% endfor %}",
    "{{ ''.__class__.__mro__ }}",
]
PROJECT_SETTINGS = [
    "endpoint: http://attacker.example/",
    "endpoint: file:///etc/passwd",
    "auth_endpoint: ftp://x",
    "endpoint: https://user:pw@api.criteo.com",
    "endpoint: https://api.criteo.com.attacker.example",
    "var_files: [/etc/passwd]",
    "var_files: [../../x.yaml]",
    "state: {path: /tmp/elsewhere}",
    "state: {path: ../../x}",
    "sensitive_vars: [product]",
    "vars: {secret_x: [1, 2]}",
    "environments: {prod: {vars: [1]}}",
    "credentials: {client_id: 'not a name', client_secret: B}",
]


def _bomb(levels: int) -> str:
    lines = ["z0: &z0 [x, x, x, x, x, x, x, x, x]"]
    lines += [f"z{i}: &z{i} [{', '.join([f'*z{i - 1}'] * 9)}]" for i in range(1, levels)]
    return "\n".join(lines) + "\n"


@dataclass
class Failure:
    """A mutated run that ended in a traceback or ran too long."""

    seed: int
    args: list[str]
    mutations: list[str]
    problem: str


def copy_example(name: str, target: Path) -> Path:
    shutil.copytree(EXAMPLES / name, target, ignore=shutil.ignore_patterns("state", ".reconciler", "*.png"))
    return target


def _files(project: Path) -> list[Path]:
    return sorted(p for p in project.rglob("*") if p.is_file() and p.suffix in (".yaml", ".j2"))


def mutate(rng: random.Random, project: Path) -> tuple[list[str], list[str]]:
    """Apply one to three mutations to the project in place; (descriptions, extra CLI arguments)."""
    done: list[str] = []
    extra: list[str] = []
    if rng.random() < 0.3:  # a plausible edit: the project mostly stays valid, so `plan` runs in full
        _tweak(rng, project, done)
        return done, extra
    for _ in range(rng.randint(1, 3)):
        path = rng.choice(_files(project))
        raw = path.read_bytes()
        text = raw.decode("utf-8", "surrogateescape")
        lines = text.splitlines(keepends=True) or ["\n"]
        kind = rng.choice(OPERATORS)
        where = rng.randrange(len(lines))
        name = path.relative_to(project).as_posix()
        if kind == "value":
            line = lines[where]
            head, colon, _ = line.partition(": ")
            value = rng.choice(HOSTILE_VALUES)
            lines[where] = f"{head}: {value}\n" if colon else f"{line.rstrip()} {value}\n"
            done.append(f"{name}:{where + 1} value {value[:40]!r}")
        elif kind == "delete":
            del lines[where]
            done.append(f"{name}:{where + 1} deleted")
        elif kind == "double":
            lines.insert(where, lines[where])
            done.append(f"{name}:{where + 1} doubled")
        elif kind == "move":
            other = rng.randrange(len(lines))
            lines[where], lines[other] = lines[other], lines[where]
            done.append(f"{name}:{where + 1} swapped with {other + 1}")
        elif kind == "indent":
            shift = rng.choice([-4, -2, 2, 4])
            lines[where] = " " * max(shift, 0) + lines[where][max(-shift, 0) :]
            done.append(f"{name}:{where + 1} indented {shift:+d}")
        elif kind == "truncate":
            cut = rng.randrange(len(raw) + 1)
            path.write_bytes(raw[:cut])
            done.append(f"{name} cut at byte {cut}")
            continue
        elif kind == "bytes":
            junk = bytes(
                rng.choice([0, 7, 27, 127, 0xFF, 0xFE, 0xC3, 0x80]) for _ in range(rng.randint(1, 4))
            )
            at = rng.randrange(len(raw) + 1)
            path.write_bytes(raw[:at] + junk + raw[at:])
            done.append(f"{name} bytes {junk!r} at {at}")
            continue
        elif kind == "bomb":
            lines.insert(0, _bomb(rng.randint(4, 9)))
            done.append(f"{name} alias bomb")
        elif kind == "recursive":
            lines.insert(where, "loop: &loop [*loop]\n" if rng.random() < 0.5 else "self: &s {a: *s}\n")
            done.append(f"{name}:{where + 1} recursive alias")
        elif kind == "deep":
            depth = rng.choice([150, 2000])
            lines.insert(where, "deep: " + "[" * depth + "]" * depth + "\n")
            done.append(f"{name}:{where + 1} nested {depth}")
        elif kind == "jinja":
            snippet = rng.choice(JINJA)
            lines.insert(where, snippet + "\n")
            done.append(f"{name}:{where + 1} jinja {snippet[:40]!r}")
        elif kind == "project":
            setting = rng.choice(PROJECT_SETTINGS)
            config = project / "reconciler.yaml"
            body = config.read_bytes().decode("utf-8", "surrogateescape")
            indent = "    " if setting.split(":")[0] in ("endpoint", "auth_endpoint", "credentials") else ""
            if indent:
                body = body.replace("    endpoint: sandbox", f"    {setting}", 1)
            else:
                body += setting + "\n"
            config.write_bytes(body.encode("utf-8", "surrogateescape"))
            done.append(f"reconciler.yaml {setting}")
            continue
        else:  # a hostile --var
            value = rng.choice([*HOSTILE_VALUES, "2027-02-30", _bomb(9)])
            variable = rng.choice(["product", "markets", "launch_start", "secret_token", "x"])
            extra += ["--var", f"{variable}={value}"]
            done.append(f"--var {variable}={value[:40]!r}")
            continue
        path.write_bytes("".join(lines).encode("utf-8", "surrogateescape"))
    return done, extra


def _tweak(rng: random.Random, project: Path, done: list[str]) -> None:
    """A number changed to another, a text lengthened, a flag flipped: what a colleague's edit does."""
    path = rng.choice(_files(project))
    lines = path.read_text().splitlines(keepends=True)
    candidates = [i for i, line in enumerate(lines) if re.match(r"^\s*-?\s*\w+: \S", line)]
    if not candidates:
        return
    where = rng.choice(candidates)
    head, _, value = lines[where].rstrip("\n").partition(": ")
    if re.fullmatch(r"-?\d+", value):
        value = str(rng.choice([0, 1, 2, 5, 10, 50, 100, 1000, 123456]))
    elif re.fullmatch(r"-?\d+\.\d+", value):
        value = str(round(rng.uniform(0.01, 20), 2))
    elif value in ("true", "false"):
        value = "false" if value == "true" else "true"
    elif value.isalnum():
        value += "x"
    lines[where] = f"{head}: {value}\n"
    path.write_text("".join(lines))
    done.append(f"{path.relative_to(project).as_posix()}:{where + 1} tweaked to {value[:40]!r}")


OPERATORS = [
    "value",
    "value",
    "value",
    "delete",
    "double",
    "move",
    "indent",
    "truncate",
    "bytes",
    "bomb",
    "recursive",
    "deep",
    "jinja",
    "jinja",
    "project",
    "var",
]


@contextlib.contextmanager
def _environment() -> Iterator[None]:
    """No platform but the embedded sandbox may be reached, whatever a mutation writes."""
    before = os.environ.get("RECONCILER_ALLOWED_HOSTS")
    os.environ["RECONCILER_ALLOWED_HOSTS"] = "127.0.0.1"
    try:
        yield
    finally:
        if before is None:
            del os.environ["RECONCILER_ALLOWED_HOSTS"]
        else:
            os.environ["RECONCILER_ALLOWED_HOSTS"] = before


def run(args: list[str]) -> str | None:
    """`reconciler ARGS` in-process; the problem (a traceback, too long) or None when it ended cleanly."""
    saved = sys.argv
    sys.argv = ["reconciler", *args]
    started = time.monotonic()
    output = io.StringIO()
    try:
        with contextlib.redirect_stdout(output), contextlib.redirect_stderr(output), _environment():
            reconciler_main()
    except SystemExit:
        pass
    except BaseException:
        return traceback.format_exc()
    finally:
        sys.argv = saved
    elapsed = time.monotonic() - started
    if elapsed > MAX_SECONDS:
        return f"took {elapsed:.1f} s"
    return None


def fuzz(seed: int, count: int, workdir: Path, commands: Callable[[Path], list[list[str]]]) -> list[Failure]:
    """`count` mutated projects from `seed`, each run through `commands(project)`; the failures."""
    rng = random.Random(seed)
    failures: list[Failure] = []
    for number in range(count):
        project = copy_example(rng.choice(PROJECTS), workdir / f"m{number}")
        mutations, extra = mutate(rng, project)
        for args in commands(project):
            problem = run([*args, *extra])
            if problem is not None:
                failures.append(Failure(seed, [*args, *extra], mutations, problem))
        shutil.rmtree(project)
    return failures


def commands(project: Path) -> list[list[str]]:
    """validate, render and plan (against the embedded sandbox) of one project."""
    environment = ["--env", "prod"] if b"environments:" in (project / "reconciler.yaml").read_bytes() else []
    return [[verb, str(project), *environment] for verb in ("validate", "render", "plan")]
