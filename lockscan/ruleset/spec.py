"""Reading one rule's ``match`` table: the error a bad spec raises and the small typed
readers every matcher uses, so each matcher declares its fields and gets the same
clear messages ("`names`: a list of keyword names (non-empty)")."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from lockscan.ruleset.regex import PatternError, Regex, compile_text


class SpecError(ValueError):
    """A bad matcher spec; the loader prefixes the file, rule id and matcher name."""


@dataclass(frozen=True, slots=True)
class SpecContext:
    """What parsing a spec may need besides the spec itself: the file's ``[define]``
    table, whether the rules file ships with lockscan (``trusted``: may fall back to
    Python's ``re``), and the rule's kind (a default may depend on it)."""

    defines: Mapping[str, str]
    trusted: bool = False
    kind: str = ""


def table(spec: Any, allowed: Iterable[str]) -> dict[str, Any]:
    allowed = set(allowed)
    if not isinstance(spec, dict):
        raise SpecError(f"must be a table with keys {names(allowed)}")
    unknown = sorted(set(spec) - allowed)
    if unknown:
        raise SpecError(f"unknown key `{unknown[0]}`; expected one of {names(allowed)}")
    return spec


def str_list(value: Any, what: str, optional: bool = False) -> list[str]:
    if optional and value == []:
        return []
    if not is_str_list(value) or not value:
        raise SpecError(f"must be {what} (non-empty)")
    return list(value)


def is_str_list(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


def boolean(value: Any, what: str) -> bool:
    if not isinstance(value, bool):
        raise SpecError(f"{what} must be true or false")
    return value


def regex(value: Any, what: str, trusted: bool = False) -> Regex:
    """RE2 (linear time) for every rule; a bundled rule that needs lookaround falls back
    to Python's ``re``: those patterns ship with lockscan and are reviewed and tested,
    while users' rules, as untrusted as the code scanned, must compile with RE2."""
    if not isinstance(value, str) or not value:
        raise SpecError(f"{what} must be a non-empty regular expression string")
    try:
        return compile_text(value)
    except PatternError as exc:
        if trusted:
            try:
                return re.compile(value)
            except re.error:
                pass
        raise SpecError(f"{what} `{value}` is not a valid regex ({exc})") from exc


def optional_regex(spec: Mapping[str, Any], key: str, trusted: bool) -> Regex | None:
    value = spec.get(key)
    return None if value is None else regex(value, f"`{key}`", trusted)


def names(values: Iterable[str]) -> str:
    return ", ".join(sorted(values))
