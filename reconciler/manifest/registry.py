"""The platforms that have a manifest model, by the value of a manifest's `platform` field."""

from __future__ import annotations

from reconciler.manifest.amazon_dsp import AMAZON_DSP
from reconciler.manifest.applovin import APPLOVIN
from reconciler.manifest.base import PlatformManifest
from reconciler.manifest.criteo import CRITEO

MANIFESTS: dict[str, PlatformManifest] = {spec.platform: spec for spec in (AMAZON_DSP, APPLOVIN, CRITEO)}
