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
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from lockscan.graph import ModuleGraph
from lockscan.model import Finding
from lockscan.ruleset import RuleSet
from lockscan.score.targets import LEGACY_APIS, effort_for_target, portable_layers

PORTABLE_SHARE = 0.25
MODULE_SCATTER = 0.25
PACKAGE_SCATTER = 0.5
HALF_EFFORT = 60.0
GRADE_BANDS: tuple[tuple[int, str], ...] = ((10, "A"), (25, "B"), (45, "C"), (65, "D"), (80, "E"),
                                            (100, "F"))
CENTS = 100  # efforts are summed in hundredths so contributors add up exactly


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


def tally(findings: Iterable[Finding], ruleset: RuleSet, graph: ModuleGraph | None = None) -> list[Tally]:
    """Findings of known rules counted per (path, rule), in that order."""
    findings = list(findings)
    portable = portable_layers(ruleset)
    legacy = _legacy_scope(findings, ruleset, graph)
    rules = ruleset.by_id
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
    rules = ruleset.by_id
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
                  graph: ModuleGraph | None = None) -> set[tuple[str, str]]:
    """(path, vendor) pairs whose reads of that vendor's responses are legacy reads.

    A legacy call's response (openai<1.0 returned dicts, 1.x returns typed objects) is
    read in the file that makes the call or in a module it imports or is imported by,
    where it is passed to or returned; those reads change in the SDK upgrade. The set
    only grows as findings are added, which keeps the score monotone."""
    rules = ruleset.by_id
    calls = {(f.path, f.vendor) for f in findings if f.kind == "call"
             and f.rule in rules and rules[f.rule].api in LEGACY_APIS}
    scope = set(calls)
    for path, vendor in calls:  # the graph is asked once per file, not once per call
        if graph is not None and path in graph:
            scope.update((neighbour, vendor)
                         for neighbour in (*graph.importers(path), *graph.imports_of(path)))
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
