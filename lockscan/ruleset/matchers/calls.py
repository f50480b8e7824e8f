"""``match.calls``: a call whose callee path, resolved through aliases and tracked
clients, fully matches a pattern (``openai.OpenAI().chat.completions.create``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from lockscan.model import CallSite
from lockscan.ruleset.candidates import build_candidates
from lockscan.ruleset.matchers.base import NO_TERMS, Group, Hit, Matcher, Terms
from lockscan.ruleset.paths import PathRegex, compile_paths, expand_defines
from lockscan.ruleset.spec import SpecContext, str_list

if TYPE_CHECKING:
    from lockscan.ruleset.index import RuleIndex
    from lockscan.ruleset.model import Rule


@dataclass(frozen=True, slots=True)
class CallMatcher(Matcher):
    """Callee path patterns, full match (also the target patterns of ``assigns`` and the
    call patterns of ``keywords``)."""

    patterns: tuple[str, ...]
    regex: PathRegex

    name: ClassVar[str] = "calls"
    facts: ClassVar[tuple[type, ...]] = (CallSite,)

    @classmethod
    def parse(cls, spec: Any, context: SpecContext) -> CallMatcher:
        patterns = expand_defines(str_list(spec, "a list of call path patterns"), context.defines)
        return cls(tuple(patterns), compile_paths(patterns, anchored=True))


    def terms(self, file_kind: str) -> Terms:
        return NO_TERMS  # a call resolves to a vendor only through a vendor import

class CallGroup(Group[CallMatcher]):
    def __init__(self, members: Sequence[tuple[Rule, CallMatcher]], index: RuleIndex) -> None:
        super().__init__(members, index)
        self.candidates = build_candidates(
            self.members, lambda member: [member[1].regex.pattern], whole=True)

    def match(self, fact: CallSite) -> list[Hit]:
        return [Hit(rule, fact.span, fact.text, rule.confidence)
                for rule, matcher in self.candidates.of(fact.path)
                if matcher.regex.fullmatch(fact.path)]


CallMatcher.group = CallGroup
