"""Every error code the Amazon DSP emulator answers with, and where the rules behind it come from.

`RULES[code] = Rule(source, message)`. A code serves one or more rules of docs/amazon-dsp-rules.md (its
rule ids are named in `source`); an `ApiError`, `ItemError` or Login with Amazon error with a code missing
here cannot be built (errors.py, auth.py). Documents: CAMPAIGN GUIDE `amazon-dsp-campaign-management.md`,
ASSOCIATION GUIDE `amazon-dsp-creative-associations.md`, FACTS the Amazon DSP section of `FACTS.md`,
CONVERSIONS REFERENCE the Conversions API reference the campaign guide links for step 5
(dsp-conversion-builder). Nothing stricter than the vendor: a rule no sentence of these documents states
is not refused (docs/amazon-dsp-rules.md lists those rows as "not refused").
"""

from __future__ import annotations

from typing import NamedTuple


class Rule(NamedTuple):
    source: str
    message: str


CG, AG = "CAMPAIGN GUIDE: ", "ASSOCIATION GUIDE: "

RULES: dict[str, Rule] = {
    # -- requests, auth, throttling ------------------------------------------------------------------
    "invalid_request": Rule(
        "FACTS: 'Auth is Login with Amazon: POST https://api.amazon.com/auth/o2/token, form "
        "grant_type=refresh_token&refresh_token=..&client_id=..&client_secret=..'",
        "The token request misses grant_type or refresh_token.",
    ),
    "unsupported_grant_type": Rule(
        "FACTS: 'form grant_type=refresh_token'", "Only refresh_token is granted."
    ),
    "invalid_client": Rule("FACTS: 'client_id=..&client_secret=..'", "The client id or secret is missing."),
    "UNAUTHORIZED": Rule(
        "FACTS: 'Every request carries Authorization: Bearer ..., Amazon-Advertising-API-ClientId'",
        "The bearer token is missing, unknown or expired, or another client's.",
    ),
    "MISSING_HEADER": Rule(
        "FACTS: 'Every request carries ... Amazon-Advertising-API-ClientId, and Amazon-Ads-AccountId (the "
        "DSP "
        "advertiser). A missing header is a 401/400 with a message naming it.'",
        "A required header is missing.",
    ),
    "FORBIDDEN": Rule(
        "FACTS: 'Amazon-Ads-AccountId (the DSP advertiser)'", "The account is not one of the client's."
    ),
    "THROTTLED": Rule(
        "FACTS: 'Throttling: HTTP 429 with a Retry-After header in seconds; limits are dynamic and "
        "unpublished.'",
        "Too many calls; retry after Retry-After seconds.",
    ),
    "INVALID_JSON": Rule(
        "FACTS: the endpoints take JSON bodies ('POST .../list with filters in the body')",
        "The body is not JSON.",
    ),
    "INVALID_ARGUMENT": Rule(
        CG + 'the discovery example\'s filters \'[{"field", "value", "include"}]\'; CONVERSIONS REFERENCE '
        'filters \'[{"field": "CONVERSION_DEFINITION_ID", "values"}]\'',
        "A body or filter does not have the endpoint's shape.",
    ),
    "NOT_FOUND": Rule(
        "FACTS: the endpoints it lists (and the guides')", "The method and path are not an operation."
    ),
    "MISSING_REQUIRED_FIELD": Rule(
        CG + "'only the kpi field is required on create'; FACTS: 'Flights: required on campaign create'; the "
        "guides' request tables (rule ids campaign-kpi-required, eligible-ad-group-filter-required, ...)",
        "A required field is missing.",
    ),
    "INVALID_FIELD_VALUE": Rule(
        "the guides' field types (a number, a string, a date-time, an integer where their examples give "
        "one); no range the guides do not state (day part hours, catchUpBoostPercentage, budgets)",
        "A field is not of its type.",
    ),
    "INVALID_ENUM_VALUE": Rule(
        "the guides' enum values (rule ids enum-values, tracked-product-association)",
        "A value is not one of the field's enum values.",
    ),
    "UNKNOWN_FIELD": Rule(
        "the guides' request models (rule id unknown-field)", "A field is not part of the object."
    ),
    "READ_ONLY_FIELD": Rule(
        CG
        + "'The value for goal is automatically inferred from the kpi value'; FACTS: 'automateBidAllocation "
        "is read-only'; audience operators (rule ids campaign-goal-read-only, "
        "automate-bid-allocation-read-only, "
        "audience-operators-read-only)",
        "A read-only field cannot be written.",
    ),
    "IMMUTABLE_FIELD": Rule(
        CG + "'Amazon DSP API Object Hierarchy' (campaigns hold ad groups; step 2 creates an ad group in its "
        "campaignId): an ad group's campaignId. inventoryType may change: no sentence says it cannot",
        "An ad group stays in its campaign.",
    ),
    "BATCH_SIZE_EXCEEDED": Rule(
        "FACTS: 'Batch limits per request: campaigns 5, ad groups 20, targets 1000, creative associations "
        "20.'; "
        "CONVERSIONS REFERENCE: conversionDefinitionAssociations 'Array ([ 1 .. 100 ] items)'",
        "Too many items in one request.",
    ),
    "INVALID_MAX_RESULTS": Rule(
        "FACTS: 'they return at most 100 items a page with nextToken/maxResults'", "maxResults is 1 to 100."
    ),
    "INVALID_NEXT_TOKEN": Rule("FACTS: 'nextToken/maxResults'", "nextToken is not one the API returned."),
    "TOO_MANY_FILTER_VALUES": Rule(
        AG + "each list filter supports up to 20 items (rule id assoc-filter-max-20)",
        "Too many values in a filter.",
    ),
    # -- campaigns, flights, products, conversions ---------------------------------------------------
    "CAMPAIGN_NOT_FOUND": Rule(
        "rule id ad-group-campaign-exists (the campaign exists in the account)",
        "The campaign does not exist.",
    ),
    "ADVERTISER_MISMATCH": Rule(
        "FACTS: 'Amazon-Ads-AccountId (the DSP advertiser)'; CONVERSIONS REFERENCE: accountId 'This is your "
        "DSP "
        "Advertiser ID'",
        "The advertiser named is not the account of the call.",
    ),
    "AMAZON_DEAL_NOT_SUPPORTED": Rule(
        "FACTS: 'Campaigns on Amazon Guaranteed deals are read-only (AMAZON_DEAL_NOT_SUPPORTED).'",
        "The campaign is read-only.",
    ),
    "STATE_NOT_ALLOWED_ON_CREATE": Rule(
        CG + "'Note that activation cannot be done during campaign or ad group creation. These can only be "
        "activated with the PATCH operation.'",
        "Objects are created INACTIVE.",
    ),
    "FLIGHTS_REQUIRED": Rule(
        "FACTS: 'Flights: required on campaign create (at least one)' (a create only: the last flight of a "
        "campaign may be deleted)",
        "A campaign create needs a flight.",
    ),
    "TOO_MANY_FLIGHTS": Rule(
        CG + "'Campaigns can have a max of 12 current + future flights.'",
        "At most 12 current and future flights.",
    ),
    "TOO_MANY_TOTAL_FLIGHTS": Rule(
        CG + "'Campaigns can have a max of 150 total flights.'", "At most 150 flights."
    ),
    "FLIGHT_ALREADY_STARTED": Rule(
        CG + "'Flights with a start date in the past cannot be deleted.'",
        "A started flight cannot be deleted.",
    ),
    "FLIGHT_NOT_FOUND": Rule(
        CG + "'To update existing flights, include all fields including flightId.'",
        "The flight does not exist.",
    ),
    "TRACKED_PRODUCTS_REQUIRED": Rule(
        CG + "'if you have chosen a Kpi (e.g. RETURN_ON_AD_SPEND) that requires tracking products sold on "
        "Amazon "
        "(ASINs), then you must associate products to the campaign.'",
        "A campaign with a ROAS KPI tracks products before it is activated.",
    ),
    "PRODUCT_NOT_FOUND": Rule(
        "FACTS: 'conversion products GET|POST ..., POST .../products/delete'", "The product is not tracked."
    ),
    "CONVERSION_DEFINITIONS_REQUIRED": Rule(
        CG
        + "'if you have chosen a Kpi (e.g. COST_PER_ACTION) that requires tracking off-Amazon conversions, "
        "then "
        "you must associate conversion definitions to the campaign.'",
        "A COST_PER_ACTION campaign has conversion definitions before it is activated.",
    ),
    "CONVERSION_DEFINITION_NOT_FOUND": Rule(
        "CONVERSIONS REFERENCE: conversionDefinitionId 'The id of the ConversionDefinition'",
        "The conversion definition does not exist in the account.",
    ),
    "CONVERSION_DEFINITION_NOT_ASSOCIATED": Rule(
        "CONVERSIONS REFERENCE: operation 'ADD' | 'REMOVE'", "REMOVE of a definition the order does not have."
    ),
    # -- ad groups ----------------------------------------------------------------------------------
    "AD_GROUP_NOT_FOUND": Rule(AG + "'Ad group must exist.'", "The ad group does not exist."),
    "INVENTORY_TYPE_NOT_SUPPORTED": Rule(
        "FACTS: 'Audio, Podcast and DOOH ad groups are not supported by the API.'",
        "The inventory type is not supported.",
    ),
    "INVENTORY_TYPE_DEPRECATED": Rule(
        CG + "'These inventory types are scheduled for deprecation on June 30, 2025: STANDARD_DISPLAY, "
        "AMAZON_MOBILE_DISPLAY, AAP_MOBILE_APP, VIDEO.'",
        "No new ad groups of a deprecated inventory type.",
    ),
    "ADVERTISED_PRODUCT_CATEGORY_REQUIRED": Rule(
        CG + "'All ad groups must have at least one advertised product category.'",
        "An ad group needs a product category.",
    ),
    "ADVERTISED_PRODUCT_CATEGORY_NOT_FOUND": Rule(
        CG + "'can be retrieved from the advertised product categories discovery API'",
        "The category is not one of the discovery API's.",
    ),
    "INVALID_DATE_RANGE": Rule(
        AG + "association endDate 'later than startDate of association' (rule id assoc-start-before-end; the "
        "guides give ad group and flight dates no order, so those are not refused)",
        "An association ends after it starts.",
    ),
    "BUDGET_AMOUNT_NOT_EDITABLE": Rule(
        CG + "'Users are not allowed to edit budgetAmount when automateBudgetAllocation=true at both the "
        "campaign and ad group levels.'",
        "budgetAmount is set by the optimization.",
    ),
    # -- targets ------------------------------------------------------------------------------------
    "INVALID_TARGET_STATE": Rule(
        "FACTS: 'Targets: state can only be ENABLED'", "A target's state is ENABLED."
    ),
    "NEGATIVE_TARGETING_NOT_SUPPORTED": Rule(
        "FACTS: 'negative: true is allowed only for audience, location, domain, app, product category and "
        "product targets.'",
        "The target type cannot be negative.",
    ),
    "INVALID_TARGET_DETAILS": Rule(
        "rule id target-details-shape: " + CG + "step 3's examples (targetDetails holds one details object "
        "with its targetType; domainTargetDetails names a domainName, a domainList or the advertiser domain "
        "list). Not refused: two of them, or advertiserDomainList false (no sentence states either)",
        "targetDetails holds one details object of its type with its fields.",
    ),
    "TARGET_TYPE_BATCH_FAILED": Rule(
        "FACTS: 'Writes are atomic within one target type on one ad group (one bad domain target fails all "
        "domain targets of that ad group in the request)'",
        "Another target of the same type and ad group failed.",
    ),
    "TARGET_NOT_FOUND": Rule(
        CG + "'POST /dsp/v1/targets/deleteByObject' (removes existing targets)", "The target does not exist."
    ),
    "AUDIENCE_LIMIT_EXCEEDED": Rule(
        CG + "audience section: up to 500 audiences per ad group (rule id audience-max-500)",
        "At most 500 audiences.",
    ),
    "TOO_MANY_INCLUSION_GROUPS": Rule(
        CG + "audience section: up to 10 inclusion groups (rule id audience-max-10-inclusion-groups)",
        "At most 10 inclusion groups.",
    ),
    "TOO_MANY_EXCLUSION_GROUPS": Rule(
        CG + "audience section: up to 1 exclusion group (rule id audience-max-1-exclusion-group)",
        "At most 1 exclusion group.",
    ),
    "MIXED_AUDIENCE_GROUP": Rule(
        CG + "'All audiences within the same group must either be included or excluded.'",
        "A group is all included or all excluded.",
    ),
    "INVALID_GROUP_ID": Rule(
        CG
        + "'To add audiences to a group, you must specify a groupId. Only numbers 1 through 11 (formatted as "
        "strings) are accepted'",
        'groupId is "1" to "11".',
    ),
    "AUDIENCE_NOT_FOUND": Rule(
        CG + "audience ids come from the audiences discovery API", "The audience does not exist."
    ),
    "GEO_LOCATION_NOT_FOUND": Rule(
        CG + "'To retrieve the geoLocation ID, you will use the geoLocations discovery endpoint'",
        "The location does not exist.",
    ),
    "TARGET_TYPE_NOT_SUPPORTED": Rule(
        CG + "'This does not apply to ad groups where inventoryType=AAP_MOBILE_APP because these don't "
        "support domain targeting.'; 'Streaming TV apps used for targeting on video ad groups.' (rule ids "
        "domain-not-on-aap-mobile-app, streaming-tv-app-video-only; video ad formats on other ad groups are "
        "not refused: the guide says only where their defaults apply)",
        "The target type is not supported by the ad group's inventory type.",
    ),
    "INVENTORY_SOURCE_NOT_ELIGIBLE": Rule(
        CG
        + "'the Inventory - Exchanges endpoint provides a list of inventory exchange Ids that are eligible'",
        "The exchange is not eligible for the inventory type.",
    ),
    "INVENTORY_SOURCE_REQUIRED": Rule(
        CG + "'All ad groups must target at least one deal or exchange.'",
        "The last deal or exchange cannot be removed.",
    ),
    # -- creative associations ----------------------------------------------------------------------
    "AD_CREATIVE_NOT_FOUND": Rule(AG + "'Ad creative must exist.'", "The creative does not exist."),
    "INVALID_WEIGHT": Rule(AG + "weight 'Accepted value is [1, 999]'", "weight is 1 to 999."),
    "WEIGHT_NOT_ALLOWED": Rule(
        AG + "weight 'can't be set if rotationType in adGroup is random'", "No weight on a RANDOM ad group."
    ),
    "INVALID_STATE": Rule(
        AG + "association state ACTIVE or INACTIVE (rule id assoc-state-values)",
        "state is ACTIVE or INACTIVE.",
    ),
    "INVALID_START_DATE": Rule(
        AG + "startDate 'It needs to be later then adGroup's startDate'",
        "An association starts after its ad group.",
    ),
    "INVALID_END_DATE": Rule(
        AG + "endDate 'It needs to be earlier then adGroup's endDate'",
        "An association ends before its ad group.",
    ),
    "INCOMPATIBLE_CREATIVE_TYPE": Rule(
        AG + "the creative type / inventory type compatibility table",
        "The creative type does not fit the inventory type.",
    ),
    "MISSING_2X_ASSET": Rule(
        AG + "Standard Display on Amazon Mobile Display needs a 2x asset (rule id assoc-standard-display-2x)",
        "The creative lacks its 2x asset.",
    ),
    "ASSOCIATION_NOT_FOUND": Rule(
        AG + "'One association between given ad group and creative must exist.'",
        "The association does not exist.",
    ),
    "ASSOCIATION_ALREADY_EXISTS": Rule(
        AG + "create: the creative is not already associated (rule id assoc-duplicate)",
        "The creative is already associated.",
    ),
}
"""Every error code of the emulator → where its rules come from and what they say."""
