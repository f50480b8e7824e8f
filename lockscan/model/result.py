"""What a whole scan concludes: summary, switch costs, graph summary, policy, result."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from lockscan.model.facts import ROLES, Diagnostic, Finding
from lockscan.model.models import ModelReport

# Of the JSON report: extend by adding keys, bump on a change of meaning. 2: a target's
# grade and index are bands of the estimated lines to change (were of effort points), and
# ``switch_cost`` holds the targets a user considers by default (was every known target).
SCHEMA_VERSION = 2


@dataclass(frozen=True, slots=True)
class Summary:
    files: int
    python_files: int
    lines: int
    findings: int
    by_vendor: dict[str, int] = field(default_factory=dict)
    by_kind: dict[str, int] = field(default_factory=dict)
    by_role: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Contributor:
    path: str
    rule: str
    effort: float
    findings: int
    lines: int = 0  # its effort in estimated lines (rounded: need not add up to the row's)


@dataclass(frozen=True, slots=True)
class Omitted:
    """The contributors past the listed ones, summed: the listed ones plus these add up
    to the effort."""

    contributors: int
    effort: float
    findings: int


@dataclass(frozen=True, slots=True)
class SourceCost:
    """The part of a target's cost that comes from one vendor's code (``by_source``): the
    parts add up to the target's effort, lines and (as a union) files. The target's own
    vendor's part is its upgrade cost."""

    vendor: str
    effort: float
    lines: int
    files: int


@dataclass(frozen=True, slots=True)
class SwitchCost:
    """What moving everything to ``target`` costs: points (the internal unit), the
    estimated lines to change with an interval, the files touched, and its explanation."""

    target: str
    effort: float
    index: int
    grade: str
    contributors: tuple[Contributor, ...] = ()  # the largest, at most MAX_CONTRIBUTORS
    suggestions: tuple[str, ...] = ()
    omitted: Omitted | None = None  # None when every contributor is listed
    lines: int = 0  # estimated lines to change (docs/scoring.md)
    lines_low: int = 0  # the interval around it
    lines_high: int = 0
    files: int = 0  # files holding a priced finding
    by_source: tuple[SourceCost, ...] = ()  # by vendor, largest first; adds up to the row
    supported_by: tuple[str, ...] = ()  # production files that already talk to the target
    data_migrations: tuple[str, ...] = ()  # files whose stored data (vectors, fine-tunes) must be rebuilt


@dataclass(frozen=True, slots=True)
class Leave:
    """What leaving ``vendor`` costs: its code moved to ``target``, the best alternative
    the code already supports (``supported_by`` its files), else the cheapest one."""

    vendor: str
    target: str
    effort: float
    lines: int
    lines_low: int
    lines_high: int
    files: int
    supported_by: tuple[str, ...] = ()
    contributors: tuple[Contributor, ...] = ()  # of this move only, largest first
    suggestions: tuple[str, ...] = ()  # the changes that would lower this move most


@dataclass(frozen=True, slots=True)
class GraphSummary:
    coupled_modules: tuple[str, ...] = ()
    gateways: tuple[str, ...] = ()
    leaks: tuple[str, ...] = ()
    blast_radius: int = 0


@dataclass(frozen=True, slots=True)
class PolicyViolation:
    """A vendor import or call outside the configured gateway (``allowed_modules``)."""

    path: str
    line: int
    module: str
    rule: str
    vendor: str
    fingerprint: str  # of the finding it refers to
    message: str


@dataclass(frozen=True, slots=True)
class PolicyReport:
    allowed_modules: tuple[str, ...]
    violations: tuple[PolicyViolation, ...] = ()


@dataclass(frozen=True, slots=True)
class ScanResult:
    root: str
    summary: Summary
    findings: tuple[Finding, ...]
    diagnostics: tuple[Diagnostic, ...]
    graph: GraphSummary = field(default_factory=GraphSummary)
    switch_cost: dict[str, SwitchCost] = field(default_factory=dict)
    policy: PolicyReport | None = None  # set when allowed_modules is configured
    models: ModelReport | None = None  # set by the use cases (lockscan.app), after the cache
    leave: dict[str, Leave] = field(default_factory=dict)  # per vendor in use


def count_findings(findings: Sequence[Finding], base: Summary | None = None) -> Summary:
    """``base`` (or an empty summary) with the finding counts of ``findings``: the one
    place findings are counted, for a scan and for any subset of one (a baseline, a
    pre-commit file list)."""
    by_vendor = Counter(f.vendor for f in findings)
    by_kind = Counter(f.kind for f in findings)
    by_role = Counter(f.role for f in findings)
    return replace(base or Summary(0, 0, 0, 0), findings=len(findings),
                   by_vendor=dict(sorted(by_vendor.items())),
                   by_kind=dict(sorted(by_kind.items())),
                   by_role={role: by_role[role] for role in ROLES if by_role[role]})
