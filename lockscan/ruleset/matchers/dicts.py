"""``match.dict``: a dict literal (or ``dict(...)`` call) with all the given keys, the
given literal values and nested dicts with the given keys: a vendor's tool or message
format (``{"type": "function", "function": {"name": ...}}``)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from lockscan.model import DictFact
from lockscan.ruleset.matchers.base import NO_TERMS, AnyOf, Atom, Clause, Group, Hit, Matcher, Terms
from lockscan.ruleset.matchers.words import COMMON_SEGMENTS
from lockscan.ruleset.regex import Regex
from lockscan.ruleset.spec import SpecContext, SpecError, regex, str_list, table

if TYPE_CHECKING:
    from lockscan.ruleset.index import RuleIndex
    from lockscan.ruleset.model import Rule


@dataclass(frozen=True, slots=True)
class DictMatcher(Matcher):
    """``last_in_list_of``: the dict must also end a list literal of two or more dicts
    that all have that key (a messages list ending with an assistant turn).
    ``patterns``: a key's value must be a literal string the regex finds (an assistant
    turn whose content opens a JSON object, ``"{"``); ``unless``: the dict does not
    match when a key's literal value is found by the regex (a finished sentence is
    chat history, not a prefill); a value that is not a literal passes ``unless``."""

    keys: frozenset[str]
    values: tuple[tuple[str, tuple[str, ...]], ...]
    nested: tuple[tuple[str, frozenset[str]], ...]
    absent: frozenset[str]
    last_in_list_of: str | None = None
    patterns: tuple[tuple[str, Regex], ...] = ()
    unless: tuple[tuple[str, Regex], ...] = ()

    name: ClassVar[str] = "dict"
    facts: ClassVar[tuple[type, ...]] = (DictFact,)

    @classmethod
    def parse(cls, spec: Any, context: SpecContext) -> DictMatcher:
        fields = table(spec, {"keys", "values", "nested", "absent", "last_in_list_of",
                              "patterns", "unless"})
        last_in_list_of = fields.get("last_in_list_of")
        if last_in_list_of is not None and not isinstance(last_in_list_of, str):
            raise SpecError("`last_in_list_of` must be a key name")
        values = fields.get("values", {})
        if not isinstance(values, dict):
            raise SpecError("`values` must map keys to a string or list of strings")
        nested = fields.get("nested", {})
        if not isinstance(nested, dict):
            raise SpecError("`nested` must map keys to lists of keys")
        keys = frozenset(str_list(fields.get("keys", []), "`keys`: a list of strings", True))
        value_pairs = tuple(
            sorted((k, tuple([v] if isinstance(v, str) else str_list(v, f"`values.{k}`")))
                   for k, v in values.items())
        )
        nested_pairs = tuple(
            sorted((k, frozenset(str_list(v, f"`nested.{k}`"))) for k, v in nested.items())
        )
        patterns = _regexes(fields.get("patterns", {}), "patterns", context.trusted)
        unless = _regexes(fields.get("unless", {}), "unless", context.trusted)
        if not keys and not value_pairs:
            raise SpecError("give `keys` or `values`")
        return cls(
            keys=(keys | {k for k, _ in value_pairs} | {k for k, _ in nested_pairs}
                  | {k for k, _ in patterns}),
            values=value_pairs,
            nested=nested_pairs,
            absent=frozenset(str_list(fields.get("absent", []), "`absent`", optional=True)),
            last_in_list_of=last_in_list_of,
            patterns=patterns,
            unless=unless,
        )

    def terms(self, file_kind: str) -> Terms:
        return Terms(clauses=(self.clause(),)) if file_kind == "python" else NO_TERMS

    def clause(self) -> Clause:
        """Every key (its own and its nested dicts'), and one allowed value per valued
        key; the least common of the required keys and single values is the anchor."""
        groups: dict[AnyOf, tuple[bool, str]] = {}  # group -> (is common, word) for ranking
        for key in self.keys | {k for _, keys in self.nested for k in keys}:
            groups[(Atom("key", key),)] = (key in COMMON_SEGMENTS, key)
        for _, allowed in self.values:
            group = tuple(Atom("quoted", v) for v in sorted(allowed))
            groups[group] = (len(allowed) > 1 or allowed[0] in COMMON_SEGMENTS, allowed[0])
        candidates = [(key, rank) for key, rank in groups.items()
                      if key[0].word in self.keys or key[0].form == "quoted"]
        anchor = min(candidates, key=lambda c: (c[1][0], -len(c[1][1]), c[1][1], c[0][0].form))[0]
        return (anchor, *sorted((g for g in groups if g != anchor),
                                key=lambda g: [(a.form, a.word) for a in g]))


def _regexes(spec: Any, name: str, trusted: bool) -> tuple[tuple[str, Regex], ...]:
    """Key -> regex, compiled as every rule regex is (RE2: users' rules are untrusted)."""
    if not isinstance(spec, dict):
        raise SpecError(f"`{name}` must map keys to one regex each")
    return tuple(sorted(((key, regex(value, f"`{name}.{key}`", trusted))
                         for key, value in spec.items()), key=lambda pair: pair[0]))


class DictGroup(Group[DictMatcher]):
    """Each member is filed under one of its required keys, the one fewest members need:
    a dict is only tried against the members filed under its own keys (most dicts of a
    repo are no vendor's format, and ~70 members each tried on every dict was a sizeable
    share of the analysis)."""

    def __init__(self, members: Sequence[tuple[Rule, DictMatcher]], index: RuleIndex) -> None:
        super().__init__(members, index)
        need = Counter(key for _, matcher in self.members for key in matcher.keys)
        self.by_key: dict[str, list[int]] = {}
        for number, (_, matcher) in enumerate(self.members):
            key = min(matcher.keys, key=lambda k: (need[k], k))
            self.by_key.setdefault(key, []).append(number)

    def match(self, fact: DictFact) -> list[Hit]:
        filed = [n for key in fact.keys for n in self.by_key.get(key, ())]
        if not filed:
            return []
        hits = []
        values = dict(fact.values)
        nested = dict(fact.nested)
        for number in sorted(filed):  # rule order, as every group reports
            rule, matcher = self.members[number]
            if not matcher.keys <= fact.keys or matcher.absent & fact.keys:
                continue
            if any(values.get(key) not in allowed for key, allowed in matcher.values):
                continue
            if any(not want <= nested.get(key, frozenset()) for key, want in matcher.nested):
                continue
            if matcher.last_in_list_of and matcher.last_in_list_of not in fact.list_common_keys:
                continue
            if any(key not in values or not regex.search(values[key])
                   for key, regex in matcher.patterns):
                continue
            if any(key in values and regex.search(values[key]) for key, regex in matcher.unless):
                continue
            subject = ", ".join(f'"{k}"' for k in sorted(matcher.keys))
            hits.append(Hit(rule, fact.span, subject, rule.confidence))
        return hits


DictMatcher.group = DictGroup
