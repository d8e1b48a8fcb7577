"""Amazon DSP's offline rules (pure, no I/O) on the kit's `RuleBook`: what the campaign management guide, the
creative association guide and FACTS.md say can be checked without calling the API, each with its code
(a row of docs/amazon-dsp-rules.md), the sentence it comes from, and a check giving located diagnostics.

A rule no vendor sentence states is an *assumption*: it only warns (the platform may accept what it
doubts). Bounds follow the wording: the association guide's "later then" and "earlier then" are strict.
Rules that need live data are checked at plan time elsewhere (operations.py: a started flight, a deprecated
inventory type on create; names.py: names, a creative's existence and type).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from reconciler.model import Diagnostic, Resource, Severity
from reconciler.providers.amazon_dsp import checks, target_checks
from reconciler.providers.kit.rules import Rule, RuleBook

CAMPAIGN_GUIDE = "amazon-dsp-campaign-management.md"
ASSOCIATION_GUIDE = "amazon-dsp-creative-associations.md"
FACTS = "FACTS.md"
DOCUMENTS = (CAMPAIGN_GUIDE, ASSOCIATION_GUIDE, FACTS)

CAMPAIGN, AD_GROUP, TARGETS, ASSOCIATION = (
    ("campaign",),
    ("ad_group",),
    ("targets",),
    ("creative_association",),
)
BOTH = ("campaign", "ad_group")


def quoted(document: str, quote: str) -> str:
    """A rule's source: a seed document and a short exact quote of it."""
    return f'{document}: "{quote}"'


def unsourced(why: str) -> str:
    return f"no vendor sentence states it ({why})"


