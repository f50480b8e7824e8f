"""The matcher registry: one module per matcher, each holding its spec parsing, its
matching and the prefilter terms it contributes (see ``base``).

Adding a matcher means adding a module with a ``Matcher`` and a ``Group`` subclass and
listing the matcher in ``REGISTRY``; the loader (``match.<name>``), the index (each fact
goes to the groups whose matcher reads its type, in registry order) and the prefilter
(``Matcher.terms``) take it from there. ``docs/rule-authoring.md`` walks through one.
"""

from __future__ import annotations

from lockscan.ruleset.matchers.access import AccessMatcher
from lockscan.ruleset.matchers.assigns import AssignMatcher
from lockscan.ruleset.matchers.base import Group, Hit, Matcher, Terms
from lockscan.ruleset.matchers.calls import CallMatcher
from lockscan.ruleset.matchers.compare import CompareMatcher
from lockscan.ruleset.matchers.dependencies import DependencyMatcher, normalize_distribution
from lockscan.ruleset.matchers.dicts import DictMatcher
from lockscan.ruleset.matchers.env import EnvMatcher
from lockscan.ruleset.matchers.imports import ImportMatcher
from lockscan.ruleset.matchers.keywords import KeywordMatcher
from lockscan.ruleset.matchers.lifecycle import LifecycleMatcher
from lockscan.ruleset.matchers.results import ResultMatcher
from lockscan.ruleset.matchers.strings import StringMatcher

# The key under `match` in a rules file -> its matcher; the order is the order hits of
# one fact come in.
REGISTRY: dict[str, type[Matcher]] = {m.name: m for m in (
    ImportMatcher,
    CallMatcher,
    KeywordMatcher,
    AssignMatcher,
    DictMatcher,
    AccessMatcher,
    CompareMatcher,
    ResultMatcher,
    StringMatcher,
    EnvMatcher,
    DependencyMatcher,
    LifecycleMatcher,
)}

__all__ = [
    "REGISTRY", "AccessMatcher", "AssignMatcher", "CallMatcher", "CompareMatcher",
    "DependencyMatcher", "DictMatcher", "EnvMatcher", "Group", "Hit", "ImportMatcher",
    "KeywordMatcher", "LifecycleMatcher", "Matcher", "ResultMatcher", "StringMatcher", "Terms",
    "normalize_distribution",
]
