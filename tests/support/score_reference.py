"""The scoring model priced group by group, as lockscan did before ``score.py`` learned
to price each count pattern once: the oracle the fast path must match exactly.

Kept verbatim from that version (per (file, rule) groups, per-target rescans) apart from
its imports; the model is docs/scoring.md. Slow on big repos, fine on test inputs.
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, NamedTuple

from lockscan.model import Contributor, Finding, Omitted, SwitchCost
from lockscan.ruleset import RuleSet
from tests.support.score_namespace import (
    CENTS,
    LEGACY_APIS,
    PORTABLE_SHARE,
    SETUP_KINDS,
    SUGGESTIONS,
    Efforts,
    Neighbours,
    S,
    Tally,
    choose_targets,
    grade_for,
    index_for,
    is_code,
    portable_layers,
    rule_efforts,
    scatter_factor,
    tally,
)


def _package_of(graph: Any, path: str) -> str:
    from lockscan.graph.model import package_name

    return graph.package_of(path) if graph is not None else package_name("", path)


class Group(NamedTuple):
    """The findings of one rule in one file, priced for one target (in hundredths).
    A named tuple: scoring builds one per (file, rule) per target, and tuples are
    several times cheaper to build than frozen dataclasses."""

    path: str
    rule: str
    kind: str
    findings: int
    scattered: int  # points weighted by scatter
    portable: int  # points from portable-layer findings, not weighted


def price(tallies: Iterable[Tally], efforts: Efforts, portable_target: bool) -> list[Group]:
    """Groups priced with ``rule_efforts``. Findings through a portable layer cost
    ``PORTABLE_SHARE`` (rounded per finding) unless the target is such a layer itself.
    Groups that cost nothing for the target are left out: no stage counts them."""
    groups = []
    for t in tallies:
        points, read = efforts[t.rule]
        if portable_target:
            scattered = points * (t.plain + t.portable_plain) + read * (t.reads + t.portable_reads)
            portable = 0
        else:
            scattered = points * t.plain + read * t.reads
            portable = (round(points * PORTABLE_SHARE) * t.portable_plain
                        + round(read * PORTABLE_SHARE) * t.portable_reads)
        if scattered or portable:
            groups.append(Group(t.path, t.rule, t.kind, t.findings, scattered, portable))
    return groups


def total(groups: Sequence[Group],
          packages: Mapping[str, str]) -> tuple[int, list[tuple[Group, int]]]:
    """Total effort in hundredths and each group's share of it; ``packages`` maps each
    path to its top-level package."""
    paths = {g.path for g in groups if g.scattered > 0 and is_code(g.path)}
    factor = scatter_factor(len(paths), len({packages[p] for p in paths}))
    shares = [(g, round(g.scattered * factor) + g.portable) for g in groups]
    return sum(s for _, s in shares), shares


def score_targets(findings: Sequence[Finding], graph: Any, ruleset: RuleSet,
                  targets: Iterable[str] = ()) -> dict[str, SwitchCost]:
    return _score_all(findings, graph, ruleset, choose_targets(ruleset, targets))


def _score_all(findings: Sequence[Finding], graph: Any, ruleset: RuleSet,
               targets: Sequence[str]) -> dict[str, SwitchCost]:
    # What does not depend on the target is computed once for all of them, and targets
    # that price every rule found alike (common in a repo on one vendor) share one scoring.
    tallies = tally(findings, ruleset, graph)
    packages = {path: _package_of(graph, path) for path in sorted({t.path for t in tallies})}
    neighbours = Neighbours(graph)
    portable = portable_layers(ruleset)
    rule_ids = {t.rule for t in tallies}
    shape = Shape.of(tallies, ruleset, neighbours)
    scored: dict[object, SwitchCost] = {}
    costs: dict[str, SwitchCost] = {}
    for target in targets:
        efforts = rule_efforts(rule_ids, ruleset, target)
        key = (target in portable, tuple(efforts.items()))
        if key not in scored:
            groups = price(tallies, efforts, target in portable)
            scored[key] = _score(groups, shape, packages, ruleset, target)
        costs[target] = replace(scored[key], target=target)
    return costs


def _score(groups: Sequence[Group], shape: Shape, packages: Mapping[str, str],
           ruleset: RuleSet, target: str) -> SwitchCost:
    cents, shares = total(groups, packages)
    effort = cents / CENTS
    index = index_for(effort)
    positive = [(g, share) for g, share in shares if share > 0]
    listed = heapq.nsmallest(S.MAX_CONTRIBUTORS, positive,
                             key=lambda s: (-s[1], s[0].path, s[0].rule))
    contributors = tuple(Contributor(g.path, g.rule, share / CENTS, g.findings)
                         for g, share in listed)
    omitted = None
    if len(positive) > len(listed):
        omitted = Omitted(len(positive) - len(listed),
                          (sum(s for _, s in positive) - sum(s for _, s in listed)) / CENTS,
                          sum(g.findings for g, _ in positive) - sum(g.findings for g, _ in listed))
    return SwitchCost(
        target=target,
        effort=effort,
        index=index,
        grade=grade_for(index),
        contributors=contributors,
        suggestions=tuple(suggest(groups, shape, packages, ruleset, cents)),
        omitted=omitted,
    )


@dataclass(frozen=True)
class Shape:
    """What suggestions ask of the scan that does not depend on the target: the graph,
    the files on a legacy API and each file's calls and clients."""

    neighbours: Neighbours
    legacy: frozenset[str]
    calls: Mapping[str, int]

    @classmethod
    def of(cls, tallies: Sequence[Tally], ruleset: RuleSet, neighbours: Neighbours) -> Shape:
        rules = ruleset.by_id
        calls: dict[str, int] = defaultdict(int)
        for t in tallies:
            if t.kind in ("call", "client"):
                calls[t.path] += t.findings
        return cls(neighbours, frozenset(t.path for t in tallies
                                         if rules[t.rule].api in LEGACY_APIS), dict(calls))


