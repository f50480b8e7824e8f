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
import math
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from itertools import chain
from typing import Any, NamedTuple

from lockscan.errors import UsageError
from lockscan.graph.build import gateways, importers, imports_of, package_of
from lockscan.model import Contributor, Finding, Omitted, SwitchCost
from lockscan.ruleset.loader import Rule, RuleSet

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


class Tally(NamedTuple):
    """The findings of one rule in one file, counted by what prices them except the
    target, so that tens of thousands of findings are aggregated once, not per target.
    A named tuple: a dense corpus has tens of thousands, and tuples are several times
    cheaper to build than frozen dataclasses."""

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


@dataclass(frozen=True, slots=True, eq=False)
class Pattern:
    """The tallies of one rule that share their kind and counts, and so cost the same in
    each of their files for every target. Scoring prices a pattern once and multiplies
    by its files: the bench's dense corpus has 40k (file, rule) tallies but 500 patterns.
    Compared by identity (``eq=False``): hashing thousands of paths per lookup is waste."""

    rule: str
    kind: str
    counts: tuple[int, int, int, int]  # plain, reads, portable_plain, portable_reads (Tally)
    paths: tuple[str, ...]  # sorted
    members: frozenset[str]  # the same paths, for set algebra in C rather than loops

    @property
    def findings(self) -> int:
        """Findings in each of its files."""
        return sum(self.counts)


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


def patterns(tallies: Iterable[Tally]) -> list[Pattern]:
    """The tallies grouped by (rule, kind, counts), each with its files in path order."""
    paths: dict[tuple[str, str, int, int, int, int], list[str]] = defaultdict(list)
    for t in sorted(tallies, key=lambda t: t.path):
        paths[(t.rule, t.kind, t.plain, t.reads, t.portable_plain, t.portable_reads)].append(t.path)
    return [Pattern(rule, kind, tuple(counts), tuple(files), frozenset(files))
            for (rule, kind, *counts), files in sorted(paths.items())]


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


class Cost(NamedTuple):
    """What a pattern costs in each of its files for one target, in hundredths."""

    pattern: Pattern
    scattered: int  # points weighted by scatter
    portable: int  # points from portable-layer findings, not weighted

    @property
    def groups(self) -> int:
        """(file, rule) groups at this cost: one per file of the pattern."""
        return len(self.pattern.paths)


def price(patterns: Iterable[Pattern], efforts: Efforts, portable_target: bool) -> list[Cost]:
    """Patterns priced with ``rule_efforts``. Findings through a portable layer cost
    ``PORTABLE_SHARE`` (rounded per finding) unless the target is such a layer itself.
    Patterns that cost nothing for the target are left out: no stage counts them."""
    costs = []
    for p in patterns:
        points, read = efforts[p.rule]
        plain, reads, portable_plain, portable_reads = p.counts
        if portable_target:
            scattered = points * (plain + portable_plain) + read * (reads + portable_reads)
            portable = 0
        else:
            scattered = points * plain + read * reads
            portable = (round(points * PORTABLE_SHARE) * portable_plain
                        + round(read * PORTABLE_SHARE) * portable_reads)
        if scattered or portable:
            costs.append(Cost(p, scattered, portable))
    return costs


def _legacy_scope(findings: Sequence[Finding], ruleset: RuleSet,
                  graph: Any = None) -> set[tuple[str, str]]:
    """(path, vendor) pairs whose reads of that vendor's responses are legacy reads.

    A legacy call's response (openai<1.0 returned dicts, 1.x returns typed objects) is
    read in the file that makes the call or in a module it imports or is imported by,
    where it is passed to or returned; those reads change in the SDK upgrade. The set
    only grows as findings are added, which keeps the score monotone."""
    rules = ruleset.by_id()
    calls = {(f.path, f.vendor) for f in findings if f.kind == "call"
             and f.rule in rules and rules[f.rule].api in LEGACY_APIS}
    scope = set(calls)
    for path, vendor in calls:  # the graph is asked once per file, not once per call
        if graph is not None and path in graph:
            scope.update((neighbour, vendor)
                         for neighbour in (*importers(graph, path), *imports_of(graph, path)))
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


