"""The platforms that have a manifest model, by the value of a manifest's `platform` field."""

from __future__ import annotations

from reconciler.manifest import amazon_dsp, applovin, criteo
from reconciler.manifest.base import PlatformManifest

MANIFESTS: dict[str, PlatformManifest] = {
    spec.platform: spec for spec in (amazon_dsp.MANIFEST, applovin.MANIFEST, criteo.MANIFEST)
}
