"""The Amazon DSP manifest: models (models.py, targets.py) and canonical resources (build.py)."""

from __future__ import annotations

from typing import Any

from reconciler.manifest.amazon_dsp.build import PLATFORM, build
from reconciler.manifest.amazon_dsp.models import AmazonDspManifest
from reconciler.manifest.base import Built, PlatformManifest
from reconciler.manifest.yaml_loader import LoadedYaml


def _build(manifest: Any, loaded: LoadedYaml, file: str) -> Built:
    return build(manifest, loaded, file)


MANIFEST = PlatformManifest(platform=PLATFORM, model=AmazonDspManifest, build=_build)

__all__ = ["MANIFEST", "AmazonDspManifest", "build"]
