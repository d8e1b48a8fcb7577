"""AppLovin's offline rules (pure, no I/O): what the Campaign Management guide says that can be checked
without calling the API, each with its code and the guide's sentence, run by the kit's `RuleBook` (the
checks are in checks.py). docs/applovin-rules.md lists every rule with where the sandbox enforces it and
the tests that show both.

The guide states budgets and bids per campaign *or* per country: "A campaign either has a total budget
shared by all countries, or each country needs a specific budget. Therefore, the bid, budget, and URL
values should either be in the DEFAULT object or in each country-specific object." A campaign whose DEFAULT
carries values shares them; otherwise each country carries its own. Rules no vendor text states are
`assumption`s: they only warn.
"""

from __future__ import annotations

from reconciler.model import Severity
from reconciler.providers.applovin import checks
from reconciler.providers.kit.rules import Rule, RuleBook

GUIDE = "applovin-campaign-management.txt"


def _source(quote: str) -> str:
    return f"{GUIDE}: {quote}"


RULES = (
    Rule(
        "campaign-bundle-id-ios-only",
        _source("'bundle_id | The Bundle ID of the promoted app (iOS only)'"),
        ("campaign",),
        checks.bundle_id_ios_only,
    ),
    Rule(
        "campaign-package-name-ios",
        _source(
            "'package_name | The Package Name of the promoted app. On iOS, use the numeric portion of the "
            "iTunes ID'"
        ),
        ("campaign",),
        checks.package_name_ios,
    ),
    Rule(
        "targets-country-code",
        _source("'country | \"DEFAULT\" or two-letter country code'"),
        ("targets",),
        checks.country_code,
    ),
    Rule(
        "targets-default-or-each-country",
        _source(
            "'the bid, budget, and URL values should either be in the DEFAULT object or in each "
            "country-specific object'"
        ),
        ("targets",),
        checks.default_or_each_country,
    ),
    Rule(
        "targets-budget-per-campaign-or-country",
        _source(
            "'A campaign either has a total budget shared by all countries, or each country needs a "
            "specific budget.'"
        ),
        ("targets",),
        checks.per_country("budget"),
    ),
    Rule(
        "targets-bid-per-campaign-or-country",
        _source(
            "'Therefore, the bid, budget, and URL values should either be in the DEFAULT object or in "
            "each country-specific object.'"
        ),
        ("targets",),
        checks.per_country("bid"),
    ),
    Rule(
        "targets-device-types-ios-only",
        _source("'device_types | List of eligible device types. ... Only supported on iOS.'"),
        ("targets",),
        checks.device_types_ios_only,
    ),
    Rule(
        "targets-countries-listed",
        "assumption: the guide requires no country (a campaign that targets none serves nowhere)",
        ("targets",),
        checks.countries_listed,
        assumption=True,
    ),
    Rule(
        "targets-amount-not-negative",
        "assumption: the guide gives bid ('The bid value of that country') and budget ('Daily budget (USD)') "
        "no range",
        ("targets",),
        checks.amounts_not_negative,
        assumption=True,
    ),
    Rule(
        "campaign-goal-period-not-negative",
        "assumption: the guide gives goal_period ('Number of Days after install for goal to be measured') "
        "no range",
        ("campaign",),
        checks.goal_period_not_negative,
        assumption=True,
    ),
    Rule(
        "targets-os-version-not-negative",
        "assumption: the guide gives os_major_version_min ('10 means 10.0 and above') no range",
        ("targets",),
        checks.os_version_not_negative,
        assumption=True,
    ),
    Rule(
        "creative-set-language",
        _source("'languages | List of languages. See the table below for a full list.'"),
        ("creative_set",),
        checks.languages,
    ),
    Rule(
        "creative-set-country-code",
        _source(
            '\'countries | Countries that this creative set should be restricted to ... | ["za", '
            '"gb"]\' (two-letter codes, as \'country | "DEFAULT" or two-letter country code\')'
        ),
        ("creative_set",),
        checks.set_country_code,
    ),
    Rule(
        "creative-set-country-targeted",
        _source(
            "'If this list includes countries outside of what the campaign targets, those countries will "
            "not be eligible' (the platform accepts them: a warning)"
        ),
        ("creative_set",),
        checks.set_countries_targeted,
        severity=Severity.WARNING,
    ),
    Rule(
        "creative-set-size",
        _source("'Valid size designators are BANNER, CTV, INTER, and PRELOAD.'"),
        ("creative_set",),
        checks.sizes,
    ),
    Rule(
        "asset-type",
        _source("'type | Asset type. See the table below for possible asset types.'"),
        ("asset",),
        checks.asset_type,
    ),
    Rule(
        "asset-one-content",
        _source(
            "'When you add or update an asset, you only need to pass either the asset parameter or the "
            "file parameter.'"
        ),
        ("asset",),
        checks.one_content,
    ),
    Rule(
        "asset-content-kind",
        _source(
            "asset types table ('TXT_TITLE | App name', 'TXT_BUTTON | Button | Button text', "
            "'VID_SHORT_P | Short Portrait Video', ...); 'file | Image, video, or HTML file.'"
        ),
        ("asset",),
        checks.content_kind,
    ),
    Rule(
        "asset-url",
        _source("'asset | Asset URL, hash, or text string | \"https://res1.applovin.com/...\"'"),
        ("asset",),
        checks.url,
    ),
    Rule(
        "asset-text-not-empty",
        "assumption: the guide's text assets ('Asset URL, hash, or text string') state no length",
        ("asset",),
        checks.text_not_empty,
        assumption=True,
    ),
    Rule(
        "asset-rating",
        _source("'TXT_RATING | App Rating | 0.0–5.0, only increments of 0.5 are accepted'"),
        ("asset",),
        checks.rating,
    ),
    Rule(
        "ad-template",
        _source(
            "Templates table (Size | Template Name | Assets); 'After you upload all required assets for "
            "an ad template ..., the ads are automatically created.'"
        ),
        ("ad",),
        checks.template,
    ),
    Rule(
        "ad-template-assets",
        _source(
            "'After you upload all required assets for an ad template (via the UI or via an API call to "
            "/creative_set/creative_set_id), the ads are automatically created.'"
        ),
        ("ad",),
        checks.template_assets,
    ),
    Rule(
        "source-bid-country-code",
        _source("source bids 'country | Two-letter country code'"),
        ("source_bids",),
        checks.bid_country,
    ),
    Rule(
        "source-bid-one-override",
        _source("'At most one of these values can be other than \"default\".'"),
        ("source_bids",),
        checks.one_override,
    ),
    Rule(
        "source-bid-not-a-clear",
        _source(
            "'Clear bid overrides by setting both bid_override_percentage and bid_value to \"default\".' "
            "(the platform accepts such an entry and clears the override: a warning)"
        ),
        ("source_bids",),
        checks.not_a_clear,
        severity=Severity.WARNING,
    ),
    Rule(
        "source-bid-listed-once",
        "assumption: the guide keys overrides by app and country ('The app that should receive an overridden "
        "bid', 'Two-letter country code') but says nothing of a request naming one twice",
        ("source_bids",),
        checks.listed_once,
        assumption=True,
    ),
)

