"""Path patterns: how rules name a call path or a response chain.

``openai.OpenAI().chat.completions.create``, ``**.choices[].message.content``: segments
separated by ``.``, ``()`` a call, ``[]`` a subscript, ``*`` one name, ``**`` any names
and subscripts, ``{a,b}`` alternatives, ``${NAME}`` a definition from the file's
``[define]`` table. Each pattern becomes a Python regex over the symbolic paths the
engine builds (``lockscan.model.sites``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from lockscan.ruleset.spec import SpecError


class PathRegex:
    """A path-pattern regex compiled on first use. Loading the rules builds ~200 of
    them (~0.4 s of ``re.compile``), and a rescan served from the cache matches none."""

    __slots__ = ("_compiled", "pattern")

    def __init__(self, pattern: str) -> None:
        self.pattern = pattern
        self._compiled: re.Pattern[str] | None = None

    def _regex(self) -> re.Pattern[str]:
        if self._compiled is None:
            self._compiled = re.compile(self.pattern)
        return self._compiled

    def fullmatch(self, text: str) -> re.Match[str] | None:
        return self._regex().fullmatch(text)

    def search(self, text: str) -> re.Match[str] | None:
        return self._regex().search(text)

    def match(self, text: str, pos: int) -> re.Match[str] | None:
        return self._regex().match(text, pos)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PathRegex) and other.pattern == self.pattern

    def __hash__(self) -> int:
        return hash(self.pattern)

    def __repr__(self) -> str:
        return f"PathRegex({self.pattern!r})"

    def __getstate__(self) -> str:
        return self.pattern  # workers compile their own copy on first use

    def __setstate__(self, state: str) -> None:
        self.pattern = state
        self._compiled = None


_DEFINE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")


def expand_defines(patterns: list[str], defines: Mapping[str, str]) -> list[str]:
    return [_expand(p, defines) for p in patterns]


def _expand(pattern: str, defines: Mapping[str, str], depth: int = 0) -> str:
    if depth > 5:
        raise SpecError(f"`{pattern}`: ${{...}} definitions nest too deeply")

    def replace(m: re.Match[str]) -> str:
        if m.group(1) not in defines:
            raise SpecError(f"`{pattern}`: ${{{m.group(1)}}} is not in [define]")
        return _expand(defines[m.group(1)], defines, depth + 1)

    return _DEFINE.sub(replace, pattern)


def path_pattern_regex(pattern: str) -> str:
    """Translate a path pattern to a regex.

    Syntax: segments separated by ``.``, ``()`` a call, ``(lit)`` a call whose first
    argument is the string literal ``lit`` (only for ``argument_calls``), ``[]`` a
    subscript, ``*`` one name, ``**`` any names and subscripts (not calls), ``{a,b.c}``
    alternatives (nestable).
    """
    out: list[str] = []
    pos = 0
    while pos < len(pattern):
        if pattern.startswith("**", pos):
            out.append(r"[A-Za-z0-9_.\[\]]*?")  # any segments, never across a call
            pos += 2
        elif pattern[pos] == "*":
            out.append(r"[A-Za-z0-9_]+")
            pos += 1
        elif pattern[pos] == "{":
            options, pos = alternatives_at(pattern, pos)
            out.append("(?:" + "|".join(path_pattern_regex(o) for o in options) + ")")
        elif pattern.startswith(("()", "[]"), pos):
            out.append(re.escape(pattern[pos:pos + 2]))
            pos += 2
        elif pattern[pos] == "(":
            # A call with a literal first argument (see Vendor.argument_calls).
            close = pattern.find(")", pos)
            inner = pattern[pos + 1:close] if close > pos else ""
            if not inner or not re.fullmatch(r"[A-Za-z0-9_{},-]+", inner):
                raise SpecError(f"`{pattern}`: `(` must be `()` or `(literal)`, e.g. "
                                 "`boto3.client(bedrock-runtime)`")
            out.append(r"\(" + path_pattern_regex(inner) + r"\)")
            pos = close + 1
        elif (run := _LITERAL_RUN.match(pattern, pos)) is not None:
            # A whole run of literal characters at once, found by one regex call: loading
            # the rules translates ~27k characters, and a Python loop per character was
            # most of a warm rescan's rule validation.
            out.append(re.escape(run.group()))
            pos = run.end()
        else:
            raise SpecError(
                f"`{pattern}`: character {pattern[pos]!r} is not allowed in a path pattern"
            )
    return "".join(out)


# `\w` is exactly `str.isalnum()` plus `_` for str patterns: letters and digits of any
# script, as the literal test has always allowed.
_LITERAL_RUN = re.compile(r"[\w.\-]+")


def alternatives_at(pattern: str, start: int) -> tuple[list[str], int]:
    """The comma-separated options of the ``{...}`` opening at ``start`` (nested braces
    kept whole), and the index after its closing brace."""
    close = _matching_brace(pattern, start)
    return _split_top_level(pattern[start + 1:close]), close + 1


def _matching_brace(pattern: str, start: int) -> int:
    depth = 0
    for pos in range(start, len(pattern)):
        if pattern[pos] == "{":
            depth += 1
        elif pattern[pos] == "}":
            depth -= 1
            if depth == 0:
                return pos
    raise SpecError(f"`{pattern}`: unclosed `{{`")


def _split_top_level(text: str) -> list[str]:
    parts, depth, current = [], 0, []
    for ch in text:
        if ch == "," and depth == 0:
            parts.append("".join(current))
            current = []
            continue
        depth += (ch == "{") - (ch == "}")
        current.append(ch)
    parts.append("".join(current))
    return parts


def compile_paths(patterns: list[str], anchored: bool) -> PathRegex:
    if not patterns:
        raise SpecError("needs at least one pattern")
    body = "|".join(f"(?:{path_pattern_regex(p)})" for p in patterns)
    if anchored:
        return PathRegex(f"(?:{body})")
    # Unanchored: match whole segments anywhere in the chain.
    return PathRegex(rf"(?:^|(?<=[.\])]))(?:{body})(?=$|[.(\[])")
