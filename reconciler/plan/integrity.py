"""Plan integrity: only the reviewed plan is applied.

A saved plan carries a digest over everything it holds (operations, changes, verbs, moves, adoptions, the
manifests' digest, the state lineage and serial, the variables...). Without a key it is a SHA-256, which
catches an edited file; with `RECONCILER_PLAN_KEY` set it is an HMAC-SHA256, so a CI apply job that holds
the key can prove the plan it applies is the one the pull-request job produced and the reviewers saw.
`apply PLANFILE` recomputes it and refuses a plan whose digest does not match.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os

from reconciler.errors import PlanFileError
from reconciler.plan.file import PlanFile

KEY_VARIABLE = "RECONCILER_PLAN_KEY"


def key_from_environment() -> bytes | None:
    """The signing key, when the environment gives one (never from a file a pull request could edit)."""
    value = os.environ.get(KEY_VARIABLE, "")
    return value.encode() if value else None


def _content(plan: PlanFile) -> bytes:
    document = plan.model_dump(mode="json", exclude={"digest"})
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def compute(plan: PlanFile, key: bytes | None) -> str:
    content = _content(plan)
    if key is None:
        return "sha256:" + hashlib.sha256(content).hexdigest()
    return "hmac-sha256:" + hmac.new(key, content, hashlib.sha256).hexdigest()


def sealed(plan: PlanFile, key: bytes | None) -> PlanFile:
    """The plan with its digest (signed when there is a key)."""
    unsealed = plan.model_copy(update={"digest": "", "signed": key is not None})
    return unsealed.model_copy(update={"digest": compute(unsealed, key)})


def check(plan: PlanFile, key: bytes | None, where: str) -> None:
    """Refuse a plan that was edited after it was made, or that cannot be proven to come from a job holding
    the key."""
    if plan.signed and key is None:
        raise PlanFileError(
            f"{where} is signed, and {KEY_VARIABLE} is not set here, so it cannot be checked; "
            "it was not applied",
            hint=f"set {KEY_VARIABLE} to the key the plan was made with",
        )
    if not plan.signed and key is not None:
        raise PlanFileError(
            f"{where} is not signed, and {KEY_VARIABLE} is set: only a plan signed with that key is applied",
            hint=f"make the plan with {KEY_VARIABLE} set (as the pull-request job does), or unset it",
        )
    if not hmac.compare_digest(plan.digest, compute(plan, key)):
        what = "was edited after it was made, or was signed with another key" if plan.signed else "was edited"
        raise PlanFileError(
            f"{where} {what}: its digest does not match its content; it was not applied",
            hint="make the plan again with `reconciler plan -o FILE` and apply that file unchanged",
        )
