"""`reconciler auth applovin` on the embedded sandbox with a project that names no credentials: the
engine sends `client_id: sandbox`, which the sandbox takes for the third-party flow (issue 15), and the
stored refresh token then serves an apply and a plan."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from tests.conftest import Result


def test_auth_applovin_on_the_embedded_sandbox_needs_no_credentials(
    tmp_path: Path, cli: Callable[..., Result]
) -> None:
    project = tmp_path / "ua"
    project.mkdir()
    token_file = tmp_path / "keys" / "applovin.json"
    (project / "reconciler.yaml").write_text(
        "project: ua\nplatforms:\n  applovin:\n    endpoint: sandbox\n    auth: third_party\n"
        f"    redirect_uri: https://ua.example/oauth_code\n    token_file: {token_file}\n"
    )
    (project / "campaign.yaml").write_text(
        "platform: applovin\ncampaigns:\n  - key: rotation\n    name: Rotation\n    platform: ios\n"
        '    bundle_id: com.acme.rotation\n    package_name: "1234567891"\n    bid_type: CPI\n'
        "    tracking_method: adjust\n    status: false\n"
    )
    authorized = cli("auth", "applovin", str(project))
    assert authorized.exit_code == 0, authorized.stderr
    assert "not a registered third-party OAuth app" not in authorized.stdout + authorized.stderr
    assert json.loads(token_file.read_text())["refresh_token"]

    applied = cli("apply", str(project), "--auto-approve")
    assert applied.exit_code == 0, applied.stdout + applied.stderr
    assert "applovin.campaign.rotation" in applied.stdout
    assert cli("plan", str(project), "--detailed-exitcode").exit_code == 0
