"""Which rules may match a text, found in one RE2 pass instead of one search per rule.

A group of rules (call paths, response chains, string literals) is screened together:
each rule contributes RE2 patterns at least one of which matches every text it matches,
and one ``PatternSet`` pass over a text names the few rules worth trying. A rule left
out cannot match; one let in still faces its own check (which also finds positions).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Generic, TypeVar

from lockscan.ruleset.regex import (
    PatternError,
    PatternSet,
    compile_text,
    search_fragment,
    searchable_utf8,
)

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Candidates(Generic[T]):
    """``found`` holds RE2 patterns, pattern k standing for item ``owners[k]``; items in
    ``always`` could not be put there and are always tried; ``exact`` maps a whole text
    to the items that name it exactly."""

    items: tuple[T, ...]
    found: PatternSet | None
    owners: tuple[int, ...]
    always: frozenset[int]
    exact: Mapping[str, tuple[int, ...]]

    def of(self, text: str) -> list[T]:
        """The items that may match ``text``, in their original order."""
        found = self.found.present(searchable_utf8(text)) if self.found is not None else ()
        exact = self.exact.get(text, ())
        if not (found or exact or self.always):
            return []  # most texts: nothing to sort or look up
        chosen = {self.owners[k] for k in found}
        chosen.update(self.always, exact)
        return [self.items[i] for i in sorted(chosen)]


def build_candidates(
    items: Iterable[T],
    patterns: Callable[[T], list[str] | None],
    exact: Callable[[T], Iterable[str]] = lambda item: (),
    whole: bool = False,
) -> Candidates[T]:
    """``patterns(item)``: RE2 patterns at least one of which matches every text the
    item matches (None: no such patterns, always try it); ``exact(item)``: texts it
    matches exactly. ``whole``: patterns must match the whole text."""
    kept = tuple(items)
    owners: list[int] = []
    sources: list[bytes] = []
    always: set[int] = set()
    exact_texts: dict[str, list[int]] = {}
    for number, item in enumerate(kept):
        own = patterns(item)
        if own is None or not all(_compiles(pattern) for pattern in own):
            always.add(number)
            continue
        for pattern in own:
            owners.append(number)
            sources.append(pattern.encode("utf-8"))
        for text in exact(item):
            exact_texts.setdefault(text, []).append(number)
    found: PatternSet | None = None
    if sources:
        try:
            found = PatternSet(sources, whole=whole)
        except PatternError:  # too large for one set: every item is tried, never wrong
            always.update(owners)
    return Candidates(kept, found, tuple(owners), frozenset(always),
                      {text: tuple(numbers) for text, numbers in exact_texts.items()})


def _compiles(pattern: str) -> bool:
    try:
        compile_text(pattern)
    except PatternError:
        return False
    return True


# Where Python's ``re`` and RE2 disagree on non-ASCII text: Unicode classes and case folding.
_UNICODE_SENSITIVE = re.compile(r"\\[wWdDsS]|\(\?[a-zA-Z]*i")


def widened(pattern: str) -> str | None:
    """An RE2 pattern that matches wherever the Python ``re`` pattern does: lookaround
    and anchors relaxed (``search_fragment``) and ``\\b``/``\\B`` dropped (Python's are
    Unicode-aware, RE2's ASCII-only). None when no such widening is known."""
    if _UNICODE_SENSITIVE.search(pattern) or "[]" in pattern or "[^]" in pattern:
        return None  # (a class opening with `]` holds it literally: not tracked below)
    out: list[str] = []
    in_class = False
    for token in re.findall(r"\\.|.", pattern, re.DOTALL):
        if token in ("\\b", "\\B"):
            if in_class:  # `[\b]` is a backspace in Python: leave such patterns alone
                return None
            continue
        if in_class:
            in_class = token != "]"
        elif token == "[":
            in_class = True
        out.append(token)
    return search_fragment("".join(out))
