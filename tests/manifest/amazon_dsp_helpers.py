"""A valid Amazon DSP project for the manifest and rules tests, and helpers to edit it."""

from __future__ import annotations

from pathlib import Path

from tests.manifest.helpers import write_project

PROJECT = """\
project: q1-launch
platforms:
  amazon_dsp:
    endpoint: sandbox
"""

FILE = "campaigns/q1.yaml"

VALID = """\
platform: amazon_dsp
advertiserId: "520724305968518499"
campaigns:
  - key: q1
    name: My Q1 Test Campaign
    optimization:
      bidStrategy: SPEND_BUDGET_IN_FULL
      automateBudgetAllocation: false
      goalSetting: {kpi: CLICK_THROUGH_RATE, targetKpi: 0.1}
    flights:
      - startDateTime: 2030-04-01T00:00:00Z
        endDateTime: 2030-06-30T23:59:59Z
        budgetAmount: 1000
      - startDateTime: 2030-01-01T00:00:00Z
        endDateTime: 2030-03-31T23:59:59Z
        budgetAmount: 500
    frequencies:
      - frequencyType: UNCAPPED
    budgetCaps:
      - {recurrenceTimePeriod: DAILY, amount: 100}
    fees:
      - {feeType: AGENCY, feeValue: 10, feeValueType: PERCENTAGE}
    purchaseOrderNumber: PO-1
    comments: launch
    state: active
    trackedProducts:
      - {productId: B09D36CVP1, productAssociation: FEATURED_WITH_VARIATION, domain: amazon_us}
      - {productId: B003E1OUKS, productAssociation: FEATURED, domain: amazon_us}
    adGroups:
      - key: display
        name: Test Display Ad Group
        inventoryType: display
        creativeRotationType: WEIGHTED
        advertisedProductCategoryIds: ["304669741353807342", {name: Electronics}]
        frequencies:
          - {frequencyType: CAPPED, maxImpressions: 3, timeUnitCount: 1, timeUnit: DAYS}
        pacing: {deliveryProfile: EVEN, catchUpBoostPercentage: 0}
        targetingSettings:
          amazonViewability: {viewabilityTier: ALL_TIERS, includeUnmeasurableImpressions: false}
          timeZoneType: VIEWER
          userLocationSignal: CURRENT
        optimization: {bidStrategy: SPEND_BUDGET_IN_FULL, automateBudgetAllocation: false}
        bid: {baseBid: 3}
        startDateTime: 2030-01-01T00:00:00Z
        endDateTime: 2030-01-31T23:59:59Z
        budgetAmount: 1
        state: ACTIVE
        targets:
          domain:
            - domainTargetDetails: {domainName: {domainName: www.nytimes.com}}
              negative: true
          location:
            - geoLocation: XHvCjcKHXmJ7woVowo7CjmvCjcKWbMKHwp3CsGvCk8Krcms=
            - geoLocation: {name: New York}
          audience:
            - {audienceId: "365849257058325086", groupId: "1"}
            - {audienceId: "378970165887759667", groupId: 3, negative: true}
          device:
            - deviceType: PHONE
            - deviceType: desktop
          dayPart:
            - {dayOfWeek: MONDAY, hourOfDay: 9}
        creatives:
          - key: hero
            creative: "123456789"
            weight: 10
            state: ACTIVE
            startDate: 2030-01-02T00:00:00Z
            endDate: 2030-01-30T00:00:00Z
          - key: banner
            creative: {name: Spring banner}
"""


def amazon_project(root: Path, text: str = VALID) -> Path:
    """A project with one Amazon DSP manifest (`FILE`)."""
    return write_project(root, {FILE: text}, PROJECT)


def edit(old: str, new: str, text: str = VALID) -> str:
    """`text` with the first `old` replaced by `new` (which must be there)."""
    assert old in text, old
    return text.replace(old, new, 1)
