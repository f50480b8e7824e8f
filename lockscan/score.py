"""Switch cost per target: how much work a move to each provider (or API generation)
would be, where that work is, and which few changes would lower it most.

A pure function of (findings, graph, rules, targets); it returns its own explanation.
The model and how its constants were chosen: docs/scoring.md.

1. A finding costs its rule's effort points for the target: the rule's per-target
   override, else 0 when the target natively speaks the finding's wire API, else the
   rule's default. Legacy APIs (openai<1.0, Anthropic text completions,
   google-generativeai) are never native, so they cost effort even towards their own
   vendor: the target is an API generation, not only a company.
2. Findings reached through a portable layer (``via`` names a vendor table with
   ``portable = true``, such as litellm) cost ``PORTABLE_SHARE`` of that, and are not
   weighted by scatter: moving them is a model-string change.
3. The rest is weighted by scatter: ``1 + MODULE_SCATTER*log2(files) +
   PACKAGE_SCATTER*log2(packages)``, counting the files (and their top-level packages)
   that hold a positive cost for this target. The same calls behind one gateway
   module cost their points once; spread over twenty modules in three packages they
   cost about twice as much.
4. ``index`` = ``100 * (1 - 2 ** (-effort / HALF_EFFORT))``, rounded: 50 at
   ``HALF_EFFORT`` points, approaching 100; ``grade`` A–F by ``GRADE_BANDS`` on it.
"""

from __future__ import annotations

import functools
import heapq
import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, NamedTuple

from lockscan.errors import UsageError
from lockscan.graph import gateways, importers, imports_of, package_of
from lockscan.model import Contributor, Finding, Omitted, SwitchCost
from lockscan.rules import Rule, RuleSet

# API generations a vendor still ships but is retiring: never native, even to their vendor.
LEGACY_APIS = frozenset({"openai-v0", "anthropic-text-completions", "google-generativeai",
                         "vertexai-generative", "mistral-v0", "cohere-v1"})
PORTABLE_TARGETS_ALWAYS = ("litellm",)  # always priced, even when no rule names it
PORTABLE_SHARE = 0.25
MODULE_SCATTER = 0.25
PACKAGE_SCATTER = 0.5
HALF_EFFORT = 60.0
GRADE_BANDS: tuple[tuple[int, str], ...] = ((10, "A"), (25, "B"), (45, "C"), (65, "D"), (80, "E"),
                                            (100, "F"))
SETUP_KINDS = frozenset({"import", "client", "env_var", "credential"})  # once per module
SUGGESTIONS = 3
# Contributors listed per target; the rest are summed in ``omitted``. A dense monorepo
# has tens of thousands of (file, rule) pairs per target: listing them all made the JSON
# report 134 MB on the bench corpus, and nobody reads past the first hundred.
MAX_CONTRIBUTORS = 100
CENTS = 100  # efforts are summed in hundredths so contributors add up exactly


# --------------------------------------------------------------------------- per finding


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
        raise UsageError(f"unknown target {', '.join(unknown)}; choose from {', '.join(known)}")
    return wanted or known


# --------------------------------------------------------------------------- model


@dataclass(frozen=True, slots=True)
class Tally:
    """The findings of one rule in one file, counted by what prices them except the
    target, so that tens of thousands of findings are aggregated once, not per target."""

    path: str
    rule: str
    kind: str
    plain: int  # priced at the rule's points for the target
    reads: int  # legacy reads (see _legacy_scope), priced as such
    portable_plain: int  # the same two, reached through a portable layer (litellm...)
    portable_reads: int

    @property
    def findings(self) -> int:
        return self.plain + self.reads + self.portable_plain + self.portable_reads


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


