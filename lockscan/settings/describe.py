"""``lockscan config``: the effective value of every key and where it came from, as
TOML a user can paste into ``[tool.lockscan]``."""

from __future__ import annotations

from typing import Any

from lockscan.settings.load import DEFAULT, Settings


def describe(settings: Settings) -> str:
    """One ``key = value  # source`` line per key, in the option table's order."""
    header = (f"# config file: {settings.config_file}" if settings.config_file
              else "# config file: none (defaults)")
    lines = [header]
    for key, value in settings.values().items():
        source = settings.sources.get(key, DEFAULT)
        if value is None:  # TOML has no null: show the key as a comment
            lines.append(f"# {key} is not set  # {source}")
        else:
            lines.append(f"{key} = {_toml(value)}  # {source}")
    return "\n".join(lines) + "\n"


def _toml(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, str):
        return _quote(value)
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_quote(k)} = {_toml(v)}" for k, v in value.items()) + "}"
    return "[" + ", ".join(_toml(v) for v in value) + "]"


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
