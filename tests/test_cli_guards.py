"""The command line's guards for pull requests: sensitive variables never shown or saved (and a saved plan
still applies), `--var` values read like manifests, `plan -o` never over a project file or through a
symlink, `import --out` never through a symlink."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from reconciler.errors import ProjectError
from reconciler.manifest.writer import write_new
from tests.conftest import Result

SECRET = "K3y-s3cr3t-9f7e"
FR = "criteo.ad_set.summer-retargeting/fr-cart-abandoners"


def with_secret(project: Path, name: str = "secret_tracking_key") -> Path:
    """The Criteo example with its FR tracking code taken from a sensitive variable (a template)."""
    manifest = project / "campaigns" / "retargeting.yaml"
    text = manifest.read_text().replace(
        "utm_campaign=summer-fr", f"utm_campaign=summer-fr&key={{{{ {name} }}}}"
    )
    manifest.unlink()
    (project / "campaigns" / "retargeting.yaml.j2").write_text(text)
    return project


def test_sensitive_variables_are_redacted_in_plans_and_plan_files_and_the_file_still_applies(
    example: Callable[[str], Path], cli: Callable[..., Result], tmp_path: Path
) -> None:
    project = with_secret(example("criteo-retargeting"))
    planfile = tmp_path / "plan.json"
    given = f"secret_tracking_key={SECRET}"
    for fmt in ("text", "markdown", "json"):
        shown = cli("plan", str(project), "--var", given, "--format", fmt)
        assert shown.exit_code == 0, shown.stderr
        assert SECRET not in shown.stdout + shown.stderr
        assert "***secret_tracking_key***" in shown.stdout
    assert cli("plan", str(project), "--var", given, "-o", str(planfile)).exit_code == 0
    saved = planfile.read_text()
    assert SECRET not in saved
    assert json.loads(saved)["sensitive_variables"] == ["secret_tracking_key"]
    assert SECRET not in cli("show", str(planfile), "--format", "markdown").stdout

    missing = cli("apply", str(planfile))
    assert missing.exit_code == 1
    assert "sensitive variable(s) secret_tracking_key" in missing.stderr
    other = cli("apply", str(planfile), "--var", given, "--var", "market=fr")
    assert other.exit_code == 1 and "market cannot be given" in other.stderr
    wrong = cli("apply", str(planfile), "--var", "secret_tracking_key=another-value")
    assert wrong.exit_code == 1 and "changed since the plan" in wrong.stderr

    applied = cli("apply", str(planfile), "--var", given)
    assert applied.exit_code == 0, applied.stderr
    assert SECRET not in applied.stdout + applied.stderr
    state = json.loads((project / "state" / "default.state.json").read_text())
    assert state["resources"][FR]["applied"]["trackingCode"].endswith(
        f"&key={SECRET}"
    )  # the real value was sent
    assert cli("plan", str(project), "--var", given, "--detailed-exitcode").exit_code == 0


def test_variables_listed_in_sensitive_vars_are_redacted_too(
    example: Callable[[str], Path], cli: Callable[..., Result], tmp_path: Path
) -> None:
    project = with_secret(example("criteo-retargeting"), name="tracking")
    config = project / "reconciler.yaml"
    config.write_text(config.read_text() + "sensitive_vars: [tracking]\n")
    rendered = cli("render", str(project), "--var", f"tracking={SECRET}")
    assert rendered.exit_code == 0 and SECRET not in rendered.stdout and "***tracking***" in rendered.stdout
    planned = cli("plan", str(project), "--var", f"tracking={SECRET}", "--format", "markdown")
    assert SECRET not in planned.stdout and "***tracking***" in planned.stdout


def test_a_sensitive_value_in_an_error_is_redacted(
    example: Callable[[str], Path], cli: Callable[..., Result]
) -> None:
    project = example("criteo-retargeting")
    manifest = project / "campaigns" / "retargeting.yaml"
    manifest.unlink()
    (project / "campaigns" / "r.yaml.j2").write_text(
        "platform: criteo\nadvertiserId: '12345'\ncampaigns:\n"
        "  - key: c\n    name: c\n    goal: {{ secret_goal }}\n    spendLimit: {spendLimitType: uncapped}\n"
    )
    failed = cli("validate", str(project), "--var", f"secret_goal={SECRET}")
    assert failed.exit_code == 1
    assert SECRET not in failed.stderr and "***secret_goal***" in failed.stderr


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("start=2027-02-30", "--var start:1:1: error: '2027-02-30' is not a real calendar date"),
        ("start=2027-06-01T25:00:00Z", "hour must be in 0..23"),
        ("bid=.nan", "NaN and infinity are refused"),
        ("x=&a [*a]", "recursive alias"),
    ],
)
def test_var_values_are_read_like_manifests(
    example: Callable[[str], Path], cli: Callable[..., Result], value: str, words: str
) -> None:
    result = cli("validate", str(example("criteo-retargeting")), "--var", value)
    assert result.exit_code == 1 and words in result.stderr
    assert "Traceback" not in result.stderr


def test_a_var_value_that_is_not_yaml_stays_text(
    example: Callable[[str], Path], cli: Callable[..., Result]
) -> None:
    result = cli("validate", str(example("criteo-retargeting")), "--var", "note=a: b: c")
    assert result.exit_code == 0, result.stderr


@pytest.mark.parametrize("target", ["campaigns/retargeting.yaml", "reconciler.yaml"])
def test_plan_out_never_overwrites_a_file_of_the_project(
    example: Callable[[str], Path], cli: Callable[..., Result], target: str
) -> None:
    project = example("criteo-retargeting")
    before = (project / target).read_text()
    result = cli("plan", str(project), "-o", str(project / target))
    assert result.exit_code == 1
    assert "refusing to write the plan" in result.stderr and "a file of the project" in result.stderr
    assert (project / target).read_text() == before


def test_plan_out_never_writes_through_a_symlink(
    example: Callable[[str], Path], cli: Callable[..., Result], tmp_path: Path
) -> None:
    project = example("criteo-retargeting")
    victim = tmp_path / "victim.txt"
    victim.write_text("untouched")
    (project / "plan.json").symlink_to(victim)
    result = cli("plan", str(project), "-o", str(project / "plan.json"))
    assert result.exit_code == 1 and "a symlink" in result.stderr
    assert victim.read_text() == "untouched"


def test_import_out_never_writes_through_a_symlink(
    example: Callable[[str], Path], cli: Callable[..., Result], tmp_path: Path
) -> None:
    project = example("criteo-retargeting")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (project / "imported").symlink_to(elsewhere)
    result = cli(
        "import", "criteo", str(project), "--out", str(project / "imported"), "--advertiser", "12345"
    )
    assert result.exit_code == 1
    assert "is a symlink; import never writes through one" in result.stderr
    assert list(elsewhere.iterdir()) == []


def test_a_new_manifest_is_never_written_through_a_dangling_symlink(tmp_path: Path) -> None:
    target = tmp_path / "outside.yaml"
    (tmp_path / "new.yaml").symlink_to(target)
    with pytest.raises(ProjectError, match="already exists"):
        write_new(tmp_path / "new.yaml", "platform: criteo\n")
    assert not target.exists()
    write_new(tmp_path / "fresh.yaml", "platform: criteo\n")
    assert (tmp_path / "fresh.yaml").read_text() == "platform: criteo\n"
