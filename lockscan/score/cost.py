"""Where a switch cost is computed: ``score``, a pure function of (findings, graph,
rules, settings) that returns what leaving each vendor and moving everything to each
target would cost, in estimated lines to change, where that cost sits and which few
changes would lower it most. It puts together ``targets``, ``flow``, ``price`` and
``suggest`` (see the package's docstring); the model: docs/scoring.md.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from lockscan.graph import ModuleGraph
from lockscan.model import CALL_KINDS, Contributor, Finding, Leave, Omitted, SourceCost, SwitchCost
from lockscan.ruleset import RuleSet
from lockscan.score import calibration
from lockscan.score.flow import Flow, flow_of
from lockscan.score.price import (
    CENTS,
    FileSites,
    Part,
    Points,
    Tally,
    grade_for,
    index_for,
    interval,
    lines_of,
    parts,
    price,
    rule_points,
    sites_of,
    tally,
)
from lockscan.score.suggest import Layout, suggest
from lockscan.score.targets import (
    LEGACY_APIS,
    check_targets,
    default_targets,
    known_targets,
)

# Contributors listed per target; the rest are summed in ``omitted``. A dense monorepo
# has tens of thousands of (file, rule) pairs per target: listing them all made the JSON
# report 134 MB on the bench corpus, and nobody reads past the first hundred.
MAX_CONTRIBUTORS = 100


@dataclass(frozen=True)
class ScoreSettings:
    """``targets``: the targets to show (empty: the ones a user considers, see
    ``default_targets``); ``allowed_modules``: the configured gateway advice names."""

    targets: tuple[str, ...] = ()
    allowed_modules: tuple[str, ...] = ()


@dataclass(frozen=True)
class Scores:
    switch_cost: dict[str, SwitchCost]
    leave: dict[str, Leave]


@dataclass(frozen=True)
class _Row:
    target: str
    parts: tuple[Part, ...]

    @property
    def cents(self) -> int:
        return sum(p.cents for p in self.parts)


def score(findings: Sequence[Finding], graph: ModuleGraph | None, ruleset: RuleSet,
          settings: ScoreSettings = ScoreSettings()) -> Scores:
    """Both questions for every vendor in use and every target shown."""
    wanted = check_targets(ruleset, settings.targets)
    flow = flow_of(findings, ruleset, graph)
    tallies = tally(findings, ruleset, flow)
    legacy = {t.path for t in tallies if t.kind in CALL_KINDS and ruleset.by_id[t.rule].api in LEGACY_APIS}
    layout = Layout.of(tallies, graph, flow.source_of, settings.allowed_modules, legacy,
                       {v.id: v.name for v in ruleset.vendors})
    rows, twins = _rows(tallies, ruleset, flow, layout)
    in_use = vendors_in_use(tallies, flow, ruleset)
    shown = wanted or default_targets(in_use, {t: _lines(r) for t, r in rows.items()},
                                      flow.layers)
    fixes = {rule.id: rule.fix for rule in ruleset.rules}
    costs: dict[str, SwitchCost] = {}
    first: dict[str, SwitchCost] = {}  # the cost of the first of each set of twins shown
    for t in shown:
        twin = first.get(twins.get(t, t))
        costs[t] = (replace(twin, target=t) if twin is not None
                    else _switch_cost(rows[t], flow, layout, fixes))
        first.setdefault(twins.get(t, t), costs[t])
    return Scores(costs, {v: _leave(v, rows, flow, layout, fixes) for v in in_use})


def _rows(tallies: Sequence[Tally], ruleset: RuleSet, flow: Flow,
          layout: Layout) -> tuple[dict[str, _Row], dict[str, str]]:
    """Every known target priced, and each twin target's first twin (a target none of
    the code is written for, with the same rule points as an earlier one: the
    OpenAI-compatible hosts, mostly, cost the same).

    One source's part depends on the target only through what ``_part_key`` holds, and
    many targets price a vendor's code alike (the vendor corpus: 437 parts, 201 distinct),
    so each distinct part is priced once."""
    sources = sites_of(tallies, flow)
    rules_of = {s: sorted({site.tally.rule for sites in files for site in sites})
                for s, files in sources.items()}
    used = {t.rule for t in tallies}
    vendors = {t.vendor for t in tallies}
    priced: dict[tuple[object, ...], tuple[Part, ...]] = {}
    first_with: dict[tuple[object, ...], str] = {}
    rows, twins = {}, {}
    for target in known_targets(ruleset):
        points = rule_points(used, ruleset, target)
        if target not in vendors:
            twins[target] = first_with.setdefault((target in flow.layers, *points.items()),
                                                  target)
        found: list[Part] = []
        for source, files in sources.items():
            key = _part_key(source, files, rules_of[source], flow, target, points)
            part = priced.get(key)
            if part is None:
                part = priced[key] = tuple(parts(price(files, flow, target, points),
                                                 layout.packages))
            found.extend(part)
        rows[target] = _Row(target, tuple(sorted(found, key=lambda p: (-p.cents, p.source))))
    return rows, twins


def _part_key(source: str, files: Sequence[FileSites], rules: Sequence[str], flow: Flow,
              target: str, points: Points) -> tuple[object, ...]:
    """What ``price`` reads of the target for one source's sites: whether the target is a
    portable layer or the source itself, the points of the source's rules, and the target
    itself only when one of the source's files sits beside an adapter of it."""
    near = (source != target and target in flow.adapters
            and any(flow.beside(sites[0].tally.path, source, target, sites[0].tally.role)
                    for sites in files))
    return (source, target in flow.layers, source == target, target if near else None,
            *(points[rule] for rule in rules))


