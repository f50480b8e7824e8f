"""``match.dependencies``: a vendor SDK named in a dependency manifest (requirements,
pyproject, setup.cfg, Pipfile), by its PEP 503 normalised distribution name."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, ClassVar

from lockscan.model import DependencyFact
from lockscan.ruleset.matchers.base import NO_TERMS, Group, Hit, Matcher, Terms
from lockscan.ruleset.spec import SpecContext, str_list


def normalize_distribution(name: str) -> str:
    """PEP 503 normalisation, so `Google_GenerativeAI` and `google-generativeai` agree."""
    return re.sub(r"[-_.]+", "-", name).lower()


@dataclass(frozen=True, slots=True)
class DependencyMatcher(Matcher):
    distributions: frozenset[str]

    name: ClassVar[str] = "dependencies"
    facts: ClassVar[tuple[type, ...]] = (DependencyFact,)

    @classmethod
    def parse(cls, spec: Any, context: SpecContext) -> DependencyMatcher:
        names = str_list(spec, "a list of distribution names")
        return cls(frozenset(normalize_distribution(n) for n in names))


    def terms(self, file_kind: str) -> Terms:
        return NO_TERMS  # manifests are always read; no other file holds a requirement

class DependencyGroup(Group[DependencyMatcher]):
    def match(self, fact: DependencyFact) -> list[Hit]:
        return [Hit(rule, fact.span, fact.spec or fact.distribution, rule.confidence)
                for rule, matcher in self.members if fact.distribution in matcher.distributions]


DependencyMatcher.group = DependencyGroup
