"""Targets and what one finding costs towards each: a rule's per-target override, else 0
where the target natively speaks the finding's current wire API, else its default.
Legacy APIs are never native, so they cost effort even towards their own vendor: the
target is an API generation, not only a company."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from lockscan.errors import UnknownTargets
from lockscan.model import Finding
from lockscan.ruleset import Rule, RuleSet

# API generations that real upgrades rewrite: never native, even to their own vendor.
# `bedrock-invoke` is InvokeModel with a model family's own JSON body; the upgrade is
# to Converse, which speaks one shape for every Bedrock model.
LEGACY_APIS = frozenset({"openai-v0", "anthropic-text-completions", "google-generativeai",
                         "vertexai-generative", "mistral-v0", "cohere-v1", "bedrock-invoke"})
PORTABLE_TARGETS_ALWAYS = ("litellm",)  # always priced, even when no rule names it
DATA_MIGRATION = 13  # the top of the effort scale: stored data must be rebuilt
# What a portable layer takes as it is: model names (a provider prefix at most), the
# providers' own key variables, which litellm and its kind read themselves, and prompts
# tuned to a model (`[INST]`, `<|im_start|>`): the layer reaches the same model.
NAMES_KINDS = frozenset({"model_id", "env_var", "prompt_format"})
CHEAPEST_OTHERS = 3  # default targets: vendors in use, litellm and this many cheapest others


def effort_for_target(rule: Rule, ruleset: RuleSet, target: str) -> int:
    """Points for one finding of ``rule`` when moving to ``target``: the explicit
    override, else 0 for a model name or key variable towards a portable layer, else 0
    where the target speaks the rule's current API, else the default.

    A data migration (re-embedding a corpus, retraining a fine-tune) is not saved by
    speaking the same wire API: another host's embedding model gives other vectors."""
    overrides = dict(rule.effort)
    if target in overrides:
        return overrides[target]
    vendor = ruleset.vendor(target)
    if rule.kind in NAMES_KINDS and is_portable(ruleset, target):
        return 0  # a portable layer reaches the same models by their names and keys
    speaks = vendor is not None and rule.api and rule.api not in LEGACY_APIS \
        and rule.api in vendor.apis
    if speaks and (overrides["default"] < DATA_MIGRATION or target == rule.vendor):
        return 0
    return overrides["default"]


def is_portable(ruleset: RuleSet, target: str) -> bool:
    vendor = ruleset.vendor(target)
    return target in PORTABLE_TARGETS_ALWAYS or (vendor is not None and vendor.portable)


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


def check_targets(ruleset: RuleSet, wanted: Iterable[str] = ()) -> list[str]:
    """The targets asked for, in order, without repeats; unknown names raise."""
    known = known_targets(ruleset)
    wanted = list(dict.fromkeys(wanted))
    unknown = [t for t in wanted if t not in known]
    if unknown:
        raise UnknownTargets([("", unknown)], known)
    return wanted



def default_targets(in_use: Iterable[str], lines: Mapping[str, int],
                    portable: Iterable[str]) -> list[str]:
    """The targets a user considers: the vendors the code uses, litellm, and the
    ``CHEAPEST_OTHERS`` cheapest of the rest (by estimated lines, then name)."""
    chosen = set(in_use) & set(lines) | (set(PORTABLE_TARGETS_ALWAYS) & set(lines))
    others = sorted((t for t in lines if t not in chosen and t not in portable),
                    key=lambda t: (lines[t], t))
    chosen.update(others[:CHEAPEST_OTHERS])
    return sorted(chosen)
