"""Date-times as every layer reads them: ISO 8601 text with `Z` or an offset (none means UTC), and their
one canonical spelling, `YYYY-MM-DDTHH:MM:SSZ` in UTC."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import lru_cache
from typing import Any


def parse_instant(value: Any) -> datetime | None:
    """The aware date-time an ISO 8601 text gives (without an offset: UTC), else None."""
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def utc_text(value: Any) -> str | None:
    """The date-time as `YYYY-MM-DDTHH:MM:SSZ` in UTC (fractions dropped), else None."""
    return _utc_text(value) if isinstance(value, str) else None


@lru_cache(maxsize=4096)
def _utc_text(text: str) -> str | None:
    """`utc_text` of a text, remembered: the same few dates come back on thousands of objects."""
    moment = parse_instant(text)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ") if moment else None
