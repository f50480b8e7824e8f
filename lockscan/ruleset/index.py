"""Where a rule is matched: the rule set compiled into one group per matcher, and the
vendor module table every group trusts.

The engine extracts facts (``lockscan.model.sites``) and asks ``RuleIndex.hits`` which
rules they trigger; the link stage asks again for sites that only resolve once other
files are known. Each fact goes to the groups whose matcher reads its type. Nothing
here parses or reads files.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from lockscan.model import (
    AssignFact,
    CallSite,
    ChainSite,
    CompareSite,
    Fact,
    KeywordSite,
    TextValueFact,
)
from lockscan.ruleset.matchers import REGISTRY, Group, Hit, Matcher
from lockscan.ruleset.regex import MatchAll, PatternError, Regex, compile_text

if TYPE_CHECKING:
    from lockscan.ruleset.model import Rule, RuleSet

SEGMENT_END = re.compile(r"[.(\[]")  # where a path segment ends: `.`, a call, a subscript
_VENDOR_TAG = re.compile(r"@([a-z0-9_]+)")
# Facts whose path may carry a host tag (``openai.OpenAI()@together``): the tag is taken
# off before matching and becomes the vendor of every hit.
TAGGED = (CallSite, ChainSite, CompareSite, KeywordSite, AssignFact)


class RuleIndex:
    """Build with ``RuleSet.index``. Groups are built on first use: a rescan served
    from the cache matches nothing."""

    def __init__(self, rules: RuleSet) -> None:
        self.rules = rules
        self.vendor_modules = {v.id: v.modules for v in rules.vendors}
        self.all_vendor_modules = tuple(sorted({m for v in rules.vendors for m in v.modules}))
        self.vendor_module_set = frozenset(self.all_vendor_modules)
        # First segments of every vendor module: most paths fail on their first segment.
        self.vendor_roots = frozenset(SEGMENT_END.split(m, 1)[0] for m in self.all_vendor_modules)
        self.portable_modules = frozenset(m for v in rules.vendors if v.portable for m in v.modules)
        self.portable_roots = frozenset(SEGMENT_END.split(m, 1)[0] for m in self.portable_modules)
        # Module names are dotted words: a longer prefix, or one past a call or a
        # subscript, names none of them.
        self.module_dots = max((m.count(".") for m in self.vendor_module_set), default=0)
        self._groups: dict[type[Matcher], Group[Any]] = {}
        self._readers: dict[type, tuple[type[Matcher], ...]] = {}
        self._screens: dict[str, Regex | MatchAll] = {}

    # ---------------------------------------------------------------- matching

    def hits(self, fact: Fact) -> list[Hit]:
        """Every rule ``fact`` triggers, group by group in registry order."""
        if isinstance(fact, TAGGED) and "@" in fact.path:
            path, vendor = split_vendor(fact.path)
            if vendor:
                return [replace(hit, vendor=vendor)
                        for hit in self.hits(replace(fact, path=path))]
        found: list[Hit] = []
        for matcher in self._readers_of(type(fact)):
            found.extend(self.group(matcher).match(fact))
        if len(found) > 1 and any(is_fallback(hit) for hit in found):
            named = {hit.rule.kind for hit in found if not is_fallback(hit)}
            found = [hit for hit in found if not (is_fallback(hit) and hit.rule.kind in named)]
        return found

    def group(self, matcher: type[Matcher]) -> Group[Any]:
        """The group of every rule that uses ``matcher``."""
        built = self._groups.get(matcher)
        if built is None:
            built = self._groups[matcher] = matcher.group(self.members(matcher), self)
        return built

    def members(self, matcher: type[Matcher]) -> list[tuple[Rule, Any]]:
        """(rule, its matcher) for every rule using ``matcher``, in rule order."""
        return [(rule, rule.matcher) for rule in self.rules.rules
                if type(rule.matcher) is matcher]

    def _readers_of(self, fact_type: type) -> tuple[type[Matcher], ...]:
        readers = self._readers.get(fact_type)
        if readers is None:
            used = {type(rule.matcher) for rule in self.rules.rules}
            readers = self._readers[fact_type] = tuple(
                m for m in REGISTRY.values() if fact_type in m.facts and m in used)
        return readers

    def text_screen(self, file_kind: str) -> Regex | MatchAll:
        """One RE2 pattern that every config value able to hit a rule matches, so most
        lines cost one search instead of one per rule."""
        screen = self._screens.get(file_kind)
        if screen is None:
            fragments: list[str] | None = []
            for matcher in self._readers_of(TextValueFact):
                own = self.group(matcher).text_screen(file_kind)
                fragments = None if own is None or fragments is None else fragments + own
            screen = self._screens[file_kind] = _screen(fragments)
        return screen

    # ---------------------------------------------------------------- vendors

    def is_vendor_path(self, path: str) -> bool:
        """``path`` is a vendor module or starts with one followed by ``.``, ``(``, ``[``.
        A set lookup per segment boundary: the link stage asks this for every export of
        a repo, and a loop over ~80 module prefixes per question dominated a rescan."""
        return _has_module_prefix(path, self.vendor_roots, self.vendor_module_set,
                                  self.module_dots)

    def is_portable_path(self, path: str) -> bool:
        """``path`` is rooted in a portable layer's module (litellm), as ``is_vendor_path``."""
        return _has_module_prefix(path, self.portable_roots, self.portable_modules,
                                  self.module_dots)

    def owner_matches(self, rule: Rule, path: str, roots: Sequence[str]) -> bool | None:
        """True: the path is rooted in the rule's vendor; False: in another vendor; None: neither."""
        own = roots or self.vendor_modules.get(rule.vendor, ())
        if any(_has_prefix(path, m) for m in own):
            return True
        if self.is_vendor_path(path):
            return False
        return None

    def confidence(self, rule: Rule, path: str, resolved: bool, require: bool,
                   roots: Sequence[str]) -> str | None:
        """For a shape rule: high when the chain is rooted in the rule's vendor, medium
        when its root is unknown, None when it belongs to another vendor (or must be
        resolved and is not)."""
        if resolved:
            owner = self.owner_matches(rule, path, roots)
            if owner is True:
                return "high"
            if owner is False or require:
                return None
            return "medium"
        return None if require else "medium"


def is_fallback(hit: Hit) -> bool:
    """Whether ``hit`` came from a fallback matcher (``Matcher.fallback``)."""
    return hit.rule.matcher.falls_back()


def split_vendor(path: str) -> tuple[str, str | None]:
    """A path without its ``@vendor`` tags, and the last tag (the host a client was
    pointed at, see ``lockscan.engine.python.endpoints``)."""
    if "@" not in path:
        return path, None
    tags = _VENDOR_TAG.findall(path)
    return _VENDOR_TAG.sub("", path), (tags[-1] if tags else None)


def _has_module_prefix(path: str, roots: frozenset[str], modules: frozenset[str],
                       most_dots: int) -> bool:
    """``path`` is one of ``modules`` or starts with one followed by ``.``, ``(``, ``[``:
    most paths fail on their first segment (``roots``: the modules' first segments), the
    rest get a set lookup per segment boundary, up to the first call or subscript and no
    deeper than the longest module name."""
    if SEGMENT_END.split(path, 1)[0] not in roots:
        return False
    if path in modules:
        return True
    for dots, end in enumerate(SEGMENT_END.finditer(path)):
        if dots > most_dots:
            return False
        if path[:end.start()] in modules:
            return True
        if end.group() != ".":
            return False
    return False


def _has_prefix(path: str, module: str) -> bool:
    return path == module or (
        path.startswith(module) and path[len(module)] in ".([" if len(path) > len(module) else False
    )


def _screen(fragments: list[str] | None) -> Regex | MatchAll:
    if fragments is None:
        return MatchAll()
    try:
        return compile_text("|".join(f"(?:{f})" for f in fragments)) if fragments \
            else compile_text(r"[^\x00-\x{10FFFF}]")
    except PatternError:
        return MatchAll()  # slower, never wrong: a screen may only say "maybe"