def tally(findings: Iterable[Finding], ruleset: RuleSet, graph: Any = None) -> list[Tally]:
    """Findings of known rules counted per (path, rule), in that order."""
    findings = list(findings)
    portable = portable_layers(ruleset)
    legacy = _legacy_scope(findings, ruleset, graph)
    rules = ruleset.by_id()
    counts: dict[tuple[str, str], list[int]] = {}
    kinds: dict[tuple[str, str], str] = {}
    for finding in findings:
        if finding.rule not in rules:
            continue
        key = (finding.path, finding.rule)
        if key not in counts:
            counts[key] = [0, 0, 0, 0]
        read = finding.kind == "response_shape" and (finding.path, finding.vendor) in legacy
        counts[key][2 * (finding.via in portable) + read] += 1
        kinds[key] = finding.kind
    return [Tally(path, rule, kinds[(path, rule)], *n) for (path, rule), n in sorted(counts.items())]


Efforts = dict[str, tuple[int, int]]  # rule id -> (points, points of a legacy read)


def rule_efforts(rule_ids: Iterable[str], ruleset: RuleSet, target: str) -> Efforts:
    """Each rule's points for ``target``, in hundredths, and what a legacy read costs."""
    rules = ruleset.by_id()
    efforts: Efforts = {}
    for rule_id in sorted(set(rule_ids)):
        rule = rules[rule_id]
        points = effort_for_target(rule, ruleset, target) * CENTS
        # Reads of legacy responses change in the SDK upgrade (see _legacy_scope),
        # whichever target speaks the current API afterwards, unless a rule says
        # otherwise for that target (litellm still reads dict-style responses).
        overrides = dict(rule.effort)
        read = points or (overrides["default"] * CENTS if target not in overrides else 0)
        efforts[rule_id] = (points, read)
    return efforts


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


def price_findings(findings: Iterable[Finding], ruleset: RuleSet, target: str,
                   graph: Any = None) -> list[Group]:
    """``price`` straight from findings, for one target."""
    tallies = tally(findings, ruleset, graph)
    efforts = rule_efforts({t.rule for t in tallies}, ruleset, target)
    return price(tallies, efforts, target in portable_layers(ruleset))


def _legacy_scope(findings: Sequence[Finding], ruleset: RuleSet,
                  graph: Any = None) -> set[tuple[str, str]]:
    """(path, vendor) pairs whose reads of that vendor's responses are legacy reads.

    A legacy call's response (openai<1.0 returned dicts, 1.x returns typed objects) is
    read in the file that makes the call or in a module it imports or is imported by,
    where it is passed to or returned; those reads change in the SDK upgrade. The set
    only grows as findings are added, which keeps the score monotone."""
    scope: set[tuple[str, str]] = set()
    for finding in findings:
        rule = ruleset.get(finding.rule)
        if rule is None or rule.api not in LEGACY_APIS or finding.kind != "call":
            continue
        scope.add((finding.path, finding.vendor))
        if graph is not None and finding.path in graph:
            for neighbour in (*importers(graph, finding.path), *imports_of(graph, finding.path)):
                scope.add((neighbour, finding.vendor))
    return scope


@functools.lru_cache(maxsize=65536)
def is_code(path: str) -> bool:
    """Python files and notebooks. Manifests and config files add their own points but
    do not count as scatter: a model id in `config.yaml` or a pin in `pyproject.toml` is
    where such things belong, not a sign of coupling spread through the code."""
    name = path.rsplit("/", 1)[-1]
    return name.endswith((".py", ".ipynb")) and name != "setup.py"


def scatter_factor(files: int, packages: int) -> float:
    """1 for one file; grows with the log of files and of top-level packages."""
    if files <= 0:
        return 1.0
    return 1.0 + MODULE_SCATTER * math.log2(files) + PACKAGE_SCATTER * math.log2(max(packages, 1))


def index_for(effort: float) -> int:
    """Saturating curve: 0 at 0, 50 at HALF_EFFORT, 75 at twice that, never above 100."""
    return round(100 * (1 - 2 ** (-max(effort, 0.0) / HALF_EFFORT)))


