"""Rewriting a symbolic path through a table of what names stand for.

The table maps a dotted name to its value: ``app.llm.client -> openai.OpenAI()``, or
``factory:<value>`` for a function, whose *call* stands for that value
(``app.llm.ask -> factory:openai.OpenAI().chat.completions.create()``, from the
function's returns). The Python analyzer rewrites the paths of one file through its own
functions and properties; the link stage rewrites deferred paths through every module's
exports. No LibCST here: the link stage runs without it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

from lockscan.ruleset.index import SEGMENT_END

FACTORY = "factory:"
MAX_HOPS = 8  # chains of rewrites longer than this are not followed


def rewrite_once(path: str, table: Mapping[str, str]) -> str | None:
    """``path`` with its longest prefix found in ``table`` (ending on a segment boundary)
    replaced by its value; None when no prefix is known, or the prefix names a function
    that is not called there."""
    for cut in reversed(boundaries(path)):
        value = table.get(path[:cut])
        if value is None:
            continue
        rest = path[cut:]
        if value.startswith(FACTORY):
            if not rest.startswith("()"):
                return None
            return value[len(FACTORY):] + rest[2:]
        return value + rest
    return None


def rewrite(path: str, table: Mapping[str, str], done: Callable[[str], bool],
            hops: int = MAX_HOPS) -> str | None:
    """Rewrite ``path`` until ``done`` says it is (a vendor path, say); None when it never
    is within ``hops`` rewrites."""
    for _ in range(hops):
        if done(path):
            return path
        rewritten = rewrite_once(path, table)
        if rewritten is None or rewritten == path:
            return None
        path = rewritten
    return path if done(path) else None


def boundaries(path: str) -> list[int]:
    """Ascending offsets where a segment ends. A regex scan, not a loop per character:
    a rescan asks this for every export of the repo (~12k times on the stdlib)."""
    return [m.start() for m in SEGMENT_END.finditer(path)] + [len(path)]


def constructor_path(value: str) -> str | None:
    """The call-site path of the call whose value ``value`` is, when it is an instance:
    ``openai.OpenAI()@groq`` -> ``openai.OpenAI@groq``; ``boto3.client(bedrock-runtime)``
    stays as it is; None for anything else (``...create().choices``)."""
    found = _INSTANCE.fullmatch(value)
    if found is None:
        return None
    callee, literal, tag = found.groups()
    return callee + (f"({literal})" if literal else "") + (tag or "")


_INSTANCE = re.compile(r"([\w.]+)\(([\w-]*)\)(@\w+)?")


def ends_with_call(path: str, name: str) -> bool:
    """Whether ``path`` ends by calling ``name`` (with a literal argument or host tag)."""
    end = path.rfind(name + "(")
    if end < 0 or (end and path[end - 1] not in ".~"):
        return False
    rest = path[end + len(name):]
    close = rest.find(")")
    return close >= 0 and (close == len(rest) - 1 or rest[close + 1] == "@")