FILE_RULES = (
    Rule(
        "asset-file-kind",
        _source(
            "'file | Image, video, or HTML file.'; asset types table ('IMG_BANNER | Banner Image', "
            "'VID_SHORT_P | Short Portrait Video', 'HOSTED_HTML | Playable File | File of a playable ad'); "
            "'When you pass in a file to add or update a file asset, type is calculated from the file "
            "properties.'"
        ),
        ("asset",),
        checks.file_kind,
    ),
    Rule(
        "asset-image-size",
        _source(
            "asset types table: 'IMG_BANNER | Banner Image | 320×50', 'IMG_LEADER | Leader Image | 728×90', "
            "'IMG_MREC | Medium Rectangle (MREC) Image | 300×250', 'IMG_NATIVE | Native Image | Main image "
            "of a native ad: 1200×628 or 1200×627'"
        ),
        ("asset",),
        checks.image_size,
    ),
    Rule(
        "asset-orientation",
        _source(
            "asset types table: 'IMG_INTER_L | Landscape Image', 'IMG_INTER_P | Portrait Image', "
            "'VID_LONG_L | ... Landscape oriented video', 'VID_LONG_P | ... Portrait oriented video' (and "
            "the short ones)"
        ),
        ("asset",),
        checks.orientation,
    ),
    Rule(
        "asset-video-length",
        _source(
            "asset types table: 'VID_LONG_L | ... video more than 15 seconds', 'VID_SHORT_L | ... video "
            "less than 15 seconds' (and the portrait ones)"
        ),
        ("asset",),
        checks.video_length,
    ),
)
"""Rules on the properties of local asset files: the provider reads each file when the plan hashes it
(`AppLovinProvider.resolve`, before any request) and runs FILE_BOOK on the asset with them."""

BOOK = RuleBook(RULES)
FILE_BOOK = RuleBook(FILE_RULES)
CODES = BOOK.codes() | FILE_BOOK.codes()
validate = BOOK.validate
"""Every offline rule on every AppLovin resource (the registry's `rules:validate`)."""
