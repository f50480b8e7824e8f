"""``match.compare``: a chain compared with a vendor's literal value
(``resp.stop_reason == "tool_use"``, ``finish_reason in ("length", ...)``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from lockscan.model import CompareSite
from lockscan.ruleset.matchers.base import NO_TERMS, AnyOf, Atom, Clause, Group, Hit, Matcher, Terms
from lockscan.ruleset.matchers.words import MIN_ATTR_ANCHOR
from lockscan.ruleset.spec import SpecContext, boolean, str_list, table


@dataclass(frozen=True, slots=True)
class CompareMatcher(Matcher):
    attrs: frozenset[str]
    values: frozenset[str]
    require_resolved: bool
    roots: tuple[str, ...]

    name: ClassVar[str] = "compare"
    facts: ClassVar[tuple[type, ...]] = (CompareSite,)

    @classmethod
    def parse(cls, spec: Any, context: SpecContext) -> CompareMatcher:
        fields = table(spec, {"attrs", "values", "resolved", "roots"})
        return cls(
            attrs=frozenset(str_list(fields.get("attrs"), "`attrs`: attribute or key names")),
            values=frozenset(str_list(fields.get("values"), "`values`: string literals")),
            require_resolved=boolean(fields.get("resolved", False), "`resolved`"),
            roots=tuple(str_list(fields.get("roots", []), "`roots`", optional=True)),
        )

    def terms(self, file_kind: str) -> Terms:
        if file_kind != "python" or self.require_resolved:
            return NO_TERMS
        return Terms(clauses=(self.clause(),))

    def clause(self) -> Clause:
        """An attribute (as a word) and one of the compared values (quoted); the anchor
        is the attribute when every name is long enough to be rare, else the value."""
        attrs: AnyOf = tuple(Atom("word", a) for a in sorted(self.attrs))
        values: AnyOf = tuple(Atom("quoted", v) for v in sorted(self.values))
        if all(len(a) >= MIN_ATTR_ANCHOR for a in self.attrs):
            return (attrs, values)
        return (values, attrs)


class CompareGroup(Group[CompareMatcher]):
    def match(self, fact: CompareSite) -> list[Hit]:
        hits = []
        last = _last_segment(fact.path)
        for rule, matcher in self.members:
            if last not in matcher.attrs:
                continue
            value = next((v for v in fact.values if v in matcher.values), None)
            if value is None:
                continue
            confidence = self.index.confidence(rule, fact.path, fact.resolved,
                                               matcher.require_resolved, matcher.roots)
            if confidence:
                hits.append(Hit(rule, fact.span, f"{last} == {value!r}", confidence))
        return hits


CompareMatcher.group = CompareGroup


def _last_segment(path: str) -> str:
    trimmed = path
    while trimmed.endswith(("[]", "()")):
        trimmed = trimmed[:-2]
    return trimmed.rsplit(".", 1)[-1]