def total(costs: Iterable[Cost], factor: float) -> int:
    """Total effort in hundredths: each group's scattered points times the scatter
    factor, rounded per group (so that contributors add up exactly), plus its portable
    points."""
    return sum(c.groups * (round(c.scattered * factor) + c.portable) for c in costs)


# --------------------------------------------------------------------------- scoring


def score_targets(findings: Sequence[Finding], graph: Any, ruleset: RuleSet,
                  targets: Iterable[str] = ()) -> dict[str, SwitchCost]:
    """Switch cost for each target (every known target when ``targets`` is empty).

    ``graph`` is the ``lockscan.graph.build`` graph of the scan (packages, gateways and
    dependents for suggestions), or None to treat every path as its own package."""
    return _score_all(findings, graph, ruleset, choose_targets(ruleset, targets))


def score_target(findings: Sequence[Finding], graph: Any, ruleset: RuleSet,
                 target: str) -> SwitchCost:
    return _score_all(findings, graph, ruleset, [target])[target]


def _score_all(findings: Sequence[Finding], graph: Any, ruleset: RuleSet,
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


def upgrade_cost(findings: Sequence[Finding], graph: Any, ruleset: RuleSet,
                 vendor: str) -> SwitchCost:
    """The part of the switch to ``vendor`` that is an SDK upgrade: only that vendor's
    own findings (legacy surfaces) are priced, other vendors' code is left alone."""
    return score_target([f for f in findings if f.vendor == vendor], graph, ruleset, vendor)


# --------------------------------------------------------------------------- the scan's shape


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
class Layout:
    """What scoring asks of the scan that does not depend on the target, found once:
    the patterns, each file's patterns and top-level package, the files on a legacy
    API, each file's calls and clients, and the graph facts suggestions ask for."""

    patterns: tuple[Pattern, ...]
    in_file: Mapping[str, tuple[Pattern, ...]]
    packages: Mapping[str, str]
    neighbours: Neighbours
    legacy: frozenset[str]
    calls: Mapping[str, int]

    @classmethod
    def of(cls, tallies: Sequence[Tally], ruleset: RuleSet, graph: Any) -> Layout:
        rules = ruleset.by_id()
        found = patterns(tallies)
        in_file: dict[str, list[Pattern]] = defaultdict(list)
        for pattern in found:
            for path in pattern.paths:
                in_file[path].append(pattern)
        calls: dict[str, int] = defaultdict(int)
        for t in tallies:
            if t.kind in ("call", "client"):
                calls[t.path] += t.findings
        return cls(tuple(found), {path: tuple(p) for path, p in in_file.items()},
                   {path: package_of(graph, path) for path in sorted(in_file)},
                   Neighbours(graph),
                   frozenset(t.path for t in tallies if rules[t.rule].api in LEGACY_APIS),
                   dict(calls))

    @functools.cached_property
    def gateway_order(self) -> tuple[tuple[tuple[bool, int, int], str], ...]:
        """Python files ranked by the leading, target-independent keys of a gateway's
        fitness (see ``_gateway``), once per scan rather than once per target."""
        links = self.neighbours.links
        return tuple(sorted(((path in self.legacy, -self.calls.get(path, 0), -links(path)[1]),
                             path) for path in self.in_file if path.endswith(".py")))


@dataclass(frozen=True)
class Spread:
    """Where one target's scattered work lies: how many groups with a scattered cost
    each file holds, and how many code files with such a cost each package has."""

    holders: Mapping[str, int]
    files_in: Mapping[str, int]

    @classmethod
    def of(cls, costs: Iterable[Cost], packages: Mapping[str, str]) -> Spread:
        # Counted in C over the patterns' file lists: tens of thousands of groups per target.
        holders = Counter(chain.from_iterable(c.pattern.paths for c in costs if c.scattered > 0))
        return cls(holders, Counter(packages[p] for p in holders if is_code(p)))

    @property
    def files(self) -> int:
        return sum(self.files_in.values())

    def factor(self) -> float:
        return scatter_factor(self.files, len(self.files_in))


# --------------------------------------------------------------------------- suggestions


def suggest(costs: Sequence[Cost], spread: Spread, layout: Layout, ruleset: RuleSet,
            cents: int) -> list[str]:
    """The changes that would lower the effort most, each priced by scoring again."""
    candidates: list[tuple[int, str, str]] = []  # (saving, text, rule or "")
    rules = ruleset.by_id()
    gateway = _consolidation(costs, spread, layout, cents)
    if gateway is not None:
        candidates.append(gateway)
    savings = _Savings(costs, spread, layout.packages, cents)
    by_rule: dict[str, list[Cost]] = defaultdict(list)
    for cost in costs:  # every pattern costs something (price leaves out the rest)
        by_rule[cost.pattern.rule].append(cost)
    for rule_id, members in by_rule.items():
        candidates.append(_rework_option(rule_id, members, savings, rules[rule_id].fix))
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


def _rework_option(rule_id: str, members: Sequence[Cost], savings: _Savings,
                   fix: str) -> tuple[int, str, str]:
    """Reworking every finding of the rule. Only one suggestion per rule is kept, and
    removing all of a rule's groups saves strictly more than removing one of them (each
    group has a positive share, and the scatter factor can only fall), so a single file
    is named only when it is the rule's only one."""
    groups = sum(c.groups for c in members)
    saving = savings.without(members)
    where = members[0].pattern.paths[0] if groups == 1 else f"{groups} files"
    text = _rework(sum(c.groups * c.pattern.findings for c in members), rule_id, where)
    return saving, f"{text} (saves {_points(saving)}): {fix}", rule_id


class _Savings:
    """What removing groups would save, exactly as ``total`` would price the rest,
    without rescoring every group per candidate (hundreds of rules on big repos).

    The rest costs ``sum(round(s * F'))`` over the remaining groups plus their portable
    points, where F' is the scatter factor after removal; the sum over all groups is
    cached per (files, packages), and the removed groups' rounded shares subtracted.
    A removal changes F' only where it empties a code file of scattered cost, which
    happens when the file holds no other group with such a cost."""

    def __init__(self, costs: Sequence[Cost], spread: Spread, packages: Mapping[str, str],
                 cents: int) -> None:
        self.costs = costs
        self.spread = spread
        self.packages = packages
        self.cents = cents
        self.portable = sum(c.groups * c.portable for c in costs)
        self.sole = frozenset(p for p, n in spread.holders.items() if n == 1 and is_code(p))
        self.rounded: dict[tuple[int, int], int] = {}

    def _all_rounded(self, files: int, packages: int) -> int:
        key = (files, packages)
        if key not in self.rounded:
            factor = scatter_factor(files, packages)
            self.rounded[key] = sum(c.groups * round(c.scattered * factor) for c in self.costs)
        return self.rounded[key]

    def without(self, removed: Sequence[Cost]) -> int:
        """Removing every group of ``removed``: patterns of one rule, so at most one
        group per file, and a file leaves the scatter when it held only that group."""
        emptied = [p for c in removed if c.scattered > 0 for p in c.pattern.members & self.sole]
        lost = Counter(self.packages[p] for p in emptied) if emptied else {}
        files = self.spread.files - len(emptied)
        # Only the packages that lost files can disappear: O(removed), not O(packages).
        packages = len(self.spread.files_in) - sum(1 for pkg, n in lost.items()
                                                   if self.spread.files_in[pkg] <= n)
        factor = scatter_factor(files, packages)
        rest = (self._all_rounded(files, packages)
                - sum(c.groups * round(c.scattered * factor) for c in removed)
                + self.portable - sum(c.groups * c.portable for c in removed))
        return self.cents - rest


def _rework(count: int, rule_id: str, where: str) -> str:
    return f"rework the {count} `{rule_id}` finding{'s' * (count != 1)} in {where}"


def _points(cents: int) -> str:
    value = cents / CENTS
    return f"{value:g} point{'s' * (value != 1)}"


def _consolidation(costs: Sequence[Cost], spread: Spread, layout: Layout,
                   cents: int) -> tuple[int, str, str] | None:
    """Move every priced coupling site in Python modules into one gateway module."""
    modules = frozenset(p for p in spread.holders if p.endswith(".py"))
    if len(modules) < 2:
        return None
    gateway = _gateway(costs, modules, layout)
    inside = [(c, c.pattern.members & modules) for c in costs]  # each pattern's modules
    moved = _moved(inside)
    # What stays costs what it did, in files that still count as scatter; the moved
    # work sits in the gateway.
    files = [p for p in spread.holders if p not in modules and is_code(p)]
    if is_code(gateway) and any(scattered > 0 for scattered, _ in moved):
        files.append(gateway)
    factor = scatter_factor(len(files), len({layout.packages[p] for p in files}))
    rest = (sum((c.groups - len(there)) * (round(c.scattered * factor) + c.portable)
                for c, there in inside)
            + sum(round(scattered * factor) + portable for scattered, portable in moved))
    sites = sum(c.pattern.findings * (len(there) - (gateway in there))
                for c, there in inside if c.scattered > 0)
    others = len(modules) - 1
    text = (f"move the {sites} coupling sites in {others} module{'s' * (others != 1)} "
            f"behind {gateway} (saves {_points(cents - rest)})")
    return cents - rest, text, ""


def _moved(inside: Sequence[tuple[Cost, frozenset[str]]]) -> list[tuple[int, int]]:
    """(scattered, portable) per rule once moved into the gateway. Setup (imports,
    clients, settings) is needed once there, not per module: a rule's setup groups
    count once, as the one in the first module (in path order) holding the rule."""
    moved: dict[str, list[int]] = {}
    first: dict[str, tuple[str, Cost]] = {}
    for cost, there in inside:
        if not there:
            continue
        rule = cost.pattern.rule
        totals = moved.setdefault(rule, [0, 0])
        if cost.pattern.kind not in SETUP_KINDS:
            totals[0] += len(there) * cost.scattered
            totals[1] += len(there) * cost.portable
        head = min(there)
        if rule not in first or head < first[rule][0]:
            first[rule] = (head, cost)
    for rule, (_, cost) in first.items():
        if cost.pattern.kind in SETUP_KINDS:
            moved[rule][0] += cost.scattered
            moved[rule][1] += cost.portable
    return [(scattered, portable) for scattered, portable in moved.values()]


def _gateway(costs: Sequence[Cost], modules: frozenset[str], layout: Layout) -> str:
    """An existing gateway among ``modules``, else the fittest module: on a current API,
    already holding the most clients and calls (least to move), imported by many
    modules, leaning on few other coupled modules, and holding much of the work."""
    existing = [p for p in layout.neighbours.gateways() if p in modules]
    if existing:
        return existing[0]
    # The leading keys do not depend on the target and are ranked once (gateway_order);
    # the rest is only worked out for the modules that tie on them, which gives the same
    # module as ranking every one by its whole fitness.
    tied: list[str] = []
    best = None
    for key, path in layout.gateway_order:
        if path not in modules:
            continue
        if best is not None and key != best:
            break
        best = key
        tied.append(path)
    scattered = {c.pattern: c.scattered for c in costs}

    def fitness(path: str) -> tuple[int, int, str]:
        leans = len(layout.neighbours.links(path)[0] & modules)
        weight = sum(scattered.get(p, 0) for p in layout.in_file[path])
        return leans, -weight, path

    return min(tied, key=fitness)


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
