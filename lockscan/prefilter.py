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
from lockscan.saferegex import MatchAll, PatternError, Regex, compile_bytes, search_fragment

_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
MIN_ATTR_ANCHOR = 6  # shorter attribute names (`type`) are too common to anchor on


def vocabulary(rules: RuleSet) -> list[str]:
    """Regex fragments; a file matching none of them cannot trigger any rule.

    Each fragment is a necessary condition of some rule, as selective as that rule
    allows: a dict key as a quoted string or keyword, a chain segment after a dot or
    as a quoted subscript, a comparison on its (long) attribute name."""
    module_words: set[str] = set()
    words: set[str] = set()
    patterns: set[str] = set()
    for vendor in rules.vendors:
        module_words.update(m.rsplit(".", 1)[-1] for m in vendor.modules)
    for rule in rules.rules:
        matcher = rule.matcher
        if isinstance(matcher, ImportMatcher):
            module_words.update(m.rsplit(".", 1)[-1] for m in matcher.modules)
        elif isinstance(matcher, EnvMatcher):
            words.update(matcher.names)
            # Settings-class fields spell them in lower case (`openai_api_key: str`).
            words.update(name.lower() for name in matcher.names)
        elif isinstance(matcher, DictMatcher):
            patterns.add(_dict_anchor(matcher))
        elif isinstance(matcher, AccessMatcher) and not matcher.require_resolved:
            for pattern in matcher.patterns:
                idents = _IDENT.findall(pattern)
                if idents:
                    ident = re.escape(_rarest(idents))
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
    fragments = [import_context(sorted(module_words))] if module_words else []
    fragments.extend(rf"\b{re.escape(w)}\b" for w in sorted(words))
    fragments.extend(sorted(patterns))
    return fragments


def import_context(modules: list[str]) -> str:
    """A vendor module name on an import line (or alone on a line of a parenthesised
    import list). Calls only resolve to a vendor through an import, and a module name
    such as `together` or `inference` is common English elsewhere; files that reach a
    vendor through another repo module are re-analyzed by the link stage anyway."""
    names = "|".join(re.escape(m) for m in modules)
    return (rf"(?m:^(?:\x{{FEFF}})?[ \t]*(?:from|import)[ \t][^\n]*\b(?:{names})\b"
            rf"|^[ \t]*(?:{names})[ \t]*(?:,|\)|$))")


# Chain segments that nearly every codebase uses; a chain rule anchors on a rarer one.
COMMON_SEGMENTS = frozenset({"message", "content", "text", "data", "name", "type", "id",
                             "value", "input", "output", "outputs", "result", "delta", "parts",
                             "role", "function", "parameters", "properties", "description",
                             "call"})


def _dict_anchor(matcher: DictMatcher) -> str:
    """A required key (quoted, or as a `dict(key=...)` keyword) or a required single
    literal value, whichever is least common."""
    keys = [(k, True) for k in matcher.keys]
    values = [(allowed[0], False) for _, allowed in matcher.values if len(allowed) == 1]
    word, is_key = min(keys + values, key=lambda c: (c[0] in COMMON_SEGMENTS, -len(c[0]), c[0]))
    quoted = rf"[\"']{re.escape(word)}[\"']"
    return rf"{quoted}|\b{re.escape(word)}\s*=" if is_key else quoted


def _rarest(idents: list[str]) -> str:
    """The identifier of a chain pattern least likely to appear by chance: one with an
    underscore (`tool_calls`), else the longest that is not a common word."""
    ranked = sorted(idents, key=lambda i: ("_" not in i, i in COMMON_SEGMENTS, -len(i), i))
    return ranked[0]


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
    return rules.derived("prefilter", compile_prefilter)

