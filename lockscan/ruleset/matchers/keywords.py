"""``match.keywords``: a keyword argument on a matching call (``response_format=`` on
``chat.completions.create``), optionally with a literal value that matches a regex
(``value``) or does not (``unless``: a rule for what the specific rules leave). An
option the call gets from a dict spread into it or from its ``extra_body``
(``KeywordSite``) counts as a keyword, reported where the dict entry is written."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from lockscan.model import CallSite, KeywordSite
from lockscan.ruleset.candidates import build_candidates
from lockscan.ruleset.matchers.base import NO_TERMS, Group, Hit, Matcher, Terms
from lockscan.ruleset.matchers.calls import CallMatcher
from lockscan.ruleset.regex import Regex, searchable
from lockscan.ruleset.spec import SpecContext, optional_regex, str_list, table

# An ``extra_body`` dict built apart from the call that sends it (see
# ``lockscan.engine.python.request_dicts``) is matched as options of this call, so a rule
# that can match it needs files that write ``extra_body``, with or without a vendor import.
BODY = "extra_body"
BODY_CALL = "openai.OpenAI().chat.completions.create"
BODY_TERMS = Terms(words=(BODY,))

if TYPE_CHECKING:
    from lockscan.ruleset.index import RuleIndex
    from lockscan.ruleset.model import Rule


@dataclass(frozen=True, slots=True)
class KeywordMatcher(Matcher):
    calls: CallMatcher
    names: tuple[str, ...]
    value: Regex | None  # searched in the literal tokens of the keyword's value
    unless: Regex | None  # a value it finds vetoes the keyword

    name: ClassVar[str] = "keywords"
    facts: ClassVar[tuple[type, ...]] = (CallSite, KeywordSite)

    @classmethod
    def parse(cls, spec: Any, context: SpecContext) -> KeywordMatcher:
        fields = table(spec, {"calls", "names", "value", "unless"})
        return cls(
            calls=CallMatcher.parse(fields.get("calls"), context),
            names=tuple(str_list(fields.get("names"), "`names`: a list of keyword names")),
            value=optional_regex(fields, "value", context.trusted),
            unless=optional_regex(fields, "unless", context.trusted),
        )


    def terms(self, file_kind: str) -> Terms:
        if self.calls.regex.fullmatch(BODY_CALL):
            return BODY_TERMS
        return NO_TERMS  # a call resolves to a vendor only through a vendor import

class KeywordGroup(Group[KeywordMatcher]):
    def __init__(self, members: Sequence[tuple[Rule, KeywordMatcher]], index: RuleIndex) -> None:
        super().__init__(members, index)
        self.candidates = build_candidates(
            self.members, lambda member: [member[1].calls.regex.pattern], whole=True)

    def match(self, fact: CallSite | KeywordSite) -> list[Hit]:
        keywords = ((fact.name, fact.value),) if isinstance(fact, KeywordSite) else fact.keywords
        if not keywords:
            return []
        hits = []
        for rule, matcher in self.candidates.of(fact.path):
            if not matcher.calls.regex.fullmatch(fact.path):
                continue
            for name, value in keywords:
                if name in matcher.names and (
                    matcher.value is None or matcher.value.search(searchable(value))
                ) and (matcher.unless is None or not matcher.unless.search(searchable(value))):
                    hits.append(Hit(rule, fact.span, name, rule.confidence))
                    break
        return hits


KeywordMatcher.group = KeywordGroup
