"""Which URLs a project may send its credentials to: an endpoint (or auth endpoint) of reconciler.yaml is
`https://HOST[:PORT][/PATH]`, or `http://` on a loopback address (a `reconciler sandbox serve` on this
machine), never with a user name or password in it.

A pull request can change reconciler.yaml, so the CI owner can also pin the hosts: with the environment
variable `RECONCILER_ALLOWED_HOSTS` (comma-separated host names, set in the workflow, not in the
repository), any other host is refused.
"""

from __future__ import annotations

import ipaddress
import os
from urllib.parse import urlsplit

ALLOWED_HOSTS_VARIABLE = "RECONCILER_ALLOWED_HOSTS"


def is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def allowed_hosts() -> set[str] | None:
    """The hosts of RECONCILER_ALLOWED_HOSTS (lower case), or None when it is not set."""
    value = os.environ.get(ALLOWED_HOSTS_VARIABLE, "").strip()
    if not value:
        return None
    return {h.strip().lower() for h in value.split(",") if h.strip()}


def shown(url: str) -> str:
    """The URL as an error may show it: scheme and host only (no user, password, path or query)."""
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
    except ValueError:
        return "this URL"
    return f"`{parts.scheme}://{host}`" if parts.scheme and host else "this URL"


def url_problem(url: str) -> str | None:
    """Why `url` may not be an endpoint, or None when it may."""
    try:
        parts = urlsplit(url)
        host = parts.hostname
        parts.port  # noqa: B018  (raises ValueError for a port that is not a number)
    except ValueError:
        return "is not a valid URL"
    scheme = parts.scheme.lower()
    if not host or scheme not in ("http", "https"):
        return "must be an https:// URL (or `sandbox`)"
    if parts.username is not None or parts.password is not None:
        return "must not carry a user name or password (credentials come from environment variables)"
    if scheme == "http" and not is_loopback(host):
        return "must use https:// (plain http:// only to a loopback address such as 127.0.0.1)"
    allowed = allowed_hosts()
    if allowed is not None and host.lower() not in allowed:
        return f"names the host `{host}`, which {ALLOWED_HOSTS_VARIABLE} does not allow"
    return None