def suggest(groups: Sequence[Group], shape: Shape, packages: Mapping[str, str],
            ruleset: RuleSet, cents: int) -> list[str]:
    """The changes that would lower the effort most, each priced by scoring again."""
    candidates: list[tuple[int, str, str]] = []  # (saving, text, rule or "")
    rules = ruleset.by_id
    gateway = _consolidation(groups, shape, packages, cents)
    if gateway is not None:
        candidates.append(gateway)
    savings = _Savings(groups, packages, cents)
    by_rule: dict[str, list[Group]] = defaultdict(list)
    for group in groups:  # every group costs something (price leaves out the rest)
        by_rule[group.rule].append(group)
    for rule_id, members in by_rule.items():
        fix = rules[rule_id].fix
        # Only a rule's best option can be picked (one suggestion per rule), so among
        # single files only those with the top saving need a text to break ties.
        singles = [(savings.without_one(m), m) for m in members]
        top = max(saving for saving, _ in singles)
        tail = f" (saves {_points(top)}): {fix}"
        candidates.append((top, min(_rework(m.findings, rule_id, m.path) + tail
                                    for saving, m in singles if saving == top), rule_id))
        if len(members) > 1:
            saving = savings.without(members)
            text = (_rework(sum(g.findings for g in members), rule_id, f"{len(members)} files")
                    + f" (saves {_points(saving)}): {fix}")
            candidates.append((saving, text, rule_id))
    picked: list[str] = []
    used_rules: set[str] = set()
    for saving, text, rule_id in sorted(candidates, key=lambda c: (-c[0], c[1])):
        if saving <= 0 or (rule_id and rule_id in used_rules):
            continue
        picked.append(text)
        used_rules.add(rule_id)
        if len(picked) == SUGGESTIONS:
            break
    return picked


