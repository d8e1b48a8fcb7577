"""Every code the Criteo emulator answers with, and where the rule behind it comes from.

`RULES[code] = Rule(source, message)`: `source` is the vendor document and a short quote, or the path of
the official specification (`criteo-marketingsolutions-2027-01.openapi.json`) that states the rule;
`message` says what the rule is. A problem with a code missing here cannot be built (see
`problems.Problem`), so this table lists every refusal the emulator can answer with. `WARNINGS` lists the
codes of warnings (the request is carried out).

Documents: GUIDE is `criteo-ad-sets.txt`, SPEC the 2027-01 OpenAPI specification (`#/components/schemas/...`
paths), FACTS the Criteo section of `FACTS.md`.
"""

from __future__ import annotations

from typing import NamedTuple

CREATE = "campaign--ad-set-create-check--"
UPDATE = "campaign--ad-set-update-check--"
START = "campaign--ad-set-start-check--"
CAMPAIGN_CREATE = "campaign--campaign-create-check--"
CAMPAIGN_UPDATE = "campaign--campaign-update-check--"

SCHEMAS = "SPEC #/components/schemas/"


class Rule(NamedTuple):
    source: str
    message: str


def _both(name: str, rule: Rule) -> dict[str, Rule]:
    """A rule Criteo checks on create and on update (the same source, two codes)."""
    return {CREATE + name: rule, UPDATE + name: rule}


