"""Every rule the AppLovin emulator refuses a call by, and where it comes from.

`RULES[rule] = Rule(source, message)`: `source` is the vendor document and a short quote; `message` says
what the rule is. Every error the emulator answers with names its rule (`{"error": {"code", "message",
"rule"}}`, errors.py); an `ApiError` with a rule missing here cannot be built.

Documents: GUIDE is `applovin-campaign-management.txt` (AppLovin's Campaign Management API page), FACTS the
AppLovin section of `FACTS.md`, RFC 6749 the OAuth 2.0 standard the guide says AppLovin follows ("AppLovin
supports the standard OAuth web application flow").
"""

from __future__ import annotations

from typing import NamedTuple


class Rule(NamedTuple):
    source: str
    message: str


RULES: dict[str, Rule] = {
    # -- requests as a whole -------------------------------------------------------------------------
    "json-body": Rule(
        "GUIDE: every 'Sample Request Body' is a JSON object (a JSON array for /source_bids and /sources)",
        "The body is missing, not JSON, or not of the JSON type the endpoint takes.",
    ),
    "form-body": Rule(
        "GUIDE (/creative_set_assets): 'Table of Request Asset Form Fields' (asset, file, remove, type, "
        "update)",
        "Assets are uploaded as a multipart (or form-encoded) body.",
    ),
    "route-not-found": Rule(
        "GUIDE: the endpoints it lists (/campaign, /campaigns, /campaign_targets, /creative_set, "
        "/creative_sets, /creative_set_assets, /ad, /ads, /source_bids, /sources)",
        "The method and path are not an operation of the API.",
    ),
    "object-not-found": Rule(
        "GUIDE: each id in a path names an object of the account ('/campaign/campaign_id', "
        "'/creative_set/creative_set_id', '/ad/ad_id', ...); an asset is removed or updated by its type",
        "The campaign, creative set, ad or asset does not exist.",
    ),
    "rate-limited": Rule(
        "FACTS: 'Public material gives no error envelope or rate limit for this API; the sandbox uses "
        '{"error": {"code", "message"}} with the HTTP status, and 429 with Retry-After when throttled.\' '
        "(a sandbox choice)",
        "Too many calls this minute for this client; retry after Retry-After seconds.",
    ),
    # -- OAuth ---------------------------------------------------------------------------------------
    "oauth-client": Rule(
        "GUIDE: 'client_id | Client ID of your OAuth App', 'client_secret | Client Secret of your OAuth "
        "App'; "
        "third-party flow: 'Client ID of your OAuth App' (a third-party app)",
        "The client id and secret are required and must match an OAuth app of the right kind.",
    ),
    "oauth-grant-type": Rule(
        "GUIDE: 'grant_type | Type of grant. For first party apps, set this to client_credentials. For "
        "third-party apps authenticating with the authentication code, set this to authorization_code. For "
        "third-party apps authenticating with a refresh token, set this to refresh_token.'",
        "The grant type must be one of the three and fit the kind of app.",
    ),
    "oauth-parameter": Rule(
        "GUIDE: code 'Required for grant_type=authorization_code, otherwise invalid'; redirect_uri 'Invalid "
        "on first-party applications'; refresh_token 'Required for grant_type=refresh_token, otherwise "
        "invalid'; scope 'invalid for grant_type=authorization_code'",
        "A token-request field that the grant type does not take was sent.",
    ),
    "oauth-code": Rule(
        "GUIDE: 'The code value used to generate access and refresh tokens on behalf of the user'; RFC 6749 "
        "§4.1.2: 'A maximum authorization code lifetime of 10 minutes is RECOMMENDED. The client MUST NOT "
        "use "
        "the authorization code more than once.' and §4.1.3: redirect_uri must be 'identical' to the "
        "authorization request's",
        "The authorization code is unknown, used, expired, or exchanged with another redirect_uri.",
    ),
    "oauth-refresh-token": Rule(
        "GUIDE: 'Each refresh token can be used only once. But a new refresh token is returned with each "
        "call. Refresh tokens expire in 30 days.'",
        "The refresh token is unknown, already used, or older than 30 days.",
    ),
    "oauth-scope": Rule(
        "GUIDE: scope 'Must be a subset of the scopes defined in the app. ... Supported scopes: ...' "
        "(required for grant_type=client_credentials, optional for refresh_token)",
        "The scope is missing, unknown, or beyond the app's scopes.",
    ),
    "oauth-authorize": Rule(
        "GUIDE: 'All query parameters are required.'; response_type 'Set this to code.'; redirect_uri 'It "
        "must match the redirect_uri defined in the OAuth creation process.'",
        "The authorization request misses a parameter, or its response_type or redirect_uri is wrong.",
    ),
    "token-required": Rule(
        "GUIDE: 'Put the access token ... on all other requests. Do this via the header Authorization: "
        "Bearer "
        "access_token.'; 'The session token lasts for 60 minutes'",
        "The call has no valid, unexpired bearer token.",
    ),
    "scope-required": Rule(
        "GUIDE: scopes campaigns:read/write, creatives:read/write, source_bids:read/write; 'Write scopes "
        "automatically have read permission.'",
        "The token lacks the scope of the endpoint (read for GET, write for POST).",
    ),
    # -- campaigns -----------------------------------------------------------------------------------
    "campaign-id-on-create": Rule(
        "GUIDE: 'When you create a new campaign, don't fill in the campaign_id in the request URL nor in the "
        "request body.'",
        "A campaign create carries no campaign_id.",
    ),
    "campaign-name-required": Rule(
        "GUIDE: campaign fields table, name: 'Required on Creation: TRUE'",
        "A new campaign needs a name (a string).",
    ),
    "campaign-field-value": Rule(
        "GUIDE: bid_type 'CPI, CPP_GOAL, RET, CPE, ROAS_AD_BASED, or ROAS_IAP', platform 'ios or android', "
        "tracking_method 'See the table of tracking methods'; FACTS: 'Campaign status is a boolean; booleans "
        "and numbers travel as JSON values.'; goal_period 'Number of Days after install'",
        "A campaign field is not of its type or not one of its listed values.",
    ),
    "campaign-bundle-id-ios-only": Rule(
        "GUIDE: 'bundle_id | The Bundle ID of the promoted app (iOS only)'",
        "bundle_id is for iOS campaigns only.",
    ),
    "campaign-package-name-ios": Rule(
        "GUIDE: 'package_name | The Package Name of the promoted app. On iOS, use the numeric portion of the "
        "iTunes ID'",
        "On iOS, package_name is the numeric iTunes id.",
    ),
    "campaign-read-only": Rule(
        "GUIDE: campaign fields table, footnote '1 read-only' (bid_type, bundle_id, campaign_id, "
        "goal_period, "
        "package_name, platform, ...)",
        "A read-only field cannot change after the campaign is created.",
    ),
    # -- campaign targets ----------------------------------------------------------------------------
    "targets-field-value": Rule(
        "GUIDE: 'countries | List of Countries objects', 'os_major_version_min | Lowest OS version ... 10 "
        "means 10.0 and above.'; FACTS: 'booleans and numbers travel as JSON values' (bid, budget, "
        "disabled)",
        "A targets field is not of its type.",
    ),
    "targets-country-code": Rule(
        "GUIDE: 'country | \"DEFAULT\" or two-letter country code'",
        "Each country object names DEFAULT or a two-letter country code.",
    ),
    "targets-default-or-each-country": Rule(
        "GUIDE: 'Therefore, the bid, budget, and URL values should either be in the DEFAULT object or in "
        "each country-specific object.'",
        "When the active DEFAULT carries a bid, budget or URL, no other active country carries its own.",
    ),
    "targets-budget-per-campaign-or-country": Rule(
        "GUIDE: 'A campaign either has a total budget shared by all countries, or each country needs a "
        "specific budget.'",
        "A DEFAULT that carries the values has a budget; otherwise every active country has its own.",
    ),
    "targets-bid-per-campaign-or-country": Rule(
        "GUIDE: 'Therefore, the bid, budget, and URL values should either be in the DEFAULT object or in "
        "each country-specific object.'",
        "A DEFAULT that carries the values has a bid; otherwise every active country has its own.",
    ),
    "targets-device-types": Rule(
        'GUIDE: \'device_types | List of eligible device types. ... Options are: "phone", "tablet", '
        '"other".\'',
        "device_types is a list of phone, tablet or other.",
    ),
    "targets-device-types-ios-only": Rule(
        "GUIDE: 'device_types | List of eligible device types. ... Only supported on iOS.'",
        "device_types are only set on iOS campaigns.",
    ),
    # -- creative sets, assets, ads ------------------------------------------------------------------
    "creative-set-id-on-create": Rule(
        "GUIDE: 'To create a new creative set, do not fill in the creative_set_id in the request URL nor in "
        "the request body.'",
        "A creative set create carries no id.",
    ),
    "creative-set-campaign": Rule(
        "GUIDE: creative sets belong to a campaign ('/creative_sets/campaign_id ... all creative sets "
        "associated with a campaign'); the guide prints no create body, so the sandbox takes campaign_id in "
        "it (a sandbox choice, applovin/__init__.py)",
        "A new creative set names its campaign (campaign_id).",
    ),
    "creative-set-field-value": Rule(
        'GUIDE: creative set fields: countries (e.g. ["za", "gb"]), languages, name, product_page, sizes '
        '(\'{ "INTER":true, "BANNER":false }\')',
        "A creative set field is not of its JSON type.",
    ),
    "creative-set-language": Rule(
        "GUIDE: 'languages | List of languages. See the table below for a full list.'",
        "Each language is a code of the guide's Language Codes table.",
    ),
    "creative-set-country-code": Rule(
        'GUIDE: \'countries | Countries that this creative set should be restricted to ... | ["za", '
        '"gb"]\' (two-letter codes, as \'country | "DEFAULT" or two-letter country code\')',
        "Each country of a creative set is a two-letter country code.",
    ),
    "creative-set-size": Rule(
        "GUIDE: 'Valid size designators are BANNER, CTV, INTER, and PRELOAD.'",
        "Creative set sizes are BANNER, CTV, INTER or PRELOAD.",
    ),
    "asset-type": Rule(
        "GUIDE: 'type | Asset type. See the table below for possible asset types.'; '2 When you pass in a "
        "file to add or update a file asset, type is calculated from the file properties.'",
        "The asset type is one of the table's, and is given unless a file tells it.",
    ),
    "asset-flag": Rule(
        "GUIDE: remove '(Optional) Pass in true to remove the asset type. | true or false'; update "
        "'(Optional) Pass in true to update the asset type. | true or false'",
        "update and remove are true or false.",
    ),
    "asset-content": Rule(
        "GUIDE: '1 When you add or update an asset, you only need to pass either the asset parameter or the "
        "file parameter.'; asset 'Asset URL, hash, or text string.'; file 'Image, video, or HTML file.'; "
        "'3 When you remove an asset, you only need to pass the type parameter.'; asset types table (TXT_* "
        "are texts)",
        "An add or update passes an asset (a URL or the hash of an uploaded file; text for TXT_ types) or a "
        "file; a remove passes the type.",
    ),
    "asset-rating": Rule(
        "GUIDE: 'TXT_RATING | App Rating | 0.0–5.0, only increments of 0.5 are accepted'",
        "TXT_RATING is 0.0 to 5.0 in steps of 0.5.",
    ),
    "asset-update-or-add": Rule(
        "GUIDE: update '(Optional) Pass in true to update the asset type.'",
        "Replacing an asset type the set already holds needs update=true.",
    ),
    "asset-file-kind": Rule(
        "GUIDE: 'file | Image, video, or HTML file.'; asset types table ('IMG_BANNER | Banner Image', "
        "'VID_SHORT_P | Short Portrait Video', 'HOSTED_HTML | Playable File | File of a playable ad'); "
        "'2 When you pass in a file to add or update a file asset, type is calculated from the file "
        "properties.'",
        "An IMG_ type takes an image file, a VID_ type a video file, HOSTED_HTML an HTML file.",
    ),
    "asset-image-size": Rule(
        "GUIDE: asset types table: 'IMG_BANNER | Banner Image | 320×50', 'IMG_LEADER | Leader Image | "
        "728×90', 'IMG_MREC | Medium Rectangle (MREC) Image | 300×250', 'IMG_NATIVE | Native Image | Main "
        "image of a native ad: 1200×628 or 1200×627'",
        "An image file of a sized type has the table's width and height.",
    ),
    "asset-orientation": Rule(
        "GUIDE: asset types table: 'IMG_INTER_L | Landscape Image', 'IMG_INTER_P | Portrait Image', "
        "'VID_LONG_L | ... Landscape oriented video', 'VID_LONG_P | ... Portrait oriented video' (and the "
        "short ones)",
        "A landscape file is wider than high, a portrait file higher than wide.",
    ),
    "asset-video-length": Rule(
        "GUIDE: asset types table: 'VID_LONG_L | ... video more than 15 seconds', 'VID_SHORT_L | ... video "
        "less than 15 seconds' (and the portrait ones)",
        "A VID_LONG_ file lasts more than 15 seconds, a VID_SHORT_ file less than 15 seconds.",
    ),
    "ad-field-value": Rule(
        "GUIDE: 'Issue a POST request to this endpoint to edit an ad's name or status.'; ad fields table, "
        "footnote '1 read-only'; 'status | Whether the ad is active (true) or not (false)'",
        "Only an ad's name (a string) and status (a boolean) can change.",
    ),
    # -- source bids and sources ---------------------------------------------------------------------
    "source-bids-page": Rule(
        "GUIDE: 'limit | Number of rows to return in this response.', 'offset | Number of rows in the data "
        "set this response should skip.'",
        "limit and offset are whole numbers (limit at least 1, offset not negative).",
    ),
    "source-app": Rule(
        "GUIDE: 'app_id | The app that should receive an overridden bid' / 'The reference to the app that "
        "can be toggled' (an app the campaign can serve on)",
        "app_id is one of the source apps.",
    ),
    "source-bid-row": Rule(
        "GUIDE: bid_value 'The overridden bid value. \"default\" uses ...'; bid_override_percentage 'The "
        "percent over (or under) the bid ...'; 'status | Whether the app is active or not'",
        'A row is an object with numbers or "default" for the bid values and a boolean status.',
    ),
    "source-bid-country-code": Rule(
        "GUIDE: source bids 'country | Two-letter country code'",
        "A source bid's country is a two-letter country code.",
    ),
    "source-bid-one-override": Rule(
        "GUIDE: '3 At most one of these values can be other than \"default\".'",
        'At most one of bid_value and bid_override_percentage is other than "default".',
    ),
}
"""Every rule of the emulator → where it comes from and what it says."""
