"""The `lifecycle:` field of a manifest entry and of a kind in reconciler.yaml (the pydantic model and the
entries' field; how the rules are taken, checked and merged is `lifecycle_rules`)."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field

from reconciler.manifest.types import Strict

FieldPath = Annotated[str, Field(min_length=1, pattern=r"^[^.\s]+(\.[^.\s]+)*$")]


class LifecycleRules(Strict):
    """What the manifests say about an object's life beyond its fields (Terraform's `lifecycle`)."""

    ignore_changes: list[FieldPath] | None = Field(
        default=None,
        description="Dotted field paths (e.g. bidding.bidAmount) the platform owns once the object exists: "
        "set on create, then never compared nor sent again (a platform's optimizer may change them). `*` "
        "stands for every key or item (countries.*.bid); a list item is also named by its first field "
        "(countries.us.bid). Replaces the kind's list from reconciler.yaml; [] ignores nothing.",
    )
    prevent_retire: bool | None = Field(
        default=None,
        description="true: a plan that would retire this object fails, even with --allow-retire. Recorded in "
        "state when applied, so removing the entry is refused too until `prevent_retire: false` is applied.",
    )


def lifecycle_field() -> Any:
    """The `lifecycle:` field of a manifest entry that is a resource (written last among its fields)."""
    return Field(
        default=None,
        description="Lifecycle rules of this object: ignore_changes, prevent_retire (over its kind's "
        "defaults in reconciler.yaml).",
    )
