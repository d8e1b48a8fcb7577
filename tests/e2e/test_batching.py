"""Fast by design: the largest batches the API allows and no read the plan does not need."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from pathlib import Path

from tests.conftest import Result, SandboxAPI

AD_SETS = 60


def write_project(root: Path, bid: float) -> None:
    root.mkdir(exist_ok=True)
    (root / "reconciler.yaml").write_text("project: many\nplatforms:\n  criteo:\n    endpoint: sandbox\n")
    ad_sets = "".join(
        f"""
      - key: market-{n}
        name: Market {n}
        objective: conversions
        mediaType: display
        datasetId: "56789"
        trackingCode: utm_campaign=market-{n}
        schedule: {{startDate: 2027-06-01T00:00:00Z, endDate: 2027-08-31T00:00:00Z}}
        activation: on
        bidding: {{costController: COS, bidAmount: {bid}}}
        targeting:
          frequencyCapping: {{frequency: daily, maximumImpressions: 3}}
        budget: {{budgetStrategy: uncapped}}
        audience: "9876"
"""
        for n in range(AD_SETS)
    )
    (root / "many.yaml").write_text(
        'platform: criteo\nadvertiserId: "12345"\ncampaigns:\n  - key: big\n    name: Big\n'
        "    goal: acquisition\n    spendLimit: {spendLimitType: uncapped}\n    adSets:" + ad_sets
    )


def calls(api: SandboxAPI) -> Counter[str]:
    log = api.client.get("http://sandbox/_sandbox/requests").json()["requests"]
    api.client.delete("http://sandbox/_sandbox/requests")
    return Counter(f"{r['method']} {r['path'].split('/marketing-solutions')[-1]}" for r in log)


def test_start_and_patch_go_out_fifty_at_a_time_and_a_plan_reads_in_few_calls(
    tmp_path: Path, cli: Callable[..., Result], sandbox_api: Callable[[Path], SandboxAPI]
) -> None:
    project = tmp_path / "many"
    write_project(project, bid=0.1)
    assert cli("plan", str(project)).exit_code == 0
    api = sandbox_api(project)
    calls(api)
    result = cli("apply", str(project), "--auto-approve")
    assert result.exit_code == 0, result.stderr
    made = calls(api)
    assert made["POST /ad-sets"] == AD_SETS
    assert made["POST /ad-sets/start"] == 2  # 50 + 10
    assert sum(n for call, n in made.items() if call.endswith("/audience")) == AD_SETS  # no batch endpoint
    write_project(project, bid=0.2)
    plan = cli("plan", str(project), "--detailed-exitcode")
    assert plan.exit_code == 2 and f"0 to create, {AD_SETS} to update" in plan.stdout
    reads = calls(api)
    assert reads["POST /ad-sets/search"] == 1 and reads["POST /campaigns/search"] == 1
    assert sum(n for call, n in reads.items() if "oauth2" not in call) == 3, reads
    assert cli("apply", str(project), "--auto-approve").exit_code == 0
    writes = calls(api)
    assert writes["PATCH /ad-sets"] == 2  # 50 + 10
    assert cli("plan", str(project), "--detailed-exitcode").exit_code == 0
