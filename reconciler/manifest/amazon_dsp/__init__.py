"""The Amazon DSP manifest: models (models.py, targets.py) and canonical resources (build.py)."""

from __future__ import annotations

from reconciler.manifest.amazon_dsp.build import PLATFORM, build
from reconciler.manifest.amazon_dsp.models import AdGroup, AmazonDspManifest, CreativeAssociation, DspCampaign
from reconciler.manifest.base import PlatformManifest
from reconciler.manifest.fields import KindFields

MANIFEST = PlatformManifest(
    platform=PLATFORM,
    model=AmazonDspManifest,
    build=build,
    kinds={
        "campaign": KindFields(DspCampaign, frozenset({"adGroups"})),
        "ad_group": KindFields(AdGroup, frozenset({"targets", "creatives"})),
        "targets": KindFields(paths=("targets",)),
        "creative_association": KindFields(CreativeAssociation),
    },
)

__all__ = ["MANIFEST", "AmazonDspManifest", "build"]
