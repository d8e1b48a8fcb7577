"""Connecting to the PostgreSQL state: the sslmode to use, and errors that never repeat the connection string.

libpq's messages quote the connection string or its parts (`missing "=" after "<the DSN>"`, `connection
to server at "<host>", port <port> failed`, `role "<user>" does not exist`), so no message of a failed
connection is shown as it is: it is classified, and the class is what the user reads.
"""

from __future__ import annotations

import psycopg
from psycopg.conninfo import conninfo_to_dict

from reconciler.errors import StateError

SSLMODES = ("disable", "allow", "prefer", "require", "verify-ca", "verify-full")
_LOOPBACK = {"", "localhost", "127.0.0.1", "::1"}

# (what libpq says, what we say): the first match wins.
_CAUSES = (
    ('missing "="', "it is neither a postgresql:// URI nor key=value pairs"),
    ("invalid connection option", "it names an option libpq does not know"),
    ("invalid URI query parameter", "it names an option libpq does not know"),
    ("invalid URI", "it is not a valid postgresql:// URI"),
    ("invalid integer value", "a number in it (the port?) is not a number"),
    ("invalid port", "its port is not valid"),
    ("invalid sslmode value", f"its sslmode is not one of {', '.join(SSLMODES)}"),
    ("unterminated quoted string", "it has an unterminated quoted value"),
    ("does not support SSL", "the server does not support SSL, and SSL is required (sslmode)"),
    ("SSL", "the SSL connection failed (check `sslmode` and the server's certificate)"),
    ("Connection refused", "the server refused the connection (is it running, are host and port right?)"),
    ("failed to resolve host", "its host (or port) cannot be resolved"),
    ("could not translate host name", "its host cannot be resolved"),
    ("timeout expired", "the server did not answer in time"),
    ("password authentication failed", "the server refused the user or password"),
    ("no password supplied", "the server asks for a password the connection string does not give"),
    ("role", "the server refused the user (no such role?)"),
    ("pg_hba.conf", "the server does not accept this user, database or host (pg_hba.conf)"),
    ("database", "the database does not exist or cannot be used"),
)


def connect_options(dsn: str, sslmode: str | None) -> dict[str, str]:
    """Options given to `psycopg.connect` beside the DSN: the configured sslmode, else `require` for a host
    that is not this machine (unless the DSN names its own sslmode)."""
    if sslmode:
        return {"sslmode": sslmode}
    try:
        parts = conninfo_to_dict(dsn)
    except psycopg.Error:
        return {}  # the connection attempt reports the malformed string
    if parts.get("sslmode"):
        return {}
    hosts = str(parts.get("hostaddr") or parts.get("host") or "").split(",")
    if all(h.strip() in _LOOPBACK or h.strip().startswith("/") for h in hosts):
        return {}
    return {"sslmode": "require"}


def connection_error(exc: psycopg.Error, label: str) -> StateError:
    """A failed connection, explained without any part of the connection string."""
    text = str(exc)
    cause = next((said for found, said in _CAUSES if found in text), "")
    what = "is not valid" if isinstance(exc, psycopg.ProgrammingError) else "does not work"
    reason = (
        f": {cause}" if cause else f" ({type(exc).__name__}; libpq's message is not shown, it may quote it)"
    )
    return StateError(
        f"cannot connect to the PostgreSQL state backend: the connection string in {label} {what}{reason}",
        hint=f"check the connection string in {label}, the `state.sslmode` setting and that the server is up",
    )


def query_error(exc: psycopg.Error, what: str) -> StateError:
    """A failed statement on an open connection: the server's primary message (it never holds the DSN)."""
    primary = getattr(getattr(exc, "diag", None), "message_primary", None)
    return StateError(
        f"the PostgreSQL state backend failed to {what}: {primary or type(exc).__name__}",
        hint="check the database user's rights on the reconciler_* tables, then run the command again",
    )