class _Savings:
    """What removing some groups would save, exactly as ``total`` would price the rest,
    without rescoring every group per candidate (thousands of candidates on big repos).

    The rest costs ``sum(round(s * F'))`` over the remaining groups plus their portable
    points, where F' is the scatter factor after removal; the sum over all groups is
    cached per (files, packages), and the removed groups' rounded shares subtracted."""

    def __init__(self, groups: Sequence[Group], packages: Mapping[str, str], cents: int) -> None:
        self.groups = groups
        self.packages = packages
        self.cents = cents
        self.portable = sum(g.portable for g in groups)
        self.by_path: dict[str, int] = defaultdict(int)
        for g in groups:
            self.by_path[g.path] += g.scattered
        self.files_in: dict[str, int] = defaultdict(int)  # package -> files with a cost
        for path, points in self.by_path.items():
            if points > 0 and is_code(path):
                self.files_in[packages[path]] += 1
        self.files = sum(self.files_in.values())
        self.rounded: dict[tuple[int, int], int] = {}

    def _all_rounded(self, files: int, packages: int) -> int:
        key = (files, packages)
        if key not in self.rounded:
            factor = scatter_factor(files, packages)
            self.rounded[key] = sum(round(g.scattered * factor) for g in self.groups)
        return self.rounded[key]

    def without_one(self, group: Group) -> int:
        """``without([group])``, for the one case asked thousands of times."""
        files, packages = self.files, len(self.files_in)
        if group.scattered > 0 and self.by_path[group.path] == group.scattered \
                and is_code(group.path):
            files -= 1  # the file holds nothing else with a cost: it leaves the scatter
            packages -= self.files_in[self.packages[group.path]] == 1
        factor = scatter_factor(files, packages)
        rest = (self._all_rounded(files, packages) - round(group.scattered * factor)
                + self.portable - group.portable)
        return self.cents - rest

    def without(self, removed: Sequence[Group]) -> int:
        dropped: dict[str, int] = defaultdict(int)
        for g in removed:
            dropped[g.path] += g.scattered
        emptied = [p for p, d in dropped.items()
                   if self.by_path[p] > 0 and self.by_path[p] == d and is_code(p)]
        lost: dict[str, int] = defaultdict(int)
        for path in emptied:
            lost[self.packages[path]] += 1
        files = self.files - len(emptied)
        # Only the packages that lost files can disappear: O(removed), not O(packages).
        packages = len(self.files_in) - sum(1 for pkg, n in lost.items() if self.files_in[pkg] <= n)
        factor = scatter_factor(files, packages)
        rest = (self._all_rounded(files, packages)
                - sum(round(g.scattered * factor) for g in removed)
                + self.portable - sum(g.portable for g in removed))
        return self.cents - rest


def _rework(count: int, rule_id: str, where: str) -> str:
    return f"rework the {count} `{rule_id}` finding{'s' * (count != 1)} in {where}"


def _points(cents: int) -> str:
    value = cents / CENTS
    return f"{value:g} point{'s' * (value != 1)}"


def _consolidation(groups: Sequence[Group], shape: Shape, packages: Mapping[str, str],
                   cents: int) -> tuple[int, str, str] | None:
    """Move every priced coupling site in Python modules into one gateway module."""
    modules = {g.path for g in groups if g.scattered > 0 and g.path.endswith(".py")}
    if len(modules) < 2:
        return None
    existing = [p for p in shape.neighbours.gateways() if p in modules]
    weight: dict[str, int] = defaultdict(int)
    for g in groups:
        weight[g.path] += g.scattered

    coupled = modules

    def fitness(path: str) -> tuple[bool, int, int, int, int, str]:
        # The best gateway is on a current API, already holds the most clients and
        # calls (least to move), is imported by many modules, leans on few other
        # coupled modules, and holds much of the work.
        imported, used = shape.neighbours.links(path)
        leans = len(imported & coupled)
        return (path in shape.legacy, -shape.calls.get(path, 0), -used, leans, -weight[path],
                path)

    gateway = (existing or sorted(modules, key=fitness))[0]
    moved: dict[str, Group] = {}
    kept: list[Group] = []
    for g in groups:
        if g.path not in modules:
            kept.append(g)
            continue
        # Setup (imports, clients, settings) is needed once in the gateway, not per module.
        previous = moved.get(g.rule)
        if previous is None:
            moved[g.rule] = Group(gateway, g.rule, g.kind, g.findings, g.scattered, g.portable)
        elif g.kind in SETUP_KINDS:
            continue
        else:
            moved[g.rule] = Group(gateway, g.rule, g.kind, previous.findings + g.findings,
                                  previous.scattered + g.scattered, previous.portable + g.portable)
    saving = cents - total([*kept, *moved.values()], packages)[0]
    sites = sum(g.findings for g in groups if g.path in modules and g.path != gateway
                and g.scattered > 0)
    others = len(modules) - 1
    text = (f"move the {sites} coupling sites in {others} module{'s' * (others != 1)} "
            f"behind {gateway} (saves {_points(saving)})")
    return saving, text, ""