def rules_at(now: datetime | None = None) -> RuleBook:
    """The rule book; `now` (default: the time of each check) tells which flights are current or future."""
    cg, ag = CAMPAIGN_GUIDE, ASSOCIATION_GUIDE

    def rule(code: str, source: str, kinds: tuple[str, ...], check: Any, **more: Any) -> Rule:
        return Rule(code, source, kinds, check, **more)

    def assumed(code: str, why: str, kinds: tuple[str, ...], check: Any) -> Rule:
        return Rule(code, unsourced(why), kinds, check, assumption=True)

    return RuleBook(
        [
            rule(
                "campaign-flights-required",
                quoted(FACTS, "Flights: required on campaign create (at least one)"),
                CAMPAIGN,
                checks.flights_required,
            ),
            rule(
                "campaign-flights-max-12-current",
                quoted(cg, "Campaigns can have a max of 12 current + future flights."),
                CAMPAIGN,
                checks.current_flights(now),
            ),
            rule(
                "campaign-flights-max-150-total",
                quoted(cg, "Campaigns can have a max of 150 total flights."),
                CAMPAIGN,
                checks.all_flights,
            ),
            assumed(
                "flight-end-after-start",
                "the guides give flight dates, not their order",
                CAMPAIGN,
                checks.each_flight(
                    lambda p: checks.end_after_start(f"{p}.startDateTime", f"{p}.endDateTime", "flight")
                ),
            ),
            assumed(
                "flight-budget-positive",
                "the guides give no range for budgetAmount",
                CAMPAIGN,
                checks.each_flight(
                    lambda p: checks.positive(
                        f"{p}.budgetAmount", "a flight's budgetAmount", "write the flight's budget"
                    )
                ),
            ),
            assumed(
                "flight-no-overlap",
                "the guides do not say whether flights may overlap",
                CAMPAIGN,
                checks.no_overlap,
            ),
            assumed(
                "target-kpi-positive",
                "the guides give no range for targetKpi",
                CAMPAIGN,
                checks.target_kpi_positive,
            ),
            assumed(
                "target-kpi-rate-percent",
                "the guide's example targetKpi 0.1 for CLICK_THROUGH_RATE suggests percent",
                CAMPAIGN,
                checks.target_kpi_rate,
            ),
            rule(
                "kpi-needs-tracked-products",
                quoted(
                    cg,
                    "if you have chosen a Kpi (e.g. RETURN_ON_AD_SPEND) that requires tracking products "
                    "sold on Amazon (ASINs), then you must associate products to the campaign.",
                ),
                CAMPAIGN,
                checks.tracked_products_needed,
            ),
            rule(
                "kpi-needs-conversion-definitions",
                quoted(
                    cg,
                    "if you have chosen a Kpi (e.g. COST_PER_ACTION) that requires tracking off-Amazon "
                    "conversions, then you must associate conversion definitions to the campaign.",
                ),
                CAMPAIGN,
                checks.conversion_definitions_needed,
            ),
            assumed(
                "tracked-product-once",
                "the guides do not say a product may not be listed twice",
                CAMPAIGN,
                checks.tracked_once,
            ),
            assumed(
                "frequency-cap-fields",
                "the guides only show UNCAPPED frequencies",
                BOTH,
                checks.capped_fields,
            ),
            assumed(
                "frequency-uncapped-alone",
                "the guides only show UNCAPPED frequencies",
                BOTH,
                checks.uncapped_alone,
            ),
            assumed(
                "frequency-uncapped-no-fields",
                "the guides only show UNCAPPED frequencies",
                BOTH,
                checks.uncapped_fields,
            ),
            assumed(
                "frequency-positive",
                "the guides give no range for frequency caps",
                BOTH,
                checks.frequency_positive,
            ),
            assumed(
                "budget-cap-positive",
                "the guides give no range for budget caps",
                CAMPAIGN,
                checks.budget_caps_positive,
            ),
            assumed(
                "budget-cap-once-per-period",
                "the guides do not describe budget caps",
                CAMPAIGN,
                checks.budget_cap_once,
            ),
            assumed("fee-not-negative", "the guides give no range for fees", BOTH, checks.fee_not_negative),
            assumed(
                "fee-percentage-max-100", "the guides give no range for fees", BOTH, checks.fee_percentage
            ),
            rule(
                "ad-group-inventory-deprecated",
                quoted(
                    cg,
                    "These inventory types are scheduled for deprecation on June 30, 2025: "
                    "STANDARD_DISPLAY, AMAZON_MOBILE_DISPLAY, AAP_MOBILE_APP, VIDEO. We recommend you do "
                    "not create new ad groups with these inventoryTypes.",
                ),
                AD_GROUP,
                checks.deprecated_inventory,
                severity=Severity.WARNING,
            ),
            assumed(
                "ad-group-dates-order",
                "the guides give ad group dates, not their order",
                AD_GROUP,
                checks.end_after_start("startDateTime", "endDateTime", "ad group"),
            ),
            rule(
                "ad-group-product-category-required",
                quoted(cg, "All ad groups must have at least one advertised product category."),
                AD_GROUP,
                checks.categories_required,
            ),
            assumed(
                "product-category-once",
                "the guides do not say a category may not be listed twice",
                AD_GROUP,
                checks.category_once,
            ),
            rule(
                "ad-group-budget-automated",
                quoted(
                    cg,
                    "Users are not allowed to edit budgetAmount when automateBudgetAllocation=true at both "
                    "the campaign and ad group levels.",
                ),
                AD_GROUP,
                checks.budget_automated,
            ),
            assumed(
                "ad-group-budget-positive",
                "the guides give no range for budgetAmount",
                AD_GROUP,
                checks.positive("budgetAmount", "budgetAmount", "write the ad group's budget"),
            ),
            assumed(
                "base-bid-positive",
                "the guides give no range for baseBid",
                AD_GROUP,
                checks.positive("bid.baseBid", "baseBid", "write the base bid"),
            ),
            rule(
                "target-negative-types",
                quoted(
                    FACTS,
                    "negative: true is allowed only for audience, location, domain, app, product category "
                    "and product targets.",
                ),
                TARGETS,
                target_checks.negative_types,
            ),
            assumed(
                "target-duplicate",
                "the guides do not say what adding a target twice does",
                TARGETS,
                target_checks.duplicate_targets,
            ),
            rule(
                "domain-not-on-aap-mobile-app",
                quoted(
                    cg,
                    "This does not apply to ad groups where inventoryType=AAP_MOBILE_APP because these "
                    "don't support domain targeting.",
                ),
                TARGETS,
                target_checks.for_type("domain", target_checks.domain_inventory),
            ),
            assumed(
                "domain-details-exactly-one",
                "the guide's example gives one of them; none says two are refused",
                TARGETS,
                target_checks.for_type("domain", target_checks.domain_details),
            ),
            assumed(
                "advertiser-domain-list-true",
                "the guide gives `boolean: true` only as the default",
                TARGETS,
                target_checks.for_type("domain", target_checks.advertiser_list_true),
            ),
            rule(
                "audience-max-500",
                quoted(cg, "Up to 500 audiences can be associated per ad group."),
                TARGETS,
                target_checks.for_type("audience", target_checks.audience_count),
            ),
            rule(
                "audience-group-id-1-11",
                quoted(cg, "Only numbers 1 through 11 (formatted as strings) are accepted"),
                TARGETS,
                target_checks.for_type("audience", target_checks.group_ids),
            ),
            rule(
                "audience-group-all-include-or-exclude",
                quoted(cg, "All audiences within the same group must either be included or excluded."),
                TARGETS,
                target_checks.for_type("audience", target_checks.mixed_groups),
            ),
            rule(
                "audience-max-10-inclusion-groups",
                quoted(cg, "You can specify up to 10 inclusion groups and 1 exclusion group."),
                TARGETS,
                target_checks.for_type("audience", target_checks.inclusion_groups),
            ),
            rule(
                "audience-max-1-exclusion-group",
                quoted(cg, "You can specify up to 10 inclusion groups and 1 exclusion group."),
                TARGETS,
                target_checks.for_type("audience", target_checks.exclusion_groups),
            ),
            assumed(
                "day-part-hour-range",
                "the guides name day parts, not their hours",
                TARGETS,
                target_checks.for_type("dayPart", target_checks.hours),
            ),
            assumed(
                "device-eligible",
                "the guide says 'All eligible devices', not which are eligible",
                TARGETS,
                target_checks.for_type("device", target_checks.connected_tv),
            ),
            rule(
                "inventory-source-required",
                quoted(cg, "All ad groups must target at least one deal or exchange."),
                TARGETS,
                target_checks.for_type("inventorySource", target_checks.inventory_source_required),
            ),
            rule(
                "streaming-tv-app-video-only",
                quoted(cg, "Streaming TV apps used for targeting on video ad groups."),
                TARGETS,
                target_checks.for_type("streamingTvApp", target_checks.video_only),
            ),
            assumed(
                "video-ad-format-video-only",
                "the guide says only that the default video ad formats apply to VIDEO ad groups",
                TARGETS,
                target_checks.for_type("videoAdFormat", target_checks.video_only),
            ),
            rule(
                "assoc-weight-range",
                quoted(ag, "Accepted value is [1, 999]"),
                ASSOCIATION,
                target_checks.weight_range,
            ),
            rule(
                "assoc-weight-not-random",
                quoted(ag, "If can't be set if rotationType in adGroup is random."),
                ASSOCIATION,
                target_checks.weight_on_random,
            ),
            rule(
                "assoc-start-after-ad-group-start",
                quoted(ag, "It needs to be later then adGroup's startDate"),
                ASSOCIATION,
                target_checks.within_ad_group("startDate", "startDateTime"),
            ),
            rule(
                "assoc-end-before-ad-group-end",
                quoted(ag, "It needs to be earlier then adGroup's endDate"),
                ASSOCIATION,
                target_checks.within_ad_group("endDate", "endDateTime"),
            ),
            rule(
                "assoc-start-before-end",
                quoted(ag, "earlier than endDate of association"),
                ASSOCIATION,
                checks.end_after_start("startDate", "endDate", "creative association"),
            ),
            rule(
                "assoc-duplicate",
                quoted(ag, "One association between given ad group and creative must exist."),
                ASSOCIATION,
                target_checks.creative_once,
            ),
        ]
    )


RULES = rules_at()


def validate(resources: Iterable[Resource], now: datetime | None = None) -> list[Diagnostic]:
    """Every offline rule on every Amazon DSP resource; `now` (default: the current time) tells which
    flights are current or future."""
    return (RULES if now is None else rules_at(now)).validate(list(resources))
