"""``match.access``: an attribute/subscript chain that reads a vendor response shape
(``**.choices[].message.content``). High confidence when the chain is rooted in the
rule's vendor, medium when its root is unknown, none when it is another vendor's."""

from __future__ import annotations

import re
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
    roots that count as the rule's own vendor (default: the vendor's modules);
    ``fallback``: a general shape (``choices[].message``) whose hit is dropped where a
    more telling rule of the same kind reports the site."""

    patterns: tuple[str, ...]
    regex: PathRegex
    require_resolved: bool
    roots: tuple[str, ...]
    general: bool = False

    name: ClassVar[str] = "access"
    facts: ClassVar[tuple[type, ...]] = (ChainSite,)

    @classmethod
    def parse(cls, spec: Any, context: SpecContext) -> AccessMatcher:
        fields = table(spec, {"patterns", "resolved", "roots", "fallback"})
        patterns = expand_defines(str_list(fields.get("patterns"), "`patterns`"), context.defines)
        return cls(
            patterns=tuple(patterns),
            regex=compile_paths(patterns, anchored=False),
            require_resolved=boolean(fields.get("resolved", False), "`resolved`"),
            roots=tuple(str_list(fields.get("roots", []), "`roots`", optional=True)),
            general=boolean(fields.get("fallback", False), "`fallback`"),
        )

    def falls_back(self) -> bool:
        return self.general

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
        # Per vendor, the fields whose value is the project's own data (its `results`
        # rule's `payloads`): a tool call's parsed `input` read by its keys.
        self.payloads: dict[str, frozenset[str]] = {}
        for rule in index.rules.rules:
            found = getattr(rule.matcher, "payloads", None)
            if found:
                self.payloads[rule.vendor] = self.payloads.get(rule.vendor, frozenset()) | found

    def match(self, fact: ChainSite) -> list[Hit]:
        hits = []
        for rule, matcher in self.candidates.of(fact.path):
            if not matcher.regex.search(fact.path):
                continue
            written = written_start(fact, self.payloads.get(rule.vendor, frozenset()))
            if written and not reaches(matcher.regex, fact.path, written):
                continue
            confidence = self.index.confidence(rule, fact.path, fact.resolved,
                                               matcher.require_resolved, matcher.roots)
            if confidence:
                hits.append(Hit(rule, fact.span, fact.text, confidence))
        return hits


def written_start(fact: ChainSite, payloads: frozenset[str]) -> int:
    """Where the part of ``fact.path`` written at the site starts, when that part reads
    no field, or reads below a payload: after what its root name stands for
    (``message.rfind()`` after ``message = resp.content[0].text`` writes only
    ``.rfind()``, ``args["city"]`` after ``args = block.input`` only ``.city``); 0
    otherwise (a field read below a value, ``step.type`` for ``step`` in
    ``interaction.steps``, reads the shape further)."""
    root = _ROOT.match(fact.text)
    suffix = fact.text[root.end():] if root else ""
    if not suffix or len(fact.path) <= len(suffix) or not fact.path.endswith(suffix):
        return 0
    start = len(fact.path) - len(suffix)
    value = fact.path[fact.path.rfind(")", 0, start) + 1:start]  # after the last call
    if not _FIELD.search(suffix) or any(n in payloads for n in _NAME.findall(value)):
        return start
    return 0


def reaches(regex: PathRegex, path: str, written: int) -> bool:
    """Whether a match of ``regex`` in ``path`` ends in its written part: a shape read
    where the value was taken (``text = resp.content[0].text``) is not read again by
    each use of the value (``text.rfind("}")``, ``text[start:end]``)."""
    for start in [0, *(m.end() for m in _SEGMENT.finditer(path))]:
        found = regex.match(path, start)
        if found and found.end() > written:
            return True
    return False


_ROOT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_NAME = re.compile(r"\.([A-Za-z_][A-Za-z0-9_]*)")
_SEGMENT = re.compile(r"[.\]]")  # a segment starts after it
_FIELD = re.compile(r"\.[A-Za-z_][A-Za-z0-9_]*(?![A-Za-z0-9_(])")  # not a method called

AccessMatcher.group = AccessGroup
