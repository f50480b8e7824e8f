"""``fail_on``: the conditions that turn a completed scan into exit code 1, each a pure
function of the result and the findings that count as new."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from lockscan.model import Finding, ScanResult
from lockscan.settings import Condition


def failures(conditions: Iterable[Condition], result: ScanResult,
             new: Sequence[Finding]) -> list[str]:
    """One line per ``fail_on`` condition that holds; ``new`` is the coupling that counts
    as new here (added by a diff, missing from the baseline, or every finding)."""
    lines = []
    for condition in conditions:
        line = _failure(condition, result, new)
        if line:
            lines.append(f"fail_on {condition.text!r}: {line}")
    return lines


def _failure(condition: Condition, result: ScanResult, new: Sequence[Finding]) -> str | None:
    if condition.kind == "new" and new:
        first = new[0]
        return (f"{len(new)} new finding(s), first {first.path}:{first.line} {first.rule}; "
                "remove the coupling, suppress it inline or update the baseline")
    if condition.kind == "policy" and result.policy and result.policy.violations:
        first = result.policy.violations[0]
        return (f"{len(result.policy.violations)} policy violation(s), first "
                f"{first.path}:{first.line} {first.rule}; move vendor code into the "
                "allowed modules")
    if condition.kind == "unused-ignore":
        unused = [d for d in result.diagnostics if d.code == "unused-ignore"]
        if unused:
            return f"{len(unused)} unused `# lockscan: ignore` comment(s), first {unused[0].path}"
    if condition.kind == "threshold":
        over = []
        for target, cost in sorted(result.switch_cost.items()):
            if condition.target not in (None, target):
                continue
            value = {"lines": cost.lines, "effort": cost.effort, "index": cost.index}[
                condition.metric]
            if value > condition.limit:
                over.append(f"{target} {condition.metric} {_number(value)} > "
                            f"{_number(condition.limit)}")
        if over:
            return "; ".join(over)
    return None


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"
