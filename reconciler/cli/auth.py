"""`reconciler auth PLATFORM`: authorize a third-party OAuth app of a platform that has one."""

from __future__ import annotations

import asyncio
import secrets
from pathlib import Path

import click

from reconciler import engine
from reconciler.registry import PLATFORMS


@click.command("auth")
@click.argument("platform")
@click.argument("directory", type=click.Path(path_type=Path), default=".")
@click.option(
    "--code", help="The authorization code, or the whole URL you were redirected to (instead of a prompt)."
)
def auth(platform: str, directory: Path, code: str | None) -> None:
    """Authorize a third-party OAuth app of PLATFORM (one that has it): print the authorization URL, take the
    code, store the refresh token outside the project.

    Open the URL, consent, and paste the `code` parameter of the page the platform redirects to (or that
    page's whole URL). With `endpoint: sandbox` the embedded sandbox consents at once; a served sandbox
    redirects your browser to `redirect_uri?code=...&state=...` (copy the code from the address bar).
    """
    tokens = engine.login(directory, platform)
    title = PLATFORMS[platform].title
    state_value = secrets.token_hex(10)

    async def work() -> Path:
        try:
            url = tokens.authorization_url(state_value)
            click.echo(f"Open this URL, sign in to {title} and allow access:\n\n  {url}\n")
            if code is not None:
                answer = code
            elif tokens.embedded:
                answer = await tokens.consent_in_sandbox(url)
                click.echo("The embedded sandbox consented.")
            else:
                answer = click.prompt("Paste the `code` from the page you were sent to (or its whole URL)")
            path: Path = await tokens.authorize(tokens.code_from_redirect(answer, state_value))
            return path
        finally:
            await tokens.aclose()

    path = asyncio.run(work())
    click.echo(f"Stored the {title} refresh token in {path} (mode 0600); every run replaces it.")
