"""Sensitive values shown as `***NAME***`, and put back where they are needed.

`redact` replaces, in any JSON-like value (mappings, lists, text, numbers), each sensitive value by the
placeholder of its variable: inside text for a text value, as the whole value for a number. `restore`
puts the values back: a placeholder that is a whole value becomes the value itself (with its type),
one inside text becomes its text.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

_PLACEHOLDER = re.compile(r"\*\*\*([A-Za-z_][A-Za-z0-9_]*)\*\*\*")


def placeholder(name: str) -> str:
    return f"***{name}***"


def redact(value: Any, secrets: Mapping[str, Any]) -> Any:
    """`value` with every sensitive value replaced by its placeholder."""
    if not secrets:
        return value
    texts = sorted(
        ((str(v), placeholder(n)) for n, v in secrets.items() if isinstance(v, str) and v),
        key=lambda pair: -len(pair[0]),
    )
    numbers = {(type(v), v): placeholder(n) for n, v in secrets.items() if isinstance(v, int | float)}
    return _redact(value, texts, numbers)


def _redact(value: Any, texts: list[tuple[str, str]], numbers: dict[tuple[type, Any], str]) -> Any:
    if isinstance(value, str):
        for secret, shown in texts:
            if secret in value:
                value = value.replace(secret, shown)
        return value
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return numbers.get((type(value), value), value)
    if isinstance(value, Mapping):
        return {_redact(k, texts, numbers): _redact(v, texts, numbers) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_redact(item, texts, numbers) for item in value]
    return value


def redact_text(text: str, secrets: Mapping[str, Any]) -> str:
    """`text` with every sensitive value (text or number, as written) replaced by its placeholder."""
    for name, secret in sorted(secrets.items(), key=lambda pair: -len(str(pair[1]))):
        if str(secret):
            text = text.replace(str(secret), placeholder(name))
    return text


def restore(value: Any, secrets: Mapping[str, Any]) -> Any:
    """`value` with every placeholder of a variable of `secrets` replaced by the variable's value."""
    if not secrets:
        return value
    if isinstance(value, str):
        whole = _PLACEHOLDER.fullmatch(value)
        if whole is not None and whole.group(1) in secrets:
            return secrets[whole.group(1)]
        return _PLACEHOLDER.sub(lambda m: str(secrets.get(m.group(1), m.group(0))), value)
    if isinstance(value, Mapping):
        return {restore(k, secrets): restore(v, secrets) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [restore(item, secrets) for item in value]
    return value


def placeholders(value: Any) -> set[str]:
    """The names of the placeholders found in `value`."""
    if isinstance(value, str):
        return set(_PLACEHOLDER.findall(value))
    if isinstance(value, Mapping):
        return set().union(*(placeholders(k) | placeholders(v) for k, v in value.items()))
    if isinstance(value, list | tuple):
        return set().union(*(placeholders(item) for item in value))
    return set()
