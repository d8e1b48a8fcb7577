"""A lost answer to any AppLovin create (bench/chaos.py's hard case): the platform made the object, the apply
saw a gateway timeout. For every kind AppLovin creates (campaign, targets, creative set, asset, ad, source
bids, sources), the create stays journalled, the next plan adopts the object (`find_created`) instead of
making it again, the apply converges, and the platform holds each object once."""

from __future__ import annotations

import asyncio
import json
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

from reconciler import sandbox
from reconciler.sandbox import Faults, SandboxSettings
from tests.conftest import Result

API = "/applovin/campaign_management/v1"
CREATES = {
    "campaign": r"^POST /applovin/campaign_management/v1/campaign$",
    "targets": r"^POST /applovin/campaign_management/v1/campaign_targets/",
    "creative_set": r"^POST /applovin/campaign_management/v1/creative_set$",
    "asset": r"^POST /applovin/campaign_management/v1/creative_set_assets/",
    "ad": r"^POST /applovin/campaign_management/v1/ad/",
    "source_bids": r"^POST /applovin/campaign_management/v1/source_bids/",
    "sources": r"^POST /applovin/campaign_management/v1/sources/",
}
"""Kind → the `METHOD path` of the call that makes it (the platform makes an ad; the call that names it
claims it)."""
APP = "da605e6f950f1aec838816df845e95e0c8d5cb7a994d71ae0ef2"
SEEDED = "Foobidyfoo iOS UA"
"""The sandbox's own campaign (the guide's example), not the project's."""


def live(root: Path) -> dict[str, list[dict[str, Any]]]:
    """The embedded sandbox's campaigns (by name, each once; the seeded one left out) with their creative
    sets, assets and ads, through AppLovin's API."""
    return asyncio.run(_live(root))


async def _live(root: Path) -> dict[str, list[dict[str, Any]]]:
    transport = httpx.ASGITransport(app=sandbox.create_app(root / ".reconciler" / "sandbox.sqlite"))
    async with httpx.AsyncClient(transport=transport, base_url="http://sandbox") as client:
        form = {"grant_type": "client_credentials", "client_id": "a", "client_secret": "b"}
        scope = "campaigns:read creatives:read"
        answer = await client.post("/applovin/oauth/v1/access_token", data={**form, "scope": scope})
        headers = {"Authorization": f"Bearer {answer.json()['access_token']}"}
        campaigns = (await client.get(API + "/campaigns", headers=headers)).json()
        names = Counter(c["name"] for c in campaigns)
        assert all(n == 1 for n in names.values()), names
        return {
            c["name"]: (await client.get(f"{API}/creative_sets/{c['campaign_id']}", headers=headers)).json()
            for c in campaigns
            if c["name"] != SEEDED
        }


def losing(pattern: str) -> Callable[..., Starlette]:
    """The embedded sandbox, losing the answer of every call that matches `pattern` after carrying it out."""
    make = sandbox.create_app

    def create_app(db_path: Path, settings: SandboxSettings | None = None, mounted: Any = None) -> Starlette:
        return make(db_path, SandboxSettings(faults=Faults(lose_share=1.0, only=pattern)), mounted)

    return create_app


@pytest.mark.parametrize("kind", list(CREATES))
def test_a_lost_create_answer_is_adopted_for_every_kind(
    kind: str,
    example: Callable[[str], Path],
    cli: Callable[..., Result],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    project = example("applovin-ua")
    manifest = project / "campaigns" / "puzzle-ios.yaml"
    manifest.write_text(manifest.read_text() + f"    sources:\n      {APP}: false\n")
    with monkeypatch.context() as patched:
        patched.setattr(sandbox, "create_app", losing(CREATES[kind]))
        lost = cli("apply", str(project), "--auto-approve")
    assert lost.exit_code == 1, lost.stdout + lost.stderr
    state = json.loads((project / "state" / "default.state.json").read_text())
    assert any(address.split(".")[1] == kind for address in state["pending"]), state["pending"]

    planned = cli("plan", str(project))
    assert planned.exit_code == 0, planned.stdout + planned.stderr
    adopted = [line for line in planned.stdout.splitlines() if line.strip().startswith("=")]
    assert any(f"applovin.{kind}." in line for line in adopted), planned.stdout
    assert not any(f"+ applovin.{kind}." in line for line in planned.stdout.splitlines()), planned.stdout
    applied = cli("apply", str(project), "--auto-approve")
    assert applied.exit_code == 0, applied.stdout + applied.stderr
    final = cli("plan", str(project), "--detailed-exitcode")
    assert final.exit_code == 0, final.stdout + final.stderr

    [sets] = live(project).values()  # the project's one campaign, once
    assert sorted(s["name"] for s in sets) == ["Banners and MREC", "Portrait video 15s"]
    for cset in sets:
        assert len({a["type"] for a in cset["assets"]}) == len(cset["assets"])
        made = Counter((a["size"], a["template"]) for a in cset["ads"])
        assert all(n == 1 for n in made.values()), made
