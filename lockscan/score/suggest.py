"""Where a target's cost sits and the few changes that would lower it most, each priced
by scoring again: consolidating the coupled modules behind one gateway, or reworking
every finding of one rule."""

from __future__ import annotations

import functools
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import chain

from lockscan.graph import ModuleGraph
from lockscan.ruleset import RuleSet
from lockscan.score.price import CENTS, Cost, Pattern, Tally, is_code, patterns, scatter_factor
from lockscan.score.targets import LEGACY_APIS

SETUP_KINDS = frozenset({"import", "client", "env_var", "credential"})  # once per module
SUGGESTIONS = 3


class Neighbours:
    """The graph facts suggestions ask for, looked up once per scan, not once per target."""

    def __init__(self, graph: ModuleGraph | None) -> None:
        self.graph = graph
        self._links: dict[str, tuple[frozenset[str], int]] = {}
        self._gateways: list[str] | None = None

    def gateways(self) -> list[str]:
        if self._gateways is None:
            self._gateways = self.graph.gateways() if self.graph is not None else []
        return self._gateways

    def links(self, path: str) -> tuple[frozenset[str], int]:
        """The modules ``path`` imports, and how many modules import it."""
        if path not in self._links:
            if self.graph is None:
                self._links[path] = (frozenset(), 0)
            else:
                self._links[path] = (frozenset(self.graph.imports_of(path)),
                                     len(self.graph.importers(path)))
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
    def of(cls, tallies: Sequence[Tally], ruleset: RuleSet, graph: ModuleGraph | None) -> Layout:
        rules = ruleset.by_id
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
                   {path: _package(graph, path) for path in sorted(in_file)},
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


def _package(graph: ModuleGraph | None, path: str) -> str:
    from lockscan.graph.model import package_name

    return graph.package_of(path) if graph is not None else package_name("", path)


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


def suggest(costs: Sequence[Cost], spread: Spread, layout: Layout, ruleset: RuleSet,
            cents: int) -> list[str]:
    """The changes that would lower the effort most, each priced by scoring again."""
    candidates: list[tuple[int, str, str]] = []  # (saving, text, rule or "")
    rules = ruleset.by_id
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
