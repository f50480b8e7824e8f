"""The switch cost per target: how much work a move to each provider (or API
generation) would be, where that work is, and which few changes would lower it most.

A pure function of (findings, graph, rules, targets) that returns its own explanation:
``targets`` (what a finding costs towards a target), ``price`` (findings tallied and
priced, weighted by scatter), ``suggest`` (where the cost sits, what would lower it).
The model and how its constants were chosen: docs/scoring.md.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace

from lockscan.graph import ModuleGraph
from lockscan.model import Contributor, Finding, Omitted, SwitchCost
from lockscan.ruleset import RuleSet
from lockscan.score.price import (
    CENTS,
    GRADE_BANDS,
    HALF_EFFORT,
    Cost,
    grade_for,
    index_for,
    price,
    rule_efforts,
    scatter_factor,
    tally,
    total,
)
from lockscan.score.suggest import Layout, Spread, suggest
from lockscan.score.targets import (
    LEGACY_APIS,
    choose_targets,
    default_effort,
    effort_for_target,
    known_targets,
    portable_layers,
)

# Contributors listed per target; the rest are summed in ``omitted``. A dense monorepo
# has tens of thousands of (file, rule) pairs per target: listing them all made the JSON
# report 134 MB on the bench corpus, and nobody reads past the first hundred.
MAX_CONTRIBUTORS = 100


def score_targets(findings: Sequence[Finding], graph: ModuleGraph | None, ruleset: RuleSet,
                  targets: Iterable[str] = ()) -> dict[str, SwitchCost]:
    """Switch cost for each target (every known target when ``targets`` is empty).

    ``graph`` is the module graph of the scan (packages, gateways and
    dependents for suggestions), or None to treat every path as its own package."""
    return _score_all(findings, graph, ruleset, choose_targets(ruleset, targets))


def score_target(findings: Sequence[Finding], graph: ModuleGraph | None, ruleset: RuleSet,
                 target: str) -> SwitchCost:
    return _score_all(findings, graph, ruleset, [target])[target]


def _score_all(findings: Sequence[Finding], graph: ModuleGraph | None, ruleset: RuleSet,
               targets: Sequence[str]) -> dict[str, SwitchCost]:
    # What does not depend on the target is computed once for all of them, and targets
    # that price every rule found alike (common in a repo on one vendor) share one scoring.
    layout = Layout.of(tally(findings, ruleset, graph), ruleset, graph)
    portable = portable_layers(ruleset)
    rule_ids = {p.rule for p in layout.patterns}
    scored: dict[object, SwitchCost] = {}
    costs: dict[str, SwitchCost] = {}
    for target in targets:
        efforts = rule_efforts(rule_ids, ruleset, target)
        key = (target in portable, tuple(efforts.items()))
        if key not in scored:
            priced = price(layout.patterns, efforts, target in portable)
            scored[key] = _score(priced, layout, ruleset, target)
        costs[target] = replace(scored[key], target=target)
    return costs


def _score(costs: Sequence[Cost], layout: Layout, ruleset: RuleSet, target: str) -> SwitchCost:
    spread = Spread.of(costs, layout.packages)
    factor = spread.factor()
    cents = total(costs, factor)
    effort = cents / CENTS
    index = index_for(effort)
    listed, omitted = contributors(costs, factor, cents)
    return SwitchCost(
        target=target,
        effort=effort,
        index=index,
        grade=grade_for(index),
        contributors=listed,
        suggestions=tuple(suggest(costs, spread, layout, ruleset, cents)),
        omitted=omitted,
    )


def contributors(costs: Sequence[Cost], factor: float,
                 cents: int) -> tuple[tuple[Contributor, ...], Omitted | None]:
    """The largest (file, rule) shares, at most ``MAX_CONTRIBUTORS``, largest first then
    by path and rule, and the rest summed. Every share is positive (``price`` leaves out
    what costs nothing), so the shares add up to ``cents``. Only the patterns down to the
    share where the cap is reached are spread into their files."""
    by_share = sorted(((round(c.scattered * factor) + c.portable, c.pattern) for c in costs),
                      key=lambda s: -s[0])
    picked: list[tuple[int, str, str, int]] = []  # (-share, path, rule, findings)
    for share, pattern in by_share:
        if len(picked) >= MAX_CONTRIBUTORS and share < -picked[-1][0]:
            break  # ties with the last share picked still compete on path and rule
        picked.extend((-share, path, pattern.rule, pattern.findings) for path in pattern.paths)
    top = sorted(picked)[:MAX_CONTRIBUTORS]
    listed = tuple(Contributor(path, rule, -negative / CENTS, found)
                   for negative, path, rule, found in top)
    groups = sum(c.groups for c in costs)
    omitted = None
    if groups > len(listed):
        listed_cents = -sum(negative for negative, *_ in top)
        omitted = Omitted(groups - len(listed), (cents - listed_cents) / CENTS,
                          sum(c.groups * c.pattern.findings for c in costs)
                          - sum(c.findings for c in listed))
    return listed, omitted


def upgrade_cost(findings: Sequence[Finding], graph: ModuleGraph | None, ruleset: RuleSet,
                 vendor: str) -> SwitchCost:
    """The part of the switch to ``vendor`` that is an SDK upgrade: only that vendor's
    own findings (legacy surfaces) are priced, other vendors' code is left alone."""
    return score_target([f for f in findings if f.vendor == vendor], graph, ruleset, vendor)


__all__ = [
    "GRADE_BANDS",
    "HALF_EFFORT",
    "LEGACY_APIS",
    "MAX_CONTRIBUTORS",
    "choose_targets",
    "default_effort",
    "effort_for_target",
    "grade_for",
    "index_for",
    "known_targets",
    "scatter_factor",
    "score_target",
    "score_targets",
    "upgrade_cost",
]
