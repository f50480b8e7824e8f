"""Decide from raw bytes whether a file needs full analysis.

One compiled regex built from every rule's vocabulary: vendor module names, env var
names, string patterns, dict keys, unresolved chain and comparison words. A file with
no hit cannot produce a finding by itself, so it contributes only its imports to the
graph (the link stage re-analyzes it if it imports a vendor-bound name from the repo).
"""

from __future__ import annotations

import re

from lockscan.rules import (
    AccessMatcher,
    CompareMatcher,
    DictMatcher,
    EnvMatcher,
    ImportMatcher,
    RuleSet,
    StringMatcher,
)
from lockscan.saferegex import PatternError, Regex, compile_bytes

_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
MIN_ATTR_ANCHOR = 6  # shorter attribute names (`type`) are too common to anchor on
_ANCHOR = re.compile(r"(?<![\\\[])\^|(?<!\\)\$")


def vocabulary(rules: RuleSet) -> list[str]:
    """Regex fragments; a file matching none of them cannot trigger any rule.

    Each fragment is a necessary condition of some rule, as selective as that rule
    allows: a dict key as a quoted string or keyword, a chain segment after a dot or
    as a quoted subscript, a comparison on its (long) attribute name."""
    words: set[str] = set()
    patterns: set[str] = set()
    for vendor in rules.vendors:
        words.update(m.rsplit(".", 1)[-1] for m in vendor.modules)
    for rule in rules.rules:
        matcher = rule.matcher
        if isinstance(matcher, ImportMatcher):
            words.update(m.rsplit(".", 1)[-1] for m in matcher.modules)
        elif isinstance(matcher, EnvMatcher):
            words.update(matcher.names)
            # Settings-class fields spell them in lower case (`openai_api_key: str`).
            words.update(name.lower() for name in matcher.names)
        elif isinstance(matcher, DictMatcher):
            key = re.escape(max(sorted(matcher.keys), key=len))
            patterns.add(rf"[\"']{key}[\"']|\b{key}\s*=")
        elif isinstance(matcher, AccessMatcher) and not matcher.require_resolved:
            for pattern in matcher.patterns:
                idents = _IDENT.findall(pattern)
                if idents:
                    ident = re.escape(max(idents, key=len))
                    patterns.add(rf"\.\s*{ident}\b|[\"']{ident}[\"']")
        elif isinstance(matcher, CompareMatcher) and not matcher.require_resolved:
            long_attrs = [a for a in matcher.attrs if len(a) >= MIN_ATTR_ANCHOR]
            if len(long_attrs) == len(matcher.attrs):
                words.update(long_attrs)
            else:
                patterns.update(rf"[\"']{re.escape(v)}[\"']" for v in matcher.values)
        elif isinstance(matcher, StringMatcher):
            patterns.update(search_fragment(r.pattern) for r in matcher.regexes)
            patterns.update(re.escape(key) for key, _ in matcher.table)
    fragments = [rf"\b{re.escape(w)}\b" for w in sorted(words)]
    fragments.extend(sorted(patterns))
    return fragments


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


def _group_end(pattern: str, start: int) -> int:
    """Index after the group opening at ``start`` (escapes and classes respected)."""
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
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                return pos + 1
        pos += 1
    return len(pattern)


def unanchor(pattern: str) -> str:
    """A full-match string regex as a search over source bytes: ``^``/``$`` become
    word boundaries (the literal sits between quotes in the source). RE2 has no
    lookaround, so the boundary consumes the neighbouring character, which changes
    nothing for a yes/no search."""
    pattern = re.sub(r"^\^", lambda _: r"(?:^|[^A-Za-z0-9_])", pattern)
    pattern = re.sub(r"(?<!\\)\$$", lambda _: r"(?:$|[^A-Za-z0-9_])", pattern)
    return _ANCHOR.sub("", pattern)


class MatchAll:
    """Stands in when a joined vocabulary is too large for RE2: every input may match."""

    pattern = b""

    def search(self, data: object) -> bool:
        return True


def compile_prefilter(rules: RuleSet) -> Regex | MatchAll:
    """One RE2 pattern (linear time: rules' regexes are user input, see saferegex)."""
    fragments = vocabulary(rules)
    if not fragments:
        return compile_bytes(rb"[^\x00-\x{10FFFF}]")  # matches nothing
    try:
        return compile_bytes("|".join(f"(?:{f})" for f in fragments).encode("utf-8"))
    except PatternError:
        return MatchAll()  # slower, never wrong: a prefilter may only say "maybe"


def needs_analysis(data: bytes, prefilter: Regex | MatchAll) -> bool:
    return bool(prefilter.search(data))


def prefilter_for(rules: RuleSet) -> Regex | MatchAll:
    """The compiled prefilter of a rule set, built once and kept on it."""
    compiled = rules.cache.get("prefilter")
    if compiled is None:
        compiled = rules.cache["prefilter"] = compile_prefilter(rules)
    return compiled

