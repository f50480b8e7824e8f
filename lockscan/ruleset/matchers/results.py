"""``match.results``: a field read on a value the engine resolved to a vendor response,
whatever the field (``resp.id``, ``resp.content``, ``chunk.delta.text``,
``candidates[0].finish_reason.name``). The value is what one of the rule's vendor's
``call`` rules returns (``anthropic.Anthropic().messages.create().stop_reason``), or,
with ``types``, an instance of a vendor class no rule constructs (a response type named
in an annotation, ``cast`` or ``isinstance``: ``cohere.V2ChatResponse().usage``).

A fallback: the index drops its hit when a named shape rule (``match.access``,
``match.compare``) already reports the site. Only resolved chains count, so a field of
an object nothing ties to a vendor is never one."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from lockscan.model import CallSite, ChainSite, Span
from lockscan.ruleset.matchers.base import NO_TERMS, Group, Hit, Matcher, Terms
from lockscan.ruleset.spec import SpecContext, boolean, str_list, table

if TYPE_CHECKING:
    from lockscan.ruleset.index import RuleIndex
    from lockscan.ruleset.model import Rule

# A call in a symbolic path: ``()`` or ``(literal)`` (``boto3.client(bedrock-runtime)``).
_CALL = re.compile(r"\([A-Za-z0-9_{},-]*\)")
# A field read: ``.name`` not followed by a call (a method called is no field read).
_FIELD = re.compile(r"\.[A-Za-z_][A-Za-z0-9_]*(?![A-Za-z0-9_(])")
_NOWHERE = Span(0, 0, 0, 0)
# `isinstance(x, T)` reads the class of x: the engine asks about `T().__class__`.
TYPE_CHECK = "().__class__"  # the call sites asked about are placed nowhere
_CLASS = re.compile(r"(?:^|\.)[A-Z][A-Za-z0-9_]*$")
# Not a response: an exception (its `code`, `status_code` are error handling) or a request
# type (`ChatCompletionMessageParam`: what the project itself wrote).
_NOT_RESPONSE = re.compile(r"(?:Error|Exception|Param|Params)$")


@dataclass(frozen=True, slots=True)
class ResultMatcher(Matcher):
    """``types``: an instance of one of the vendor's classes counts as a response too;
    ``payloads``: fields whose value is the project's own data (a tool call's parsed
    ``input``), so that what is read below them is not the vendor's shape."""

    types: bool
    payloads: frozenset[str] = frozenset()

    name: ClassVar[str] = "results"
    facts: ClassVar[tuple[type, ...]] = (ChainSite,)
    fallback: ClassVar[bool] = True

    @classmethod
    def parse(cls, spec: Any, context: SpecContext) -> ResultMatcher:
        fields = table(spec, {"types", "payloads"})
        payloads = str_list(fields.get("payloads", []), "`payloads`", optional=True)
        return cls(types=boolean(fields.get("types", False), "`types`"),
                   payloads=frozenset(payloads))

    def terms(self, file_kind: str) -> Terms:
        return NO_TERMS  # a resolved chain needs a vendor import


class ResultGroup(Group[ResultMatcher]):
    def __init__(self, members: Sequence[tuple[Rule, ResultMatcher]], index: RuleIndex) -> None:
        super().__init__(members, index)
        self._calls: dict[str, str | None] = {}

    def match(self, fact: ChainSite) -> list[Hit]:
        if not fact.resolved or not (_FIELD.search(fact.text) or fact.path.endswith(TYPE_CHECK)):
            return []  # `text.strip()`, `blocks[0]`: a value read earlier, used here
        found = self._response(fact.path)
        if found is None:
            return []
        vendor, is_type, rest = found
        return [Hit(rule, fact.span, fact.text, "high") for rule, matcher in self.members
                if rule.vendor == vendor and (matcher.types or not is_type)
                and not _below_payload(rest, matcher.payloads)]

    def _response(self, path: str) -> tuple[str, bool, str] | None:
        """(vendor, whether the value is a class instance, the path after the call) when
        ``path`` reads a field of a vendor call's result or of a vendor class instance;
        None otherwise."""
        calls = list(_CALL.finditer(path))
        for call in reversed(calls):  # the last vendor call: what follows is its result
            rest = path[call.end():]
            if not rest or not _FIELD.search(rest):
                continue
            vendor = self._call_vendor(path[:call.start()])
            if vendor is not None:
                return vendor, False, rest
        if calls and calls[0].group() == "()":
            constructor = path[:calls[0].start()]
            rest = path[calls[0].end():]
            if _CLASS.search(constructor) and not _NOT_RESPONSE.search(constructor) and \
                    _FIELD.search(rest) and \
                    self.index.is_vendor_path(constructor) and \
                    not self.index.hits(CallSite(constructor, "", (), _NOWHERE)):
                owner = self._owner(constructor)
                if owner is not None:
                    return owner, True, rest
        return None

    def _call_vendor(self, callee: str) -> str | None:
        """The vendor of the first ``call`` rule calling ``callee`` matches, if any."""
        if callee in self._calls:
            return self._calls[callee]
        vendor = None
        if self.index.is_vendor_path(callee):
            for hit in self.index.hits(CallSite(callee, "", (), _NOWHERE)):
                if hit.rule.kind == "call":
                    vendor = hit.vendor or hit.rule.vendor
                    break
        self._calls[callee] = vendor
        return vendor

    def _owner(self, path: str) -> str | None:
        for vendor, modules in self.index.vendor_modules.items():
            if any(path == m or (path.startswith(m) and path[len(m)] in ".([") for m in modules):
                return vendor
        return None


def _below_payload(rest: str, payloads: frozenset[str]) -> bool:
    """Whether a field is read below a payload field (``.content[].input.location``)."""
    if not payloads:
        return False
    fields = _SEGMENT_NAME.findall(rest)
    return any(name in payloads for name in fields[:-1])


_SEGMENT_NAME = re.compile(r"\.([A-Za-z_][A-Za-z0-9_]*)")

ResultMatcher.group = ResultGroup
