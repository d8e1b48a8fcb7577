"""Criteo ad set rules: identity, schedule, bidding (and starting an ad set), targeting."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from reconciler.model import Severity
from reconciler.providers.criteo.mapping import BID_DECIMALS, round_bid
from reconciler.providers.criteo.rules.cite import AD_SET, RuleSet, given, guide, lower, spec
from reconciler.providers.kit.rules import (
    ABSENT,
    Checker,
    each_matching,
    matching,
    not_blank,
    number,
    positive,
)

RULES = RuleSet()

# -- ad set: identity ---------------------------------------------------------------------------------


RULES.rule("ad-set-name-not-empty", AD_SET, guide("An Ad Set cannot have an empty name."))(
    not_blank("name", "a Criteo ad set cannot have an empty name", "write a non-empty `name`")
)

_INTEGER_ID = "^[0-9]+$"

RULES.rule(
    "dataset-id-integer",
    AD_SET,
    assumption="CreateAdSetV26Q1.datasetId is a string; Criteo's ids are "
    "string-encoded integers elsewhere (advertiserId, campaign ids)",
)(
    matching(
        "datasetId",
        _INTEGER_ID,
        "datasetId {value!r} is not a string-encoded integer like Criteo's other ids",
        'check the dataset id, e.g. `datasetId: "56789"`',
    )
)
RULES.rule(
    "audience-id-integer",
    AD_SET,
    assumption="AdSetAudienceLinkInputEntityV1.audienceId is a string; "
    "the guide's audience ids are string-encoded integers",
)(
    matching(
        "audience",
        _INTEGER_ID,
        "audience {value!r} is not an audience id (a string-encoded integer)",
        'write the id of an existing audience, e.g. `audience: "9876"` (not an audience segment)',
    )
)


@RULES.rule(
    "tracking-code-not-empty",
    AD_SET,
    assumption="the guide says 'Required. Click URL parameters.' but not that an empty text is refused",
)
def _tracking_code_empty(c: Checker) -> None:
    code = c.get("trackingCode")
    if isinstance(code, str) and not code.strip():
        c.report(
            "trackingCode",
            "trackingCode is empty: it holds the click URL parameters of the ad set",
            "write query-string parameters, e.g. `utm_source=criteo&utm_medium=display`",
        )


@RULES.rule("tracking-code-without-question-mark", AD_SET, guide('Query string syntax without "?"'))
def _tracking_code_syntax(c: Checker) -> None:
    code = c.get("trackingCode")
    if isinstance(code, str) and code.startswith("?"):
        c.report(
            "trackingCode",
            "trackingCode is query-string syntax without the leading `?`",
            f"write `{code.lstrip('?')}`",
        )


@RULES.rule("video-views-needs-video", AD_SET, guide("videoViews (only when mediaType is set to Video)"))
def _video_views(c: Checker) -> None:
    media = lower(c.get("mediaType"))
    if lower(c.get("objective")) == "videoviews" and media is not ABSENT and media != "video":
        c.report(
            "objective",
            f"objective videoViews is only allowed when mediaType is video (mediaType is {media})",
            "set `mediaType: video`, or choose another objective",
        )


@RULES.rule(
    "schedule-start-before-end",
    AD_SET,
    guide("It must always be earlier than the schedule.endDate."),
    guide("The start date must be before the end date."),
)
def _schedule(c: Checker) -> None:
    start, end = c.get("schedule.startDate"), c.get("schedule.endDate")
    # Date-times are canonical `YYYY-MM-DDTHH:MM:SSZ` UTC strings: they compare as text. "Earlier": strict.
    if isinstance(start, str) and isinstance(end, str) and not start < end:
        c.report(
            "schedule.endDate",
            f"the start date must be before the end date (startDate {start}, endDate {end})",
            "move endDate after startDate, or set `endDate: null` for no end",
        )


# -- ad set: bidding ----------------------------------------------------------------------------------


def _decimal_places(value: float | int) -> int:
    """How many decimal digits a number is written with (`0.12345` → 5)."""
    if isinstance(value, int):
        return 0
    try:
        exponent = Decimal(repr(value)).normalize().as_tuple().exponent
    except InvalidOperation:
        return 0
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


ADAPTIVE_COST_CONTROLLERS = frozenset({"dailybudget"})
"""Cost controllers with no target value: the spec's only example without a bidAmount uses dailyBudget
(CreateAdSetV26Q1.example); which controllers the guide calls "adaptative" is not listed."""


@RULES.rule(
    "bid-amount-not-negative",
    AD_SET,
    guide(
        "The bid amount value is invalid: either it's an adaptative "
        "cost controller and it must be null, or it's not the valid interval of values."
    ),
    guide('"bidAmount": { "value": -2 }'),
)
def _bid_negative(c: Checker) -> None:
    amount = c.get("bidding.bidAmount")
    if number(amount) and amount < 0:
        c.report(
            "bidding.bidAmount",
            f"the bid amount cannot be negative (got {amount}): Criteo answers invalid-bid-amount",
            "set a bid amount of 0 or more",
        )


@RULES.rule(
    "bid-amount-four-decimals",
    AD_SET,
    spec(
        "CreateAdSetBiddingV26Q1/properties/bidAmount",
        "At most 4 decimals are supported. Additional decimals are rounded.",
    ),
    guide(
        "The bid amount value supports a maximum of 4 decimal digits. If more digits are provided, the "
        "amount will be rounded."
    ),
    severity=Severity.WARNING,
)
def _bid_decimals(c: Checker) -> None:
    amount = c.get("bidding.bidAmount")
    if number(amount) and amount >= 0 and _decimal_places(amount) > BID_DECIMALS:
        c.report(
            "bidding.bidAmount",
            f"the bid amount {amount} has more than {BID_DECIMALS} decimal digits and will be rounded "
            f"to {round_bid(amount)}",
            f"write at most {BID_DECIMALS} decimal digits",
        )


@RULES.rule(
    "bid-amount-null-for-adaptive",
    AD_SET,
    assumption="the guide says an adaptive cost controller's bid "
    "'must be null' but does not list the adaptive controllers; dailyBudget is taken as one",
)
def _bid_adaptive(c: Checker) -> None:
    controller, amount = c.get("bidding.costController"), c.get("bidding.bidAmount")
    if lower(controller) in ADAPTIVE_COST_CONTROLLERS and given(amount):
        c.report(
            "bidding.bidAmount",
            f"costController {controller} is an adaptive cost controller: its bid amount must be null "
            f"(got {amount})",
            "remove `bidAmount` (or set it to null), or choose a cost controller that takes a target value",
        )


@RULES.rule(
    "start-needs-cost-controller-amount",
    AD_SET,
    guide(
        "You didn't specify any cost controller (bid or "
        "target KPI) amount for this Ad Set. Add a value for your bid or your target."
    ),
)
def _start_amount(c: Checker) -> None:
    controller = c.get("bidding.costController")
    if not isinstance(controller, str) or lower(controller) in ADAPTIVE_COST_CONTROLLERS:
        return
    if given(c.get("bidding.bidAmount")):
        return
    if lower(c.get("activation")) == "on":
        c.report(
            "bidding.bidAmount",
            f"costController {controller} has no bid amount and the ad set has `activation: on`: Criteo "
            "refuses to start an ad set without a cost controller (bid or target KPI) amount",
            "set `bidding.bidAmount`, or write `activation: off` until you set it",
        )
    else:
        c.report(
            "bidding.bidAmount",
            f"costController {controller} has no bid amount: Criteo will refuse to start this ad set until "
            "it has a cost controller (bid or target KPI) amount",
            "set `bidding.bidAmount` before `activation: on`",
            Severity.WARNING,
        )


# -- ad set: targeting --------------------------------------------------------------------------------


@RULES.rule("frequency-not-advanced", AD_SET, guide("It is not possible to set the value to advanced."))
def _frequency(c: Checker) -> None:
    if lower(c.get("targeting.frequencyCapping.frequency")) == "advanced":
        c.report(
            "targeting.frequencyCapping.frequency",
            "frequency `advanced` is reserved for custom set-ups configured by Criteo and cannot be set",
            "use hourly, daily or lifetime",
        )


RULES.rule(
    "maximum-impressions-positive",
    AD_SET,
    assumption="the spec gives maximumImpressions as a nullable "
    "int32 with no bound; a cap of 0 or fewer impressions would stop delivery",
)(
    positive(
        "targeting.frequencyCapping.maximumImpressions",
        "maximumImpressions is {value}: the ad set could show no impression",
        "set the maximum number of impressions per period, e.g. 3",
    )
)


GEO_RULES = ("countries", "subdivisions", "zipCodes")


def _geo(c: Checker) -> list[tuple[str, list[Any]]]:
    """The active geolocation filters with their values: (dotted path of the values, values)."""
    found = []
    for name in GEO_RULES:
        values = c.get(f"targeting.geoLocation.{name}.values")
        if isinstance(values, list):
            found.append((f"targeting.geoLocation.{name}.values", values))
    return found


@RULES.rule(
    "geolocation-values-not-empty",
    AD_SET,
    guide("Geolocation settings do not support an empty array for their values."),
    guide("Otherwise, the filter is active and must have a non-empty list for values."),
)
def _geo_values(c: Checker) -> None:
    for path, values in _geo(c):
        if not values:
            name = path.split(".")[2]
            c.report(
                path,
                f"an active {name} filter needs a non-empty list of values (Criteo refuses an empty list)",
                f"list at least one value, or set `{name}: null` to switch the filter off",
            )


RULES.rule("country-codes-iso-3166", AD_SET, guide("two letter country codes, ISO-3166 format"))(
    each_matching(
        "targeting.geoLocation.countries.values",
        "^[A-Z]{2}$",
        "country codes are two letters, ISO-3166 alpha-2 (not {wrong})",
        "write codes such as FR, DE, US",
    )
)
RULES.rule(
    "subdivision-codes-iso-3166", AD_SET, guide("geographical subdivisions following ISO-3166 format")
)(
    each_matching(
        "targeting.geoLocation.subdivisions.values",
        "^[A-Z]{2}-[A-Z0-9]{1,3}$",
        "subdivisions are ISO-3166-2 codes (not {wrong})",
        "write codes such as FR-75 or US-CA",
    )
)
