"""reconciler.yaml's AppLovin auth settings: defaults, located errors, and what reaches the TokenSource."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from reconciler import engine
from reconciler.errors import ProjectError
from reconciler.manifest import ProjectConfig
from reconciler.manifest.project_config import config_model
from reconciler.providers.applovin.auth import SCOPES, AuthSettings, TokenSource


def settings(**applovin: Any) -> ProjectConfig:
    return config_model().model_validate(
        {"project": "Summer Sale/iOS", "platforms": {"applovin": {"endpoint": "sandbox", **applovin}}}
    )


def test_first_party_with_every_scope_by_default(tmp_path: Path) -> None:
    config = settings()
    applovin = config.platforms.applovin
    assert applovin is not None and applovin.auth == "first_party"
    provider_config = engine.provider_config(tmp_path, config.project, "applovin", applovin)
    assert provider_config.options["scopes"] == list(SCOPES)
    tokens = TokenSource(provider_config)
    assert tokens.settings == AuthSettings(
        mode="first_party", scopes=SCOPES, token_file=tokens.settings.token_file
    )
    assert tokens.token_url == "http://sandbox/applovin/oauth/v1/access_token" and tokens.embedded


def test_third_party_token_file_defaults_outside_the_project(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    config = settings(auth="third_party", redirect_uri="https://acme.test/cb", scopes=["campaigns:write"])
    assert config.platforms.applovin is not None
    options = config.platforms.applovin.options(config.project)
    assert options == {
        "auth": "third_party",
        "scopes": ["campaigns:write"],
        "redirect_uri": "https://acme.test/cb",
        "token_file": str(tmp_path / "xdg" / "reconciler" / "applovin-Summer-Sale-iOS.json"),
    }
    monkeypatch.delenv("XDG_CONFIG_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    chosen = settings(auth="third_party", redirect_uri="https://acme.test/cb", token_file="~/keys/al.json")
    assert chosen.platforms.applovin is not None
    assert chosen.platforms.applovin.options("p")["token_file"] == str(tmp_path / "home" / "keys" / "al.json")


@pytest.mark.parametrize(
    ("applovin", "needle"),
    [
        ({"auth": "third_party"}, "`redirect_uri` is required with `auth: third_party`"),
        ({"redirect_uri": "https://acme.test/cb"}, "only used with `auth: third_party`"),
        (
            {"auth": "third_party", "redirect_uri": "https://a.test/cb", "token_file": "secrets/al.json"},
            "must be an absolute path or start with `~/`",
        ),
        ({"scopes": ["campaigns:write", "campaigns:delete"]}, "campaigns:delete"),
        ({"scopes": []}, "at least 1 item"),
        ({"auth": "fourth_party"}, "first_party"),
    ],
)
def test_bad_auth_settings_are_rejected_with_the_reason(applovin: dict[str, Any], needle: str) -> None:
    with pytest.raises(ValidationError) as raised:
        settings(**applovin)
    assert needle in str(raised.value)


def test_a_token_file_inside_the_project_is_refused(tmp_path: Path) -> None:
    config = settings(
        auth="third_party", redirect_uri="https://a.test/cb", token_file=str(tmp_path / "k.json")
    )
    assert config.platforms.applovin is not None
    with pytest.raises(ProjectError, match="is inside the project") as raised:
        TokenSource(engine.provider_config(tmp_path, config.project, "applovin", config.platforms.applovin))
    assert "outside the project" in str(raised.value)
    elsewhere = engine.provider_config(tmp_path / "project", "p", "applovin", config.platforms.applovin)
    assert TokenSource(elsewhere).settings.token_file == tmp_path / "k.json"
