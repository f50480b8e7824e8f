"""``match.env``: a vendor's environment variable, read by a literal name
(``os.getenv("OPENAI_API_KEY")``: high confidence; any other literal of that name:
medium) or by a name that is not a literal (a settings-class field, a dotenv key)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from lockscan.model import EnvNameFact, StringFact
from lockscan.ruleset.matchers.base import NO_TERMS, Group, Hit, Matcher, Terms
from lockscan.ruleset.spec import SpecContext, str_list

if TYPE_CHECKING:
    from lockscan.ruleset.index import RuleIndex
    from lockscan.ruleset.model import Rule


@dataclass(frozen=True, slots=True)
class EnvMatcher(Matcher):
    names: frozenset[str]

    name: ClassVar[str] = "env"
    facts: ClassVar[tuple[type, ...]] = (StringFact, EnvNameFact)

    @classmethod
    def parse(cls, spec: Any, context: SpecContext) -> EnvMatcher:
        return cls(frozenset(str_list(spec, "a list of environment variable names")))

    def terms(self, file_kind: str) -> Terms:
        if file_kind != "python":
            return NO_TERMS
        # Settings-class fields spell them in lower case (`openai_api_key: str`).
        return Terms(words=tuple(sorted(self.names | {n.lower() for n in self.names})))


class EnvGroup(Group[EnvMatcher]):
    def __init__(self, members: Sequence[tuple[Rule, EnvMatcher]], index: RuleIndex) -> None:
        super().__init__(members, index)
        self.by_name: dict[str, tuple[Rule, ...]] = {}
        for rule, matcher in self.members:
            for name in matcher.names:
                self.by_name[name] = (*self.by_name.get(name, ()), rule)

    def match(self, fact: StringFact | EnvNameFact) -> list[Hit]:
        if isinstance(fact, EnvNameFact):
            return [Hit(rule, fact.span, fact.name, rule.confidence)
                    for rule in self.by_name.get(fact.name, ())]
        return [Hit(rule, fact.span, fact.value,
                    rule.confidence if fact.env_context else "medium")
                for rule in self.by_name.get(fact.value, ())]


EnvMatcher.group = EnvGroup
