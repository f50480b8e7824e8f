"""``match.imports``: an import of a vendor module (``openai``, ``anthropic.lib.bedrock``)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from lockscan.model import ImportFact
from lockscan.ruleset.matchers.base import NO_TERMS, Group, Hit, Matcher, Terms
from lockscan.ruleset.spec import SpecContext, str_list

if TYPE_CHECKING:
    from lockscan.ruleset.index import RuleIndex
    from lockscan.ruleset.model import Rule


@dataclass(frozen=True, slots=True)
class ImportMatcher(Matcher):
    """Module prefixes: ``openai`` matches ``import openai.types`` too."""

    modules: tuple[str, ...]

    name: ClassVar[str] = "imports"
    facts: ClassVar[tuple[type, ...]] = (ImportFact,)

    @classmethod
    def parse(cls, spec: Any, context: SpecContext) -> ImportMatcher:
        return cls(tuple(str_list(spec, "a list of module names")))

    def terms(self, file_kind: str) -> Terms:
        if file_kind != "python":
            return NO_TERMS
        return Terms(modules=tuple(m.rsplit(".", 1)[-1] for m in self.modules))


class ImportGroup(Group[ImportMatcher]):
    def __init__(self, members: Sequence[tuple[Rule, ImportMatcher]], index: RuleIndex) -> None:
        super().__init__(members, index)
        # A rule names module prefixes; each dotted prefix of each imported name is
        # looked up here instead of testing every rule.
        self.by_module: dict[str, tuple[int, ...]] = {}
        for number, (_, matcher) in enumerate(self.members):
            for module in matcher.modules:
                self.by_module[module] = (*self.by_module.get(module, ()), number)

    def match(self, fact: ImportFact) -> list[Hit]:
        """One hit per rule; a rule's subject is the first name that hits it."""
        subjects: dict[int, str] = {}
        for name in fact.modules:
            for prefix in _dotted_prefixes(name):
                for number in self.by_module.get(prefix, ()):
                    subjects.setdefault(number, name)
        return [Hit(self.members[n][0], fact.span, subject, self.members[n][0].confidence)
                for n, subject in sorted(subjects.items())]


ImportMatcher.group = ImportGroup


def _dotted_prefixes(name: str) -> Iterator[str]:
    """``a.b.c`` -> ``a``, ``a.b``, ``a.b.c``: what ``n == p or n.startswith(p + ".")``
    accepts as ``p``."""
    start = name.find(".")
    while start != -1:
        yield name[:start]
        start = name.find(".", start + 1)
    yield name
