"""A no-op Amazon DSP plan reads at the minimum the API allows, counted in the sandbox's request log.

The minimum, per advertiser: one page of 100 per list (campaigns, ad groups, targets, associations, the
creatives the plan checks), and one `GET .../conversionTracking/products` for each campaign that declares
tracked products (there is no batched read of them). Flights come inline with the campaigns."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from pathlib import Path

import httpx

from reconciler.sandbox import create_app
from tests.conftest import Result, _SyncASGI
from tests.e2e.test_amazon_dsp_workflow import AmazonAPI, state_ids

LOCATION = "XHvCjcKHXmJ7woVowo7CjmvCjcKWbMKHwp3CsGvCk8Krcms="
AUDIENCES = ("365849257058325086", "376964516785083972")
PRODUCTS = (
    "    trackedProducts:\n      - {productId: B09D36CVP1, productAssociation: FEATURED, domain: AMAZON_US}\n"
)


def requests_in(project: Path) -> list[dict[str, str]]:
    """The requests the project's embedded sandbox has received."""
    app = create_app(project / ".reconciler" / "sandbox.sqlite")
    with httpx.Client(transport=_SyncASGI(app), base_url="http://sandbox") as sandbox:
        return list(sandbox.get("/_sandbox/requests").json()["requests"])


def ceil(count: int, size: int = 100) -> int:
    return -(-count // size)


def portfolio(campaigns: int, ad_groups: int, creatives: int, tracked: int) -> str:
    """`campaigns` campaigns (the first `tracked` with tracked products) of `ad_groups` ad groups, each with
    a location and two audience targets and `creatives` creatives."""
    lines = ['platform: amazon_dsp\nadvertiserId: "520724305968518499"\ncampaigns:\n']
    for c in range(campaigns):
        lines.append(
            f"  - key: c{c}\n    name: Campaign {c}\n"
            "    optimization: {bidStrategy: SPEND_BUDGET_IN_FULL, automateBudgetAllocation: false,\n"
            "                   goalSetting: {kpi: CLICK_THROUGH_RATE, targetKpi: 0.1}}\n"
            "    flights:\n"
            "      - {startDateTime: 2030-01-01T00:00:00Z, endDateTime: 2030-03-31T23:59:59Z,\n"
            "         budgetAmount: 500}\n"
            "    frequencies: [{frequencyType: UNCAPPED}]\n"
            + (PRODUCTS if c < tracked else "")
            + "    adGroups:\n"
        )
        for g in range(ad_groups):
            audiences = "".join(f'              - {{audienceId: "{a}", groupId: "1"}}\n' for a in AUDIENCES)
            banners = "".join(
                f'          - key: b{n}\n            creative: "{200000000000 + n}"\n'
                for n in range(1, creatives + 1)
            )
            lines.append(
                f"      - key: g{g}\n        name: Campaign {c} group {g}\n        inventoryType: DISPLAY\n"
                "        creativeRotationType: RANDOM\n"
                '        advertisedProductCategoryIds: ["304669741353807342"]\n'
                "        optimization: {bidStrategy: SPEND_BUDGET_IN_FULL, automateBudgetAllocation: false}\n"
                "        bid: {baseBid: 3}\n        budgetAmount: 100\n"
                "        startDateTime: 2030-01-01T00:00:00Z\n        endDateTime: 2030-03-31T23:59:59Z\n"
                "        targets:\n"
                f"          location:\n            - geoLocation: {LOCATION}\n"
                f"          audience:\n{audiences}"
                f"        creatives:\n{banners}"
            )
    return "".join(lines)


def test_a_no_op_plan_reads_at_the_minimum(
    example: Callable[[str], Path], cli: Callable[..., Result]
) -> None:
    campaigns, ad_groups, creatives, tracked = 2, 21, 3, 1
    project = example("amazon-dsp-launch")
    (project / "campaigns" / "q1-launch.yaml").write_text(portfolio(campaigns, ad_groups, creatives, tracked))
    applied = cli("apply", str(project), "--auto-approve")
    assert applied.exit_code == 0, applied.stdout + applied.stderr
    with httpx.Client(
        transport=_SyncASGI(create_app(project / ".reconciler" / "sandbox.sqlite")), base_url="http://sandbox"
    ) as sandbox:
        sandbox.delete("/_sandbox/requests")
        plan = cli("plan", str(project), "--detailed-exitcode")
        assert plan.exit_code == 0, plan.stdout + plan.stderr
        logged = sandbox.get("/_sandbox/requests").json()["requests"]
    calls = Counter(
        "products"
        if r["path"].endswith("/conversionTracking/products")
        else r["path"].removeprefix("/amazon-dsp")
        for r in logged
        if not r["path"].endswith("/auth/o2/token")
    )
    groups = campaigns * ad_groups
    minimum = {
        "/dsp/v1/campaigns/list": ceil(campaigns),
        "/dsp/v1/adGroups/list": ceil(groups),
        "/dsp/v1/targets/list": ceil(groups * (1 + len(AUDIENCES))),
        "/dsp/v1/adCreatives/associations/adGroups/list": ceil(groups * creatives),
        "/dsp/v1/adCreatives/list": ceil(creatives),
        "products": tracked,
    }
    assert dict(calls) == minimum
    assert sum(calls.values()) <= 1.1 * sum(minimum.values())


def test_products_the_manifest_does_not_set_are_neither_read_nor_a_stale_plan(
    example: Callable[[str], Path], cli: Callable[..., Result], tmp_path: Path
) -> None:
    """A colleague tracks a product on a campaign whose manifest sets no `trackedProducts`: the plan does
    not read them, and the saved plan's check before apply reads the campaign the same way (not stale)."""
    project = example("amazon-dsp-launch")
    manifest = project / "campaigns" / "q1-launch.yaml"
    manifest.write_text(portfolio(1, 1, 1, tracked=0))
    assert cli("apply", str(project), "--auto-approve").exit_code == 0
    colleague = AmazonAPI.embedded(project)
    campaign_id = state_ids(project)["amazon_dsp.campaign.c0"]
    product = {"productId": "B003E1OUKS", "productAssociation": "FEATURED", "domain": "AMAZON_US"}
    added = colleague.call(
        "POST",
        f"/dsp/v1/campaigns/{campaign_id}/conversionTracking/products",
        {"productTrackingList": [product]},
    )
    colleague.client.close()
    assert added.status_code == 207 and not added.json().get("error"), added.text
    manifest.write_text(manifest.read_text().replace("name: Campaign 0\n", "name: Campaign zero\n"))
    planfile = tmp_path / "plan.json"
    assert cli("plan", str(project), "-o", str(planfile)).exit_code == 0
    result = cli("apply", str(planfile))
    assert result.exit_code == 0, result.stdout + result.stderr
    products = [r for r in requests_in(project) if r["path"].endswith("/conversionTracking/products")]
    assert [r["method"] for r in products] == ["POST"]  # the colleague's; reconciler never read them
    assert cli("plan", str(project), "--detailed-exitcode").exit_code == 0
