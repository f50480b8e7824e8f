"""What every matcher is: a spec parsed from a rule's ``match`` table, the facts it
reads, the prefilter terms it contributes, and a group that matches all the rules
using it at once.

A matcher module holds one ``Matcher`` subclass (a frozen dataclass of its parsed
fields) and one ``Group`` subclass (its rules compiled together: candidate screens,
lookup tables). ``lockscan.ruleset.matchers.REGISTRY`` lists them; the index sends
each fact the engine extracts to the groups whose matcher declares that fact type.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar

from lockscan.model import Span
from lockscan.ruleset.spec import SpecContext

if TYPE_CHECKING:
    from lockscan.ruleset.index import RuleIndex
    from lockscan.ruleset.model import Rule


@dataclass(frozen=True, slots=True)
class Hit:
    """A rule that fired at a span; ``subject`` fills ``{match}`` in the message."""

    rule: Rule
    span: Span
    subject: str
    confidence: str
    data: str = ""
    vendor: str | None = None  # overrides the rule's vendor (OpenAI SDK pointed elsewhere)


# --------------------------------------------------------------------------- prefilter terms


@dataclass(frozen=True, slots=True)
class Atom:
    """One way a word can appear in source. ``form``: ``word`` (anywhere, whole word),
    ``member`` (after a dot, or quoted: an attribute or subscript key), ``key`` (a quoted
    dict key before its colon, or a ``key=`` keyword), ``quoted`` (a quoted string
    literal, exactly)."""

    form: str
    word: str


AnyOf = tuple[Atom, ...]  # holds when any atom does
Clause = tuple[AnyOf, ...]  # holds when every group does; the first group is the anchor


@dataclass(frozen=True, slots=True)
class Terms:
    """What a rule needs to be present in a file's bytes before it can match there
    (``lockscan.engine.prefilter``). ``modules``: vendor module names, one of which must
    be imported; ``words``: identifiers, any of which decides; ``fragments``: RE2
    fragments, any of which decides; ``clauses``: conditions that must all hold
    (a dict's keys, a chain's segments). Empty (``NO_TERMS``): the rule needs a vendor
    import, which the vendors' module names already require."""

    modules: tuple[str, ...] = ()
    words: tuple[str, ...] = ()
    fragments: tuple[str, ...] = ()
    clauses: tuple[Clause, ...] = ()


NO_TERMS = Terms()


# --------------------------------------------------------------------------- matchers


class Matcher(ABC):
    """A rule's parsed ``match.<name>`` table. Subclasses are frozen dataclasses."""

    name: ClassVar[str]  # the key under `match` in a rules file
    facts: ClassVar[tuple[type, ...]]  # the fact types (``lockscan.model.sites``) it reads
    group: ClassVar[type[Group[Any]]]  # matches every rule of this matcher at once
    # A fallback's hits on a fact are dropped when another rule of the same kind hits it.
    fallback: ClassVar[bool] = False

    def falls_back(self) -> bool:
        """Whether this rule's hits are a fallback (``fallback``, or as its spec says)."""
        return type(self).fallback

    @classmethod
    @abstractmethod
    def parse(cls, spec: Any, context: SpecContext) -> Matcher:
        """The matcher for ``spec``; raise ``SpecError`` saying what to fix."""

    def terms(self, file_kind: str) -> Terms | None:
        """What a file of ``file_kind`` must contain for this matcher to match there.
        None (the default): nothing is known, so every file of that kind is analyzed in
        full. Say what is needed to keep scans fast; ``NO_TERMS`` says "a vendor import"."""
        return None

    def applies_to(self, file_kind: str) -> bool:
        """Whether it can match in files of ``file_kind`` at all."""
        return True


M = TypeVar("M", bound=Matcher)


class Group(ABC, Generic[M]):
    """All rules that use one matcher type, compiled together. ``members`` pairs each
    rule with its matcher, typed: no casts in matching code."""

    def __init__(self, members: Sequence[tuple[Rule, M]], index: RuleIndex) -> None:
        self.members = tuple(members)
        self.index = index

    @abstractmethod
    def match(self, fact: Any) -> list[Hit]:
        """The hits of every member on ``fact`` (one of the matcher's ``facts`` types)."""

    def text_screen(self, file_kind: str) -> list[str] | None:
        """RE2 fragments one of which every ``TextValueFact`` it can match contains (a
        cheap screen over config lines); None (the default) when no such fragments are
        known: then every config line is read."""
        return None
