"""``match.env``: a vendor's environment variable, read by a literal name
(``os.getenv("OPENAI_API_KEY")``: high confidence; any other literal of that name:
medium) or by a name that is not a literal (a settings-class field, a dotenv key).
A name ending in ``*`` is a prefix (``AZURE_OPENAI_*``) for names that are not
literals: a dotenv template's ``AZURE_OPENAI_CHAT_MODEL=`` or a settings field
``azure_openai_chat_model: str`` (a literal of such a name is a ``strings`` rule's, the
vendor's ``env-var-name``). Only names that say where or what the vendor is match it
(not ``OPENAI_CHAT_HOST``, an app's switch between hosts):
after the prefix at most three words, ending in a key, an endpoint, a model or a
deployment (``AZURE_OPENAI_EVAL_DEPLOYMENT``, ``OLLAMA_ENDPOINT``), not a tuning knob
the app merely files under the vendor (``AZURE_OPENAI_TEMPERATURE``)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from lockscan.model import ClientEnvFact, EnvNameFact, StringFact
from lockscan.ruleset.matchers.base import NO_TERMS, Group, Hit, Matcher, Terms
from lockscan.ruleset.spec import SpecContext, SpecError, str_list

if TYPE_CHECKING:
    from lockscan.ruleset.index import RuleIndex
    from lockscan.ruleset.model import Rule


@dataclass(frozen=True, slots=True)
class EnvMatcher(Matcher):
    names: frozenset[str]
    prefixes: frozenset[str] = frozenset()

    name: ClassVar[str] = "env"
    facts: ClassVar[tuple[type, ...]] = (StringFact, EnvNameFact, ClientEnvFact)

    @classmethod
    def parse(cls, spec: Any, context: SpecContext) -> EnvMatcher:
        names = str_list(spec, "a list of environment variable names")
        prefixes = frozenset(n[:-1] for n in names if n.endswith("*"))
        for prefix in prefixes:
            if not _PREFIX.fullmatch(prefix):
                raise SpecError(f"env prefix `{prefix}*` must be upper-case letters, digits "
                                "and `_`, ending with `_` (`AZURE_OPENAI_*`)")
        return cls(frozenset(n for n in names if not n.endswith("*")), prefixes)

    def terms(self, file_kind: str) -> Terms:
        if file_kind != "python":
            return NO_TERMS
        # Settings-class fields spell them in lower case (`openai_api_key: str`).
        return Terms(words=tuple(sorted(self.names | {n.lower() for n in self.names})),
                     fragments=tuple(rf"\b{re.escape(p.lower())}\w" for p in sorted(self.prefixes)))


_PREFIX = re.compile(r"[A-Z][A-Z0-9_]*_")
_NAME = re.compile(r"[A-Z][A-Z0-9_]*")
_IDENTITY = re.compile(
    r"(?:[A-Z0-9]+_){0,2}(?:API_KEY|KEY|TOKEN|SECRET|ENDPOINT|URL|BASE|MODEL|MODEL_NAME"
    r"|DEPLOYMENT|DEPLOYMENT_NAME|VERSION|RESOURCE|DIMENSIONS|PROJECT|REGION|LOCATION)")


class EnvGroup(Group[EnvMatcher]):
    def __init__(self, members: Sequence[tuple[Rule, EnvMatcher]], index: RuleIndex) -> None:
        super().__init__(members, index)
        self.by_name: dict[str, tuple[Rule, ...]] = {}
        for rule, matcher in self.members:
            for name in matcher.names:
                self.by_name[name] = (*self.by_name.get(name, ()), rule)
        self.by_prefix: list[tuple[str, Rule]] = sorted(
            ((prefix, rule) for rule, matcher in self.members for prefix in matcher.prefixes),
            key=lambda pair: (pair[0], pair[1].id))
        self.by_vendor: dict[str, Rule] = {}
        for rule, _ in self.members:
            self.by_vendor.setdefault(rule.vendor, rule)

    def rules_for(self, name: str) -> tuple[Rule, ...]:
        exact = self.by_name.get(name, ())
        if exact or not self.by_prefix or not _NAME.fullmatch(name):
            return exact
        return tuple(dict.fromkeys(rule for prefix, rule in self.by_prefix
                                   if name.startswith(prefix)
                                   and _IDENTITY.fullmatch(name[len(prefix):])))

    def match(self, fact: StringFact | EnvNameFact | ClientEnvFact) -> list[Hit]:
        if isinstance(fact, ClientEnvFact):
            rule = self.by_vendor.get(fact.host or fact.vendor) or self.by_vendor.get(fact.vendor)
            if rule is None:
                return []
            host = fact.host if fact.host and fact.host != rule.vendor else None
            return [Hit(rule, fact.span, fact.name, "medium", vendor=host)]
        if isinstance(fact, EnvNameFact):
            return [Hit(rule, fact.span, fact.name, rule.confidence)
                    for rule in self.rules_for(fact.name)]
        return [Hit(rule, fact.span, fact.value,
                    rule.confidence if fact.env_context else "medium")
                for rule in self.by_name.get(fact.value, ())]


EnvMatcher.group = EnvGroup
