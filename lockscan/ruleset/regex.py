"""Regular expressions from rules files, matched in linear time.

Rule regexes (``strings.regex``, ``strings.exclude``, ``keywords.value``) come from
users' rules folders, which on a pull request from a fork are as untrusted as the code
being scanned. Python's ``re`` backtracks: ``(a+)+$`` against ``"a" * 40 + "b"`` runs
for hours. They are compiled with RE2 instead, which matches in time linear in the
input for every pattern, so no rule can hang a scan and results never depend on
machine speed (a per-match timeout would make findings vary with load). The price:
RE2 has no lookaround and no backreferences; a rule that uses them is rejected when
it loads, with a message that says so. See docs/robustness.md.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any, Protocol

import re2

# The prefilter joins every rule's vocabulary into one pattern; give RE2 room for a
# large DFA so it stays on its fast path (linear either way).
PREFILTER_MAX_MEM = 64 << 20


class PatternError(ValueError):
    """A pattern RE2 cannot compile; the message says what to change."""


class Regex(Protocol):
    """What lockscan uses of a compiled pattern (``re.Pattern`` and RE2 both fit)."""

    pattern: Any

    def search(self, text: Any, /) -> Any: ...

    def fullmatch(self, text: Any, /) -> Any: ...


def _options(max_mem: int | None = None) -> re2.Options:
    options = re2.Options()
    options.log_errors = False  # RE2 would print to stderr; errors are reported once, here
    if max_mem is not None:
        options.max_mem = max_mem
    return options


def compile_text(pattern: str) -> Regex:
    """Compile a rule's regex; raise ``PatternError`` naming what to fix."""
    try:
        return re2.compile(pattern, _options())
    except re2.error as exc:
        raise PatternError(_reason(exc)) from exc


def compile_bytes(pattern: bytes, max_mem: int = PREFILTER_MAX_MEM) -> Regex:
    try:
        return re2.compile(pattern, _options(max_mem))
    except re2.error as exc:
        raise PatternError(_reason(exc)) from exc


class PatternSet:
    """Many RE2 patterns searched in one pass: which of them occur in a text
    (``whole``: which of them match the whole text)."""

    def __init__(
        self, patterns: list[bytes], max_mem: int = PREFILTER_MAX_MEM, whole: bool = False
    ) -> None:
        self._build(list(patterns), max_mem, whole)

    def _build(self, patterns: list[bytes], max_mem: int, whole: bool) -> None:
        self.source = (patterns, max_mem, whole)
        try:
            options = _options(max_mem)
            self.set = re2.Set.FullMatchSet(options) if whole else re2.Set.SearchSet(options)
            for pattern in patterns:
                self.set.Add(pattern)
            self.set.Compile()
        except re2.error as exc:
            raise PatternError(_reason(exc)) from exc

    def present(self, data: bytes) -> frozenset[int]:
        """Indices (in the order given) of the patterns that match somewhere in ``data``."""
        return frozenset(self.set.Match(data) or ())

    # An RE2 set cannot be pickled; a rule set travels to workers with what was built
    # from it (spawn, forkserver), so the set is rebuilt from its patterns there.
    def __getstate__(self) -> tuple[list[bytes], int, bool]:
        return self.source

    def __setstate__(self, state: tuple[list[bytes], int, bool]) -> None:
        self._build(*state)


def searchable(text: str) -> str:
    """``text`` as RE2 can take it: RE2 works on UTF-8, and a literal such as ``"\\ud800"``
    (or a JSON string in a notebook) holds a lone surrogate that UTF-8 cannot encode.
    Such code points become U+FFFD; everything else is returned unchanged."""
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        return text.encode("utf-8", "surrogatepass").decode("utf-8", "replace")


def searchable_utf8(text: str) -> bytes:
    """``searchable(text)`` encoded as UTF-8, encoding only once for valid text."""
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        return searchable(text).encode("utf-8")


def _reason(exc: Exception) -> str:
    raw = exc.args[0] if exc.args else exc
    text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)
    if "perl operator" in text or "escape sequence: \\" in text:
        text += ("; lookaround ((?=, (?!, (?<=, (?<!) and backreferences are not supported "
                 "(lockscan matches rule regexes in linear time with RE2): rewrite without them")
    return text


class MatchAll:
    """Stands in when a joined vocabulary is too large for RE2: every input may match."""

    pattern = b""

    def search(self, data: object) -> bool:
        return True


# Anchors that are not escaped and do not open a negated class.
_ANCHOR = re.compile(r"(?<![\\\[])\^|(?<!\\)\$")


def search_fragment(pattern: str) -> str:
    """A string rule's regex as an RE2 search fragment over raw source: lookaround
    dropped and anchors relaxed, so it matches wherever the rule could."""
    return unanchor(_without_lookaround(pattern))


def _without_lookaround(pattern: str) -> str:
    """Drop ``(?=...)``, ``(?!...)``, ``(?<=...)``, ``(?<!...)`` groups (bundled rules may
    use them; RE2 cannot). Dropping a condition only widens the match, so the prefilter
    stays a necessary condition."""
    out: list[str] = []
    pos = 0
    while pos < len(pattern):
        if pattern.startswith(("(?=", "(?!", "(?<=", "(?<!"), pos):
            pos = _group_end(pattern, pos)
            continue
        step = 2 if pattern[pos] == "\\" else 1
        out.append(pattern[pos:pos + step])
        pos += step
    return "".join(out)


def syntax_characters(pattern: str, start: int = 0) -> Iterator[tuple[int, str, int]]:
    """(index, character, group depth before it) of each character of ``pattern`` from
    ``start`` that is regex syntax: not escaped and not inside a character class."""
    depth, pos, in_class = 0, start, False
    while pos < len(pattern):
        char = pattern[pos]
        if char == "\\":
            pos += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        else:
            yield pos, char, depth
            depth += (char == "(") - (char == ")")
        pos += 1


def _group_end(pattern: str, start: int) -> int:
    """Index after the group opening at ``start`` (escapes and classes respected)."""
    for pos, char, depth in syntax_characters(pattern, start):
        if char == ")" and depth == 1:
            return pos + 1
    return len(pattern)


def unanchor(pattern: str) -> str:
    """A full-match string regex as a search over source bytes: ``^``/``$`` become
    word boundaries (the literal sits between quotes in the source). RE2 has no
    lookaround, so the boundary consumes the neighbouring character, which changes
    nothing for a yes/no search."""
    starts = pattern.startswith("^")
    ends = bool(re.search(r"(?<!\\)\$$", pattern))
    body = pattern[1 if starts else 0: len(pattern) - 1 if ends else len(pattern)]
    # Anchors inside alternatives are dropped (a wider match), before the boundaries
    # below add their own `^`/`$`.
    body = _ANCHOR.sub("", body)
    prefix = r"(?:^|[^A-Za-z0-9_])" if starts else ""
    suffix = r"(?:$|[^A-Za-z0-9_])" if ends else ""
    return f"{prefix}(?:{body}){suffix}"
