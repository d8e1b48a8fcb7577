"""The global rollout example through the CLI: one template per platform rendered for every market of a
var file, applied to Amazon DSP, Criteo and AppLovin at once; markets added or removed touch only theirs."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import yaml

from tests.conftest import Result

NEW_MARKET = {
    "key": "fr",
    "country": "FR",
    "amazon_budget": 3000,
    "criteo_daily": 180,
    "criteo_bid": 0.5,
    "applovin_daily": 300,
    "applovin_bid": 1.5,
}


def markets(project: Path, change: Callable[[list[dict[str, object]]], list[dict[str, object]]]) -> None:
    path = project / "markets.yaml"
    data = yaml.safe_load(path.read_text())
    path.write_text(yaml.safe_dump({"markets": change(data["markets"])}, sort_keys=False))


def planned(cli: Callable[..., Result], project: Path, tmp_path: Path) -> dict[str, object]:
    out = tmp_path / "plan.json"
    result = cli("plan", str(project), "--out", str(out), "--detailed-exitcode")
    assert result.exit_code == 2, result.stdout + result.stderr
    return dict(json.loads(out.read_text()))


def market_of(address: str) -> str:
    found = re.search(r"\.aurora-([a-z]+)", address)
    assert found, address
    return found.group(1)


def test_rollout_reaches_every_platform_then_markets_come_and_go_alone(
    example: Callable[[str], Path], cli: Callable[..., Result], tmp_path: Path
) -> None:
    project = example("global-rollout")
    plan = planned(cli, project, tmp_path)
    created = [c["address"] for c in plan["changes"]]  # type: ignore[union-attr]
    assert {a.split(".")[0] for a in created} == {"amazon_dsp", "criteo", "applovin"}
    assert {market_of(a) for a in created} == {"us", "gb", "de"}
    applied = cli("apply", str(project), "--auto-approve")
    assert applied.exit_code == 0, applied.stdout + applied.stderr
    assert cli("plan", str(project), "--detailed-exitcode").exit_code == 0

    markets(project, lambda ms: [*ms, NEW_MARKET])
    plan = planned(cli, project, tmp_path)
    changes = plan["changes"]
    assert {c["action"] for c in changes} == {"create"}  # type: ignore[union-attr]
    assert {market_of(c["address"]) for c in changes} == {"fr"}  # type: ignore[union-attr]
    assert {c["platform"] for c in changes} == {"amazon_dsp", "criteo", "applovin"}  # type: ignore[union-attr]
    assert cli("apply", str(project), "--auto-approve").exit_code == 0

    markets(project, lambda ms: [m for m in ms if m["key"] != "gb"])
    plan = planned(cli, project, tmp_path)
    changes = plan["changes"]
    assert {c["action"] for c in changes} == {"retire"}  # type: ignore[union-attr]
    assert {market_of(c["address"]) for c in changes} == {"gb"}  # type: ignore[union-attr]
    assert cli("apply", str(project), "--auto-approve").exit_code == 0
    assert cli("plan", str(project), "--detailed-exitcode").exit_code == 0


def test_an_undefined_variable_names_the_template_line_and_variable(
    example: Callable[[str], Path], cli: Callable[..., Result]
) -> None:
    project = example("global-rollout")
    template = project / "campaigns" / "criteo.yaml.j2"
    text = template.read_text().replace("bidAmount: {{ each.criteo_bid }}", "bidAmount: {{ criteo_max_bid }}")
    template.write_text(text)
    line = text.splitlines().index("          bidAmount: {{ criteo_max_bid }}") + 1
    for command in ("validate", "plan", "render"):
        result = cli(command, str(project))
        assert result.exit_code == 1, result.stdout
        # FILE[ITEM]:LINE:COL, the column of the name (the same error for each item of the for_each)
        assert f"campaigns/criteo.yaml.j2[us]:{line}:25: error field `criteo_max_bid`" in result.stderr
        assert (
            "undefined variable 'criteo_max_bid'" in result.stderr
            and "--var criteo_max_bid=VALUE" in result.stderr
        )
        assert "Traceback" not in result.stderr
    assert not (project / ".reconciler").exists(), "a request reached the sandbox"
    assert cli("validate", str(project), "--var", "criteo_max_bid=0.8").exit_code == 0


def test_render_prints_each_instance_with_its_template_and_item(
    example: Callable[[str], Path], cli: Callable[..., Result]
) -> None:
    project = example("global-rollout")
    result = cli("render", str(project), "--var", "product=Nova")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.count("# rendered from campaigns/criteo.yaml.j2, item ") == 3
    assert "# rendered from campaigns/applovin.yaml.j2, item de" in result.stdout
    documents = [d for d in yaml.safe_load_all(result.stdout) if d]
    assert len(documents) == 9
    assert {d["campaigns"][0]["key"] for d in documents} == {"nova-us", "nova-gb", "nova-de"}
