"""The Amazon DSP provider (Amazon Ads API, /dsp/v1): campaigns, ad groups, targets, creative associations."""

from __future__ import annotations

from reconciler.providers.amazon_dsp import rules
from reconciler.providers.amazon_dsp.provider import AmazonDspProvider
from reconciler.providers.base import Platform

PLATFORM = Platform(
    name="amazon_dsp", rules=rules.validate, provider=AmazonDspProvider, sandbox_prefix="/amazon-dsp"
)

__all__ = ["PLATFORM", "AmazonDspProvider"]