def score_targets(findings: Sequence[Finding], graph: ModuleGraph | None, ruleset: RuleSet,
                  targets: Iterable[str] = ()) -> dict[str, SwitchCost]:
    """The switch cost of ``targets`` (the default targets when empty)."""
    return score(findings, graph, ruleset, ScoreSettings(tuple(targets))).switch_cost


def score_target(findings: Sequence[Finding], graph: ModuleGraph | None, ruleset: RuleSet,
                 target: str) -> SwitchCost:
    return score_targets(findings, graph, ruleset, [target])[target]


def part_of(cost: SwitchCost, vendor: str) -> SourceCost:
    """``vendor``'s part of a target (zero when its code costs nothing there)."""
    return next((p for p in cost.by_source if p.vendor == vendor), SourceCost(vendor, 0.0, 0, 0))


def vendors_in_use(tallies: Iterable[Tally], flow: Flow, ruleset: RuleSet) -> list[str]:
    """Providers whose SDK the production code imports or calls, directly or named through
    a portable layer (`ChatAnthropic`, an `anthropic/...` model for litellm)."""
    known = set(known_targets(ruleset)) - flow.layers
    rules = ruleset.by_id
    found = {flow.source_of(t.rule, t.vendor) for t in tallies
             if t.role == "production" and (t.kind in CALL_KINDS or t.kind == "import"
                                             or rules[t.rule].via in flow.layers)}
    return sorted(found & known)


def _lines(row: _Row) -> int:
    return sum(lines_of(p.cents) for p in row.parts)


def _switch_cost(row: _Row, flow: Flow, layout: Layout, fixes: dict[str, str]) -> SwitchCost:
    lines = _lines(row)
    low, high = interval(lines)
    listed, omitted = contributors(row.parts, row.cents)
    files = len({p.path for part in row.parts for p, share in part.shares if share > 0})
    return SwitchCost(
        target=row.target,
        effort=row.cents / CENTS,
        index=index_for(lines),
        grade=grade_for(lines),
        contributors=listed,
        suggestions=tuple(suggest(row.parts, layout, fixes)),
        omitted=omitted,
        lines=lines,
        lines_low=low,
        lines_high=high,
        files=files,
        by_source=tuple(SourceCost(p.source, p.cents / CENTS, lines_of(p.cents),
                                   p.files) for p in row.parts),
        supported_by=flow.supported_by.get(row.target, ()),
        data_migrations=tuple(sorted({p.path for part in row.parts for p, _ in part.shares
                                      if p.data})),
    )


def _leave(vendor: str, rows: dict[str, _Row], flow: Flow, layout: Layout,
           fixes: dict[str, str]) -> Leave:
    """``vendor``'s code moved to the best alternative the code already supports for what
    that code serves (``flow.needs``: chat, embeddings), else to the cheapest one (portable
    layers are not an exit: the calls still reach the vendor)."""
    needed = flow.needs.get(vendor, frozenset())
    options = [t for t in rows if t != vendor and t not in flow.layers]
    supported = [t for t in options
                 if flow.supported_by.get(t) and needed <= flow.serves.get(t, frozenset())]
    if not supported and "generation" in needed:
        # No one target serves it all (chat and embeddings): one that takes over the chat
        # code is still the alternative the code already supports; the embeddings part
        # is priced as the data migration it is.
        supported = [t for t in options if flow.supported_by.get(t)
                     and "generation" in flow.serves.get(t, frozenset())]

    def part_in(target: str) -> Part | None:
        return next((p for p in rows[target].parts if p.source == vendor), None)

    def cost(target: str) -> tuple[int, int, str]:
        part = part_in(target)
        return (lines_of(part.cents), part.cents, target) if part else (0, 0, target)

    target = min(supported or options, key=cost)
    part = part_in(target)
    lines = lines_of(part.cents) if part else 0
    low, high = interval(lines)
    listed = contributors([part], part.cents)[0] if part else ()
    return Leave(vendor, target, part.cents / CENTS if part else 0.0, lines, low, high,
                 part.files if part else 0,
                 flow.supported_by.get(target, ()) if target in supported else (), listed,
                 tuple(suggest([part], layout, fixes)) if part else ())


def contributors(part_list: Sequence[Part],
                 cents: int) -> tuple[tuple[Contributor, ...], Omitted | None]:
    """The largest (file, rule) shares, at most ``MAX_CONTRIBUTORS``, largest first then by
    path and rule, and the rest summed; listed plus omitted add up to ``cents``."""
    shares: dict[tuple[str, str], list[float]] = {}
    per_point = calibration.LINES_PER_POINT
    for part in part_list:
        for p, share in part.shares:
            if share > 0:
                key = (p.path, p.rule)
                entry = shares.get(key)
                if entry is None:
                    shares[key] = [share, p.found, share * per_point / CENTS]
                else:
                    entry[0] += share
                    entry[1] += p.found
                    entry[2] += share * per_point / CENTS
    # The largest first (then by path and rule); only the listed ones need sorting.
    top = heapq.nsmallest(MAX_CONTRIBUTORS, shares.items(),
                          key=lambda item: (-item[1][0], item[0]))
    listed = tuple(Contributor(path, rule, share / CENTS, int(found), round(lines))
                   for (path, rule), (share, found, lines) in top)
    omitted = None
    if len(shares) > len(top):
        listed_share = sum(s for _, (s, _, _) in top)
        listed_found = sum(found for _, (_, found, _) in top)
        omitted = Omitted(len(shares) - len(top), (cents - listed_share) / CENTS,
                          int(sum(found for _, found, _ in shares.values()) - listed_found))
    return listed, omitted

