"""``match.assigns``: an assignment to a vendor attribute (``openai.api_key = ...``),
optionally with a literal value that matches a regex (``openai.api_type = "azure"``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from lockscan.model import AssignFact
from lockscan.ruleset.matchers.base import NO_TERMS, Group, Hit, Matcher, Terms
from lockscan.ruleset.matchers.calls import CallMatcher
from lockscan.ruleset.regex import Regex, searchable
from lockscan.ruleset.spec import SpecContext, optional_regex, table


@dataclass(frozen=True, slots=True)
class AssignMatcher(Matcher):
    targets: CallMatcher
    value: Regex | None = None

    name: ClassVar[str] = "assigns"
    facts: ClassVar[tuple[type, ...]] = (AssignFact,)

    @classmethod
    def parse(cls, spec: Any, context: SpecContext) -> AssignMatcher:
        if isinstance(spec, dict):
            fields = table(spec, {"targets", "value"})
            return cls(CallMatcher.parse(fields.get("targets"), context),
                       optional_regex(fields, "value", context.trusted))
        return cls(CallMatcher.parse(spec, context))


    def terms(self, file_kind: str) -> Terms:
        return NO_TERMS  # an attribute resolves to a vendor only through a vendor import

class AssignGroup(Group[AssignMatcher]):
    def match(self, fact: AssignFact) -> list[Hit]:
        return [Hit(rule, fact.span, fact.text, rule.confidence)
                for rule, matcher in self.members
                if matcher.targets.regex.fullmatch(fact.path)
                and (matcher.value is None or matcher.value.search(searchable(fact.value)))]


AssignMatcher.group = AssignGroup