def grade_for(index: int) -> str:
    for upper, grade in GRADE_BANDS:
        if index <= upper:
            return grade
    return GRADE_BANDS[-1][1]


def total(groups: Sequence[Group],
          packages: Mapping[str, str]) -> tuple[int, list[tuple[Group, int]]]:
    """Total effort in hundredths and each group's share of it; ``packages`` maps each
    path to its top-level package."""
    paths = {g.path for g in groups if g.scattered > 0 and is_code(g.path)}
    factor = scatter_factor(len(paths), len({packages[p] for p in paths}))
    shares = [(g, round(g.scattered * factor) + g.portable) for g in groups]
    return sum(s for _, s in shares), shares


# --------------------------------------------------------------------------- scoring


def score_targets(findings: Sequence[Finding], graph: Any, ruleset: RuleSet,
                  targets: Iterable[str] = ()) -> dict[str, SwitchCost]:
    """Switch cost for each target (every known target when ``targets`` is empty).

    ``graph`` is the ``lockscan.graph`` graph of the scan (packages, gateways and
    dependents for suggestions), or None to treat every path as its own package."""
    return _score_all(findings, graph, ruleset, choose_targets(ruleset, targets))


def score_target(findings: Sequence[Finding], graph: Any, ruleset: RuleSet,
                 target: str) -> SwitchCost:
    return _score_all(findings, graph, ruleset, [target])[target]


def _score_all(findings: Sequence[Finding], graph: Any, ruleset: RuleSet,
               targets: Sequence[str]) -> dict[str, SwitchCost]:
    # What does not depend on the target is computed once for all of them, and targets
    # that price every rule found alike (common in a repo on one vendor) share one scoring.
    tallies = tally(findings, ruleset, graph)
    packages = {path: package_of(graph, path) for path in sorted({t.path for t in tallies})}
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
    listed = heapq.nsmallest(MAX_CONTRIBUTORS, positive,
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


def upgrade_cost(findings: Sequence[Finding], graph: Any, ruleset: RuleSet,
                 vendor: str) -> SwitchCost:
    """The part of the switch to ``vendor`` that is an SDK upgrade: only that vendor's
    own findings (legacy surfaces) are priced, other vendors' code is left alone."""
    return score_target([f for f in findings if f.vendor == vendor], graph, ruleset, vendor)


# --------------------------------------------------------------------------- suggestions


class Neighbours:
    """The graph facts suggestions ask for, looked up once per scan, not once per target."""

    def __init__(self, graph: Any) -> None:
        self.graph = graph
        self._links: dict[str, tuple[frozenset[str], int]] = {}
        self._gateways: list[str] | None = None

    def gateways(self) -> list[str]:
        if self._gateways is None:
            self._gateways = gateways(self.graph) if self.graph is not None else []
        return self._gateways

    def links(self, path: str) -> tuple[frozenset[str], int]:
        """The modules ``path`` imports, and how many modules import it."""
        if path not in self._links:
            if self.graph is None:
                self._links[path] = (frozenset(), 0)
            else:
                self._links[path] = (frozenset(imports_of(self.graph, path)),
                                     len(importers(self.graph, path)))
        return self._links[path]


@dataclass(frozen=True)
class Shape:
    """What suggestions ask of the scan that does not depend on the target: the graph,
    the files on a legacy API and each file's calls and clients."""

    neighbours: Neighbours
    legacy: frozenset[str]
    calls: Mapping[str, int]

    @classmethod
    def of(cls, tallies: Sequence[Tally], ruleset: RuleSet, neighbours: Neighbours) -> Shape:
        rules = ruleset.by_id()
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
    rules = ruleset.by_id()
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


__all__ = [
    "GRADE_BANDS",
    "HALF_EFFORT",
    "LEGACY_APIS",
    "MAX_CONTRIBUTORS",
    "choose_targets",
    "effort_for_target",
    "grade_for",
    "index_for",
    "known_targets",
    "scatter_factor",
    "score_targets",
    "upgrade_cost",
]
