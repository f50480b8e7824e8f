"""The objects of a JSON document with where each starts, for the dict rules: a tool
definition or a few-shot tool call written in a ``.json`` file is the same coupling as
the dict literal in code."""

from __future__ import annotations

import re
from json.decoder import scanstring

MAX_DEPTH = 64  # deeper documents are data, not configuration
_SPACE = re.compile(r"[ \t\n\r]*")
_SCALAR = re.compile(r"-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?|true|false|null")


class NotJson(ValueError):
    """Not one JSON document (a JSON Lines file, a comment, a template)."""


def json_objects(text: str) -> list[tuple[int, dict[str, object]]]:
    """(offset of ``{``, object) of every object in ``text``, outer before inner; empty
    when ``text`` is not one JSON document."""
    found: list[tuple[int, dict[str, object]]] = []
    try:
        _, end = _value(text, _skip(text, 0), found, 0)
    except (NotJson, RecursionError, ValueError, IndexError):
        return []
    if _skip(text, end) != len(text):
        return []
    return sorted(found, key=lambda item: item[0])


def _skip(text: str, at: int) -> int:
    return _SPACE.match(text, at).end()  # type: ignore[union-attr]


def _value(text: str, at: int, found: list[tuple[int, dict[str, object]]],
           depth: int) -> tuple[object, int]:
    if depth > MAX_DEPTH:
        raise NotJson("too deep")
    char = text[at]
    if char == '"':
        return scanstring(text, at + 1)
    if char == "{":
        return _object(text, at, found, depth)
    if char == "[":
        items = []
        at = _skip(text, at + 1)
        if text[at] == "]":
            return items, at + 1
        while True:
            item, at = _value(text, at, found, depth + 1)
            items.append(item)
            at = _skip(text, at)
            if text[at] == "]":
                return items, at + 1
            if text[at] != ",":
                raise NotJson(at)
            at = _skip(text, at + 1)
    scalar = _SCALAR.match(text, at)
    if scalar is None:
        raise NotJson(at)
    return None, scalar.end()


def _object(text: str, start: int, found: list[tuple[int, dict[str, object]]],
            depth: int) -> tuple[object, int]:
    entries: dict[str, object] = {}
    at = _skip(text, start + 1)
    if text[at] == "}":
        found.append((start, entries))
        return entries, at + 1
    while True:
        if text[at] != '"':
            raise NotJson(at)
        key, at = scanstring(text, at + 1)
        at = _skip(text, at)
        if text[at] != ":":
            raise NotJson(at)
        entries[key], at = _value(text, _skip(text, at + 1), found, depth + 1)
        at = _skip(text, at)
        if text[at] == "}":
            found.append((start, entries))
            return entries, at + 1
        if text[at] != ",":
            raise NotJson(at)
        at = _skip(text, at + 1)


def dict_shapes(entries: dict[str, object]) -> tuple[
        frozenset[str], tuple[tuple[str, str], ...], tuple[tuple[str, frozenset[str]], ...]]:
    """What a ``DictFact`` holds of an object: its keys, its string values, the keys of
    its object values."""
    values = tuple((k, v) for k, v in entries.items() if isinstance(v, str))
    nested = tuple((k, frozenset(v)) for k, v in entries.items() if isinstance(v, dict))
    return frozenset(entries), values, nested
