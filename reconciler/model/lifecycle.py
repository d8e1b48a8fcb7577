"""Lifecycle rules of a resource (`lifecycle:` of its manifest entry over its kind's in reconciler.yaml)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Lifecycle:
    """What the manifests say about an object's life beyond its fields.

    - `ignore_changes`: dotted field paths the platform owns once the object exists (set on create, never
      compared or sent again); `*` stands for every key of a mapping or item of a list, and a list's item is
      also named by its first field's value (a country keyed by its code: `countries.us.bid`);
    - `prevent_retire`: a plan that would retire the object fails (None: not said, False: said no).
    """

    ignore_changes: tuple[str, ...] = ()
    prevent_retire: bool | None = None
