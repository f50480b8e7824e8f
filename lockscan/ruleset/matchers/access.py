"""``match.access``: an attribute/subscript chain that reads a vendor response shape
(``**.choices[].message.content``). High confidence when the chain is rooted in the
rule's vendor, medium when its root is unknown, none when it is another vendor's."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from lockscan.model import ChainSite
from lockscan.ruleset.candidates import build_candidates
from lockscan.ruleset.matchers.base import NO_TERMS, Atom, Clause, Group, Hit, Matcher, Terms
from lockscan.ruleset.matchers.words import IDENT, expand, rank
from lockscan.ruleset.paths import PathRegex, compile_paths, expand_defines, path_pattern_regex
from lockscan.ruleset.spec import SpecContext, boolean, str_list, table

if TYPE_CHECKING:
    from lockscan.ruleset.index import RuleIndex
    from lockscan.ruleset.model import Rule


@dataclass(frozen=True, slots=True)
class AccessMatcher(Matcher):
    """``resolved``: only chains resolved to a vendor object count; ``roots``: module
    roots that count as the rule's own vendor (default: the vendor's modules)."""

    patterns: tuple[str, ...]
    regex: PathRegex
    require_resolved: bool
    roots: tuple[str, ...]

    name: ClassVar[str] = "access"
    facts: ClassVar[tuple[type, ...]] = (ChainSite,)

    @classmethod
    def parse(cls, spec: Any, context: SpecContext) -> AccessMatcher:
        fields = table(spec, {"patterns", "resolved", "roots"})
        patterns = expand_defines(str_list(fields.get("patterns"), "`patterns`"), context.defines)
        return cls(
            patterns=tuple(patterns),
            regex=compile_paths(patterns, anchored=False),
            require_resolved=boolean(fields.get("resolved", False), "`resolved`"),
            roots=tuple(str_list(fields.get("roots", []), "`roots`", optional=True)),
        )

    def terms(self, file_kind: str) -> Terms:
        # A resolved-only chain needs a vendor import, which the vendors' modules require.
        if file_kind != "python" or self.require_resolved:
            return NO_TERMS
        return Terms(clauses=tuple(c for p in self.patterns for c in access_clauses(p)))

    def screen(self) -> str:
        """The access regex with its lookaround spelled as consumed characters (RE2 has
        none), which keeps the yes/no answer; ``\\n?$`` because Python's ``$`` also
        matches before a final newline."""
        body = "|".join(f"(?:{path_pattern_regex(p)})" for p in self.patterns)
        return rf"(?:^|[.\])])(?:{body})(?:\n?$|[.(\[])"


def access_clauses(pattern: str) -> list[Clause]:
    """One clause per alternative spelled out (``{a,b}.c`` is ``a.c`` or ``b.c``). A
    segment after a dot is an attribute or a quoted subscript key in the source (a
    member); the first one may be the chain's root name (a word). The least common
    segment is the anchor."""
    spelled = expand(pattern)
    if spelled is None:  # too many alternatives: any segment of any of them
        idents = sorted(set(IDENT.findall(pattern)))
        return [(tuple(Atom("word", i) for i in idents),)] if idents else []
    clauses = []
    for text in spelled:
        atoms = {Atom("member" if text[m.start() - 1:m.start()] == "." else "word", m.group(0))
                 for m in IDENT.finditer(text)}
        # A name both ways (`a.a`) needs only the weaker spelling.
        atoms -= {Atom("member", a.word) for a in atoms if a.form == "word"}
        if not atoms:
            return []  # wildcards only: no word is necessary
        anchor = min(atoms, key=lambda a: (*rank(a.word), a.form))
        rest = sorted(atoms - {anchor}, key=lambda a: (a.word, a.form))
        clauses.append(((anchor,), *((atom,) for atom in rest)))
    return clauses


class AccessGroup(Group[AccessMatcher]):
    def __init__(self, members: Sequence[tuple[Rule, AccessMatcher]], index: RuleIndex) -> None:
        super().__init__(members, index)
        self.candidates = build_candidates(self.members, lambda member: [member[1].screen()])

    def match(self, fact: ChainSite) -> list[Hit]:
        hits = []
        for rule, matcher in self.candidates.of(fact.path):
            if not matcher.regex.search(fact.path):
                continue
            confidence = self.index.confidence(rule, fact.path, fact.resolved,
                                               matcher.require_resolved, matcher.roots)
            if confidence:
                hits.append(Hit(rule, fact.span, fact.text, confidence))
        return hits


AccessMatcher.group = AccessGroup
