"""AppLovin's first apply at the minimum number of writes, counted in the served sandbox's request log
(`/_sandbox/requests`): one call per object (a campaign is created with its status, a creative set with its
sizes), so writes stay within 1.05× the lower bound of one call per object."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from tests.conftest import Result, sandbox_server

API = "/applovin/campaign_management/v1"


@pytest.fixture
def served(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    monkeypatch.setenv("APPLOVIN_CLIENT_ID", "ci-client")
    monkeypatch.setenv("APPLOVIN_CLIENT_SECRET", "ci-secret")
    with sandbox_server(tmp_path / "served.sqlite") as base:
        yield base


def point_at(project: Path, base: str) -> None:
    config = project / "reconciler.yaml"
    config.write_text(
        config.read_text().replace(
            "endpoint: sandbox", f"endpoint: {base}/applovin\n    auth_endpoint: {base}/applovin"
        )
    )


def writes(base: str) -> list[str]:
    """`POST <path>` of every Campaign Management write the sandbox served."""
    logged = httpx.get(f"{base}/_sandbox/requests").json()["requests"]
    return [
        r["path"].removeprefix(API) for r in logged if r["method"] == "POST" and r["path"].startswith(API)
    ]


def first_apply(cli: Callable[..., Result], project: Path, base: str) -> tuple[list[str], int]:
    """The writes of a first apply and the number of objects it created (the lower bound: one call each)."""
    point_at(project, base)
    result = cli("apply", str(project), "--auto-approve")
    assert result.exit_code == 0, result.stderr + result.stdout
    assert cli("plan", str(project), "--detailed-exitcode").exit_code == 0
    state = json.loads((project / "state" / "default.state.json").read_text())
    return writes(base), len(state["resources"])


def test_the_example_s_first_apply_writes_once_per_object(
    served: str, example: Callable[[str], Path], cli: Callable[..., Result]
) -> None:
    made, objects = first_apply(cli, example("applovin-ua"), served)
    assert objects == 13
    assert len(made) == objects <= 1.05 * objects, made
    assert [p for p in made if p.endswith("/sizes")] == [], "sizes travel in the creative set create"
    assert [p for p in made if p.startswith("/campaign/") or p == "/campaign"] == ["/campaign"], made


CAMPAIGN = """\
  - key: game-{n}
    name: Game {n}
    platform: android
    package_name: com.acme.game{n}
    bid_type: CPI
    tracking_method: adjust
    status: true
    targets:
      countries:
        us: {{bid: 1.5, budget: 100}}
        gb: {{bid: 1.1, budget: 50}}
    creative_sets:
      - key: banners
        name: Banners {n}
        languages: [en]
        sizes: {{BANNER: true, INTER: false}}
        assets:
          TXT_TITLE: {{text: Game {n}}}
          IMG_BANNER: {{url: "https://cdn.acme.example/game{n}/banner.png"}}
"""


def test_a_portfolio_s_first_apply_stays_within_the_write_bound(
    served: str, example: Callable[[str], Path], cli: Callable[..., Result]
) -> None:
    project = example("applovin-ua")
    (project / "campaigns" / "puzzle-ios.yaml").unlink()
    text = "platform: applovin\ncampaigns:\n" + "".join(CAMPAIGN.format(n=n) for n in range(12))
    (project / "campaigns" / "portfolio.yaml").write_text(text)
    made, objects = first_apply(cli, project, served)
    assert objects == 12 * 5
    assert len(made) <= 1.05 * objects, f"{len(made)} writes for {objects} objects"
    assert sum(p == "/campaign" for p in made) == 12 and not any(p.endswith("/sizes") for p in made)