RULES: dict[str, Rule] = {
    # -- requests as a whole -------------------------------------------------------------------------
    "invalid-json": Rule(
        "SPEC paths.*.requestBody.content: application/json",
        "The body is not valid JSON.",
    ),
    "invalid-body": Rule(
        "SPEC paths.*.requestBody (the operation's request schema: a JSON object; `data` a list in batch "
        "writes)",
        "The body does not have the shape of the operation's request model.",
    ),
    "route-not-found": Rule(
        "SPEC paths (the operations of API 2027-01)",
        "The method and path are not an operation of the API (or not one the sandbox serves).",
    ),
    "invalid-search": Rule(
        SCHEMAS + "AdSetSearchRequestV26Q1, CampaignSearchRequestV23Q1, AudienceSearchInputV1 (filters are "
        "lists of string ids; meta.fields from the AdSetSearchRequestMetadataV26Q1 enum)",
        "A search filter or projection does not have the type the model gives it.",
    ),
    "invalid-query-parameter": Rule(
        "SPEC paths./2027-01/marketing-solutions/audiences/search.post.parameters: limit 'The default is 50 "
        "and the maximum is 100' (minimum 0, int32); offset 'The (zero-based) offset into the collection'",
        "limit is outside 0..100, or offset is not a zero-based int32.",
    ),
    # -- authentication and throttling ---------------------------------------------------------------
    "unsupported-grant-type": Rule(
        "FACTS: 'Auth: POST /oauth2/token, form-encoded grant_type=client_credentials&client_id=..&"
        "client_secret=..'",
        "Only the client_credentials grant is supported.",
    ),
    "invalid-client-credentials": Rule(
        "FACTS: 'grant_type=client_credentials&client_id=..&client_secret=..'",
        "The token request needs a client_id and a client_secret.",
    ),
    "authorization-token-missing": Rule(
        "FACTS: 'A 401 means fetch a new token.' (every call carries the bearer token)",
        "The call has no Authorization: Bearer header.",
    ),
    "authorization-token-invalid": Rule(
        "FACTS: 'A 401 means fetch a new token.'",
        "The bearer token is not one the token endpoint issued.",
    ),
    "authorization-token-expired": Rule(
        'FACTS: \'{"access_token", "token_type": "Bearer", "expires_in": 900, ...}. A 401 means '
        "fetch a new token.'",
        "The bearer token is older than its expires_in.",
    ),
    "too-many-requests": Rule(
        "FACTS: 'Rate limit: 250 calls per minute per application (client credentials). Over it: HTTP 429 "
        "with headers x-ratelimit-limit, x-ratelimit-remaining, x-ratelimit-reset (Unix timestamp).'",
        "The application made more calls this minute than the rate limit allows.",
    ),
    # -- ids that must exist -------------------------------------------------------------------------
    "ad-set-not-found": Rule(
        "SPEC paths./2027-01/marketing-solutions/ad-sets/{ad-set-id} and WriteModelPatchAdSetV26Q1.id, "
        "WriteModelAdSetId.id ('Id of the entity'): the id of an ad set of the portfolio",
        "There is no ad set with this id in the portfolio.",
    ),
    "campaign-not-found": Rule(
        "GUIDE: 'Id of the marketing campaign associated to the ad set. See Search for Campaigns'; SPEC "
        "paths./2027-01/marketing-solutions/campaigns/{campaign-id}",
        "There is no campaign with this id in the portfolio.",
    ),
    "advertiser-not-found": Rule(
        SCHEMAS + "CreateCampaign.advertiserId: 'Advertiser ID this campaign belongs to'",
        "There is no advertiser with this id in the portfolio.",
    ),
    "audience-not-found": Rule(
        "GUIDE (Update AdSet Audience): 'Both need to exist beforehand.' and its example error "
        '\'"code": "audience-not-found"\'',
        "The audience does not exist for the ad set's advertiser.",
    ),
    "invalid-audience-link": Rule(
        SCHEMAS + "AdSetAudienceLinkInputEntityV1 (data.attributes.audienceId: a string or null)",
        "The audience link does not have the shape of its model.",
    ),
    # -- ad set create -------------------------------------------------------------------------------
    CREATE + "invalid-configuration": Rule(
        SCHEMAS + "CreateAdSetV26Q1.required [bidding, campaignId, datasetId, mediaType, name, objective, "
        "schedule, targeting, trackingCode] and the property types; GUIDE: 'The following attributes are "
        "required to create a new Ad Set: name, campaignId, objective, datasetId, targeting, budget, "
        "schedule, bidding', 'Required. Click URL parameters.' (trackingCode), 'An Ad Set cannot have an "
        "empty name.'",
        "The Ad Set has invalid configuration or is missing required information.",
    ),
    CREATE + "invalid-dataset": Rule(
        "GUIDE: 'The data set ID is invalid or not associated to your account.'",
        "The dataset is not one of the campaign's advertiser.",
    ),
    CREATE + "invalid-media-type-configuration": Rule(
        "GUIDE: 'videoViews (only when mediaType is set to Video)'",
        "The objective videoViews needs mediaType video.",
    ),
    **_both(
        "start-date-after-end-date",
        Rule(
            "GUIDE: 'It must always be earlier than the schedule.endDate.' / 'The start date must be before "
            "the end date.'",
            "The start date must be before the end date.",
        ),
    ),
    **_both(
        "invalid-bid-amount",
        Rule(
            "GUIDE: 'The bid amount value is invalid: either it's an adaptative cost controller and it must "
            "be null, or it's not the valid interval of values.' (its example refuses bidAmount -2)",
            "The bid amount is negative.",
        ),
    ),
    **_both(
        "invalid-frequency-capping",
        Rule(
            "GUIDE: 'It is not possible to set the value to advanced.'; "
            + SCHEMAS
            + "AdSetFrequencyCappingV26Q1.maximumImpressions (integer, format int32)",
            "frequency cannot be set to advanced; maximumImpressions is an int32.",
        ),
    ),
    **_both(
        "invalid-geolocation",
        Rule(
            "GUIDE: 'Geolocation settings do not support an empty array for their values. If a geolocation "
            "setting like geoLocation.countries is null, then the filter is inactive. Otherwise, the filter "
            "is active and must have a non-empty list for values.' and 'an operand which can be in or notIn'",
            "A geolocation rule that is not null needs the operand in or notIn and non-empty values.",
        ),
    ),
    **_both(
        "invalid-delivery-limitations",
        Rule(
            SCHEMAS + "AdSetDeliveryLimitationsV26Q1 (devices, operatingSystems, environments: lists of "
            "their enums)",
            "A delivery limitation is not one of its model's values.",
        ),
    ),
    **_both(
        "invalid-attribution-configuration",
        Rule(
            SCHEMAS + "CreateAdSetAttributionConfigurationV26Q1 / PatchAdSetAttributionConfigurationV26Q1 "
            "(attributionMethod and lookbackWindow enums)",
            "An attribution method or lookback window is not one of its model's values.",
        ),
    ),
    **_both(
        "invalid-budget",
        Rule(
            SCHEMAS + 'CreateAdSetBudgetV26Q1: \'For "capped": budgetAmount (required, non-null), '
            'budgetRenewal (required, not "undefined"), and budgetDeliverySmoothing (required) must all be '
            'provided. pacingBehavior is optional; "targetAverageDailyBudget" is only supported for '
            'capped, standard, monthly budgets. For "uncapped": budgetAmount must be null, budgetRenewal '
            'must be "undefined", budgetDeliverySmoothing, budgetDeliveryWeek, and pacingBehavior must be '
            'omitted or "undefined". For marketing campaigns with budget automation enabled, omit this '
            "object.'; PatchAdSetBudgetV26Q1: 'budgetAmount.value to a positive number', 'pacingBehavior can "
            "only be set for capped budgets using standard delivery smoothing', 'Manual budget updates are "
            "not supported when the linked marketing campaign has budget automation enabled.'",
            "The budget is not consistent with its strategy, or the campaign automates budgets.",
        ),
    ),
    # -- ad set update, start ------------------------------------------------------------------------
    UPDATE + "invalid-configuration": Rule(
        SCHEMAS + "WriteModelPatchAdSetV26Q1 (an item names the ad set by id) and the PatchAdSetV26Q1 "
        "property types",
        "The update item has no ad set id, or a field of the wrong type.",
    ),
    UPDATE + "empty-name": Rule("GUIDE: 'An Ad Set cannot have an empty name.'", "The name cannot be empty."),
    UPDATE + "empty-start-date": Rule(
        "GUIDE: 'It's impossible to set an empty start date (though some old Ad Sets could have a null "
        "start date).'",
        "The start date cannot be cleared.",
    ),
    UPDATE + "too-many-ad-sets": Rule(
        "GUIDE: 'There are too many ad sets to be updated. A maximum of 50 ad sets can be updated per "
        "single request'",
        "At most 50 ad sets per PATCH.",
    ),
    START + "archived": Rule(
        "GUIDE: 'This Ad Set is archived and thus can't be started.'",
        "An archived ad set cannot be started.",
    ),
    # -- campaigns -----------------------------------------------------------------------------------
    CAMPAIGN_CREATE + "invalid-configuration": Rule(
        SCHEMAS + "CreateCampaign.required [advertiserId, goal, name, spendLimit] and the property types "
        "(goal: Unspecified, Acquisition, Retention)",
        "The campaign is missing a required field or has a field of the wrong type.",
    ),
    CAMPAIGN_UPDATE + "invalid-configuration": Rule(
        SCHEMAS + "PatchCampaign: 'The campaign identifier is provided in the resource {id} field "
        "(string-encoded integer) and is required.'",
        "The update item has no campaign id, or a field of the wrong type.",
    ),
    **{
        prefix + "invalid-spend-limit": Rule(
            SCHEMAS + "CreateCampaignSpendLimit / PatchCampaignSpendLimit: 'When spendLimitType is "
            '"capped": spendLimitAmount and spendLimitRenewal are required. When spendLimitType is '
            '"uncapped": spendLimitAmount is null and spendLimitRenewal is "undefined".\'',
            "The spend limit is not consistent with its type.",
        )
        for prefix in (CAMPAIGN_CREATE, CAMPAIGN_UPDATE)
    },
    **{
        prefix + "invalid-budget-automation": Rule(
            SCHEMAS + "BudgetAutomation.enabled: 'true: budget automation is enabled and "
            '"budgetConfiguration" must be provided with a valid objective.\'',
            "Budget automation needs a budgetConfiguration with adSetObjectives when enabled.",
        )
        for prefix in (CAMPAIGN_CREATE, CAMPAIGN_UPDATE)
    },
}
"""Every refusal code of the emulator → where its rule comes from and what it says."""

WARNINGS: dict[str, Rule] = {
    "unknown-field": Rule(
        "SPEC (fields outside a model are not part of it): Criteo ignores them; the sandbox says so in "
        "`warnings`",
        "A field that is not part of the model was ignored.",
    ),
}
"""Codes of warnings: the request is carried out and the warning says what was ignored."""
