"""``lockscan diff`` as text and JSON: findings added and removed, score change."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any, TextIO

from lockscan import __version__
from lockscan.gates.diff import CostChange, DiffResult
from lockscan.gates.weakening import Weakening
from lockscan.model import SCHEMA_VERSION, SwitchCost
from lockscan.report.base import ReportOptions
from lockscan.report.json_report import finding_dict, violation_dict


def cost_line(change: CostChange) -> str:
    """``anthropic: ~41 → ~57 lines, +16`` (estimated lines to change)."""
    before, after = _lines(change.before), _lines(change.after)
    delta = after - before
    sign = "+" if delta > 0 else "±" if delta == 0 else "-"
    return f"{change.target}: ~{before} → ~{after} lines, {sign}{abs(delta)}"


def _lines(cost: SwitchCost | None) -> int:
    return cost.lines if cost is not None else 0


def text(diff: DiffResult, stream: TextIO, options: ReportOptions) -> None:
    head = diff.head_ref or "working tree"
    stream.write(f"lockscan diff {diff.base_ref} → {head}: {len(diff.added)} added, "
                 f"{len(diff.removed)} removed\n")
    if diff.weakenings:
        stream.write(f"gate: this change relaxes the gate in {len(diff.weakenings)} way(s) "
                     f"({_judged(diff)}):\n")
        for w in diff.weakenings:
            stream.write(f"! {_place(w)}  {w.message}\n")
    for sign, findings in (("+", diff.added), ("-", diff.removed)):
        for f in findings:
            stream.write(f"{sign} {f.path}:{f.line}:{f.column}  {f.rule}  {f.message}\n")
    if diff.new_violations:
        stream.write(f"policy: {len(diff.new_violations)} new violation(s)\n")
        for v in diff.new_violations:
            stream.write(f"  {v.path}:{v.line}  {v.message}\n")
    if diff.costs:
        stream.write("switch cost (estimated lines to change):\n")
        for change in diff.costs:
            stream.write(f"  {cost_line(change)}\n")


def _judged(diff: DiffResult) -> str:
    return {"base": "judged by the base's settings, not the head's",
            "head": "and the head's settings judged it"}.get(diff.settings_from,
                                                            "judged by the given settings")


def _place(w: Weakening) -> str:
    return f"{w.path}:{w.line}" if w.line else w.path


def weakening_dict(w: Weakening) -> dict[str, Any]:
    return {"kind": w.kind, "key": w.key, "path": w.path, "line": w.line,
            "message": w.message}


def to_dict(diff: DiffResult) -> dict[str, Any]:
    return {
        "schema_version": SCHEMA_VERSION,
        "lockscan_version": __version__,
        "base": diff.base_ref,
        "head": diff.head_ref,
        "added": [finding_dict(f) for f in diff.added],
        "removed": [finding_dict(f) for f in diff.removed],
        "switch_cost": {
            c.target: {"effort_before": c.effort_before, "effort_after": c.effort_after,
                       "delta": c.delta, "index_before": c.index_before,
                       "index_after": c.index_after, "lines_before": _lines(c.before),
                       "lines_after": _lines(c.after)}
            for c in diff.costs
        },
        "policy": None if diff.head.policy is None else {
            "allowed_modules": list(diff.head.policy.allowed_modules),
            "new_violations": [violation_dict(v) for v in diff.new_violations],
        },
        # Added key: whose settings judged the change, and what the head relaxes.
        "gate": {"settings_from": diff.settings_from,
                 "weakenings": [weakening_dict(w) for w in diff.weakenings]},
    }


def json_report(diff: DiffResult, stream: TextIO, options: ReportOptions) -> None:
    stream.write(json.dumps(to_dict(diff), indent=2, ensure_ascii=False) + "\n")


def sarif(diff: DiffResult, stream: TextIO, options: ReportOptions) -> None:
    """Every head finding, ``baselineState`` new for the ones the change adds; what the
    change relaxes in its own gate as warnings of their own rule."""
    from lockscan.report.sarif_report import dumps

    gated = replace(diff.head, policy=None if diff.head.policy is None else
                    replace(diff.head.policy, violations=diff.new_violations))
    stream.write(dumps(gated, options.rules, new={f.fingerprint for f in diff.added},
                       weakenings=diff.weakenings))
