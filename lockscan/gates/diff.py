"""Compare two scans: what a change adds or removes, and what it does to the score.

``compare`` is a pure function of two ``ScanResult``s, matching findings by fingerprint
so that a moved line is neither new nor gone (``lockscan.gates.git`` brings a ref's tree).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from lockscan.gates.weakening import Weakening
from lockscan.model import Finding, PolicyViolation, ScanResult, SwitchCost


@dataclass(frozen=True, slots=True)
class CostChange:
    target: str
    before: SwitchCost | None
    after: SwitchCost | None

    @property
    def effort_before(self) -> float:
        return self.before.effort if self.before else 0.0

    @property
    def effort_after(self) -> float:
        return self.after.effort if self.after else 0.0

    @property
    def delta(self) -> float:
        return self.effort_after - self.effort_before

    @property
    def lines_before(self) -> int:
        return self.before.lines if self.before else 0

    @property
    def lines_after(self) -> int:
        return self.after.lines if self.after else 0

    @property
    def lines_delta(self) -> int:
        """The change in estimated lines to change: what the reports show."""
        return self.lines_after - self.lines_before

    @property
    def index_before(self) -> int:
        return self.before.index if self.before else 0

    @property
    def index_after(self) -> int:
        return self.after.index if self.after else 0


@dataclass(frozen=True, slots=True)
class DiffResult:
    base_ref: str
    head_ref: str | None  # None: the working tree
    base: ScanResult
    head: ScanResult
    added: tuple[Finding, ...]
    removed: tuple[Finding, ...]
    costs: tuple[CostChange, ...]
    new_violations: tuple[PolicyViolation, ...]
    # Whose gate settings (config, baseline) judged both sides: "base", "head", or
    # "given" (a caller's own Settings); and what the head relaxes, listed first.
    settings_from: str = "given"
    weakenings: tuple[Weakening, ...] = ()


def compare(base: ScanResult, head: ScanResult, base_ref: str = "base",
            head_ref: str | None = None) -> DiffResult:
    """Findings added and removed by fingerprint, and the switch-cost change per target."""
    before = {f.fingerprint for f in base.findings}
    after = {f.fingerprint for f in head.findings}
    added = tuple(f for f in head.findings if f.fingerprint not in before)
    removed = tuple(f for f in base.findings if f.fingerprint not in after)
    targets = sorted(set(base.switch_cost) | set(head.switch_cost))
    costs = tuple(CostChange(t, base.switch_cost.get(t), head.switch_cost.get(t))
                  for t in targets)
    added_prints = {f.fingerprint for f in added}
    violations = head.policy.violations if head.policy else ()
    new_violations = tuple(v for v in violations if v.fingerprint in added_prints)
    return DiffResult(base_ref, head_ref, base, head, added, removed, costs, new_violations)


def gate_result(diff: DiffResult) -> ScanResult:
    """The head result as ``fail_on`` should see it in a diff: only new violations count."""
    policy = diff.head.policy
    if policy is not None:
        policy = replace(policy, violations=diff.new_violations)
    return replace(diff.head, policy=policy)
