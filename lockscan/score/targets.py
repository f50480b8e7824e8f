"""Targets and what one finding costs towards each: a rule's per-target override, else 0
where the target natively speaks the finding's current wire API, else its default.
Legacy APIs are never native, so they cost effort even towards their own vendor."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from lockscan.errors import UnknownTargets
from lockscan.model import Finding
from lockscan.ruleset import Rule, RuleSet

# API generations a vendor still ships but is retiring: never native, even to their vendor.
LEGACY_APIS = frozenset({"openai-v0", "anthropic-text-completions", "google-generativeai",
                         "vertexai-generative", "mistral-v0", "cohere-v1"})
PORTABLE_TARGETS_ALWAYS = ("litellm",)  # always priced, even when no rule names it
DATA_MIGRATION = 13  # the top of the effort scale: stored data must be rebuilt


def effort_for_target(rule: Rule, ruleset: RuleSet, target: str) -> int:
    """Points for one finding of ``rule`` when moving to ``target``: the explicit
    override, else 0 where the target speaks the rule's current API, else the default.

    A data migration (re-embedding a corpus, retraining a fine-tune) is not saved by
    speaking the same wire API: another host's embedding model gives other vectors."""
    overrides = dict(rule.effort)
    if target in overrides:
        return overrides[target]
    vendor = ruleset.vendor(target)
    speaks = vendor is not None and rule.api and rule.api not in LEGACY_APIS \
        and rule.api in vendor.apis
    if speaks and (overrides["default"] < DATA_MIGRATION or target == rule.vendor):
        return 0
    return overrides["default"]


def default_effort(ruleset: RuleSet) -> Callable[[Finding], float]:
    """A finding's target-neutral weight (its rule's default points), for graph edges."""

    def effort(finding: Finding) -> float:
        rule = ruleset.get(finding.rule)
        return float(dict(rule.effort)["default"]) if rule else 0.0

    return effort


def portable_layers(ruleset: RuleSet) -> frozenset[str]:
    return frozenset(v.id for v in ruleset.vendors if v.portable) | set(PORTABLE_TARGETS_ALWAYS)


def known_targets(ruleset: RuleSet) -> list[str]:
    """Every vendor in the rules that serves an API (model families such as `llama` have
    none, so they are not migration targets), plus litellm."""
    return sorted({v.id for v in ruleset.vendors if v.apis} | set(PORTABLE_TARGETS_ALWAYS))


def choose_targets(ruleset: RuleSet, wanted: Iterable[str] = ()) -> list[str]:
    known = known_targets(ruleset)
    wanted = list(dict.fromkeys(wanted))
    unknown = [t for t in wanted if t not in known]
    if unknown:
        raise UnknownTargets([("", unknown)], known)
    return wanted or known
