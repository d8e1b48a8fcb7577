"""The Amazon DSP manifest: models (models.py, targets.py) and canonical resources (build.py)."""

from __future__ import annotations

from typing import Any

from reconciler.manifest.amazon_dsp.build import PLATFORM, build
from reconciler.manifest.amazon_dsp.models import AdGroup, AmazonDspManifest, CreativeAssociation, DspCampaign
from reconciler.manifest.base import Built, PlatformManifest
from reconciler.manifest.fields import KindFields
from reconciler.manifest.yaml_loader import LoadedYaml


def _build(manifest: Any, loaded: LoadedYaml, file: str) -> Built:
    return build(manifest, loaded, file)


MANIFEST = PlatformManifest(
    platform=PLATFORM,
    model=AmazonDspManifest,
    build=_build,
    kinds={
        "campaign": KindFields(DspCampaign, frozenset({"adGroups"})),
        "ad_group": KindFields(AdGroup, frozenset({"targets", "creatives"})),
        "targets": KindFields(paths=("targets",)),
        "creative_association": KindFields(CreativeAssociation),
    },
)

__all__ = ["MANIFEST", "AmazonDspManifest", "build"]
