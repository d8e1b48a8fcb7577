"""The one root of every error a user can meet, each with its exit code and a hint on what to do."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from reconciler.model.diagnostic import Diagnostic


class ReconcilerError(Exception):
    """An error the user can act on. Rendered without a traceback by the CLI."""

    exit_code = 1
    hint = ""

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if hint is not None:
            self.hint = hint

    def __str__(self) -> str:
        return f"{self.message}\n  hint: {self.hint}" if self.hint else self.message


class ValidationFailed(ReconcilerError):
    """Manifests or the project file are invalid; carries every diagnostic found in one run."""

    hint = "fix the fields named above, then run `reconciler validate` again"

    shown = 200  # a file with thousands of errors prints the first ones and how many more there are

    def __init__(self, diagnostics: Sequence[Diagnostic]) -> None:
        self.diagnostics = list(diagnostics)
        lines = [str(d) for d in diagnostics[: self.shown]]
        if len(diagnostics) > self.shown:
            lines.append(f"... and {len(diagnostics) - self.shown} more (fix those above first)")
        super().__init__(f"{len(diagnostics)} error(s) in the manifests:\n" + "\n".join(lines))


class ProjectError(ReconcilerError):
    """The project directory or its reconciler.yaml cannot be used."""

    hint = "check the project directory and its reconciler.yaml"


class CredentialsError(ReconcilerError):
    """A credentials environment variable named in reconciler.yaml is missing."""

    hint = "export the environment variables named in reconciler.yaml"


class LockedError(ReconcilerError):
    """Another run holds the state lock."""

    hint = "wait for the other run to finish; if it died, remove the lock file it names"


class StateError(ReconcilerError):
    """The state file is unreadable or does not belong to this project."""


class StalePlanError(ReconcilerError):
    """A saved plan no longer matches the state, the manifests or the live objects."""

    hint = "run `reconciler plan` again and apply the new plan"


class PlanFileError(ReconcilerError):
    """A plan file cannot be read."""

    hint = "pass a file written by `reconciler plan -o FILE`"


class PlanError(ReconcilerError):
    """The desired state cannot be reached from the live state (for example an immutable field changed)."""


class PlatformError(ReconcilerError):
    """A platform API call failed as a whole (auth, network, server error).

    `may_have_changed` is false only when the platform certainly did nothing (the request was never
    sent, or it was refused before being carried out); a create that may have happened stays journalled.
    """

    hint = "check the endpoint and credentials in reconciler.yaml, then retry"
    may_have_changed = True


class ApplyFailed(ReconcilerError):
    """Some steps of an apply failed; the rest were applied and recorded in state."""

    hint = "fix the causes above and run `reconciler plan` again: it continues from the recorded state"


class PolicyViolated(ReconcilerError):
    """The plan breaks a guardrail of `policy:` in reconciler.yaml."""

    hint = "change the manifests, or the rule in reconciler.yaml's `policy:` (`enforce: warn` only warns)"
