"""Words a matcher's prefilter terms are made of: which identifiers are too common to
anchor on, and path patterns spelled out into their alternatives."""

from __future__ import annotations

import re
from itertools import product

from lockscan.ruleset.paths import alternatives_at

IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
MIN_ATTR_ANCHOR = 6  # shorter attribute names (`type`) are too common to anchor on
MAX_EXPANSIONS = 256  # alternatives of one chain pattern checked one by one, at most

# Chain segments that nearly every codebase uses; a chain rule anchors on a rarer one.
COMMON_SEGMENTS = frozenset({"message", "content", "text", "data", "name", "type", "id",
                             "value", "input", "output", "outputs", "result", "delta", "parts",
                             "role", "function", "parameters", "properties", "description",
                             "call"})


def rank(ident: str) -> tuple[bool, bool, int, str]:
    """Lowest for the identifier least likely to appear by chance: one with an
    underscore (`tool_calls`), else the longest that is not a common word."""
    return ("_" not in ident, ident in COMMON_SEGMENTS, -len(ident), ident)


def expand(pattern: str) -> list[str] | None:
    """Every alternative of a path pattern spelled out (``{a,b}.c`` -> ``a.c``, ``b.c``);
    None past MAX_EXPANSIONS. Wildcards stay as they are: they require no word."""
    parts: list[list[str]] = []
    pos = 0
    while pos < len(pattern):
        if pattern[pos] == "{":
            alternatives, pos = alternatives_at(pattern, pos)
            options: list[str] = []
            for option in alternatives:
                inner = expand(option)
                if inner is None:
                    return None
                options.extend(inner)
            parts.append(options)
        else:
            parts.append([pattern[pos]])
            pos += 1
    total = 1
    for options in parts:
        total *= len(options)
        if total > MAX_EXPANSIONS:
            return None
    return ["".join(combination) for combination in product(*parts)]
