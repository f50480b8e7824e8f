"""The JSON contract (``schema_version`` 2); see README "JSON output"."""

from __future__ import annotations

import json
from typing import Any, TextIO

from lockscan import __version__
from lockscan.model import (
    SCHEMA_VERSION,
    Contributor,
    Finding,
    Leave,
    PolicyReport,
    PolicyViolation,
    ScanResult,
    SwitchCost,
)
from lockscan.report.base import ReportOptions


def finding_dict(finding: Finding) -> dict[str, Any]:
    data: dict[str, Any] = {
        "rule": finding.rule,
        "vendor": finding.vendor,
        "kind": finding.kind,
        "path": finding.path,
        "line": finding.line,
        "column": finding.column,
        "end_line": finding.end_line,
        "end_column": finding.end_column,
        "message": finding.message,
        "snippet": finding.snippet,
        "api": finding.api,
        "via": finding.via,
        "confidence": finding.confidence,
        "fingerprint": finding.fingerprint,
    }
    if finding.cell is not None:
        data["cell"] = finding.cell
    data["role"] = finding.role
    if finding.kind == "model_id" and finding.subject:  # an added key: the id it names
        data["model"] = finding.subject
    return data


def cost_dict(cost: SwitchCost) -> dict[str, Any]:
    data: dict[str, Any] = {
        "effort": cost.effort,
        "index": cost.index,
        "grade": cost.grade,
        "contributors": [contributor_dict(c) for c in cost.contributors],
        "suggestions": list(cost.suggestions),
    }
    if cost.omitted is not None:  # an added key: absent when every contributor is listed
        data["omitted_contributors"] = {"contributors": cost.omitted.contributors,
                                        "effort": cost.omitted.effort,
                                        "findings": cost.omitted.findings}
    data["lines"] = {"estimate": cost.lines, "low": cost.lines_low, "high": cost.lines_high}
    data["files"] = cost.files
    data["by_source"] = {p.vendor: {"effort": p.effort, "lines": p.lines, "files": p.files}
                         for p in cost.by_source}
    data["supported_by"] = list(cost.supported_by)
    data["data_migrations"] = list(cost.data_migrations)
    return data


def leave_dict(leave: Leave) -> dict[str, Any]:
    return {"target": leave.target, "effort": leave.effort,
            "lines": {"estimate": leave.lines, "low": leave.lines_low, "high": leave.lines_high},
            "files": leave.files, "supported_by": list(leave.supported_by),
            "contributors": [contributor_dict(c) for c in leave.contributors],
            "suggestions": list(leave.suggestions)}


def contributor_dict(c: Contributor) -> dict[str, Any]:
    return {"path": c.path, "rule": c.rule, "effort": c.effort, "findings": c.findings,
            "lines": c.lines}


def scoring_dict() -> dict[str, Any]:
    """The unit and the constants the costs above were computed with (docs/scoring.md)."""
    from lockscan.score import calibration as cal

    return {"unit": "lines", "lines_per_point": cal.LINES_PER_POINT,
            "interval": list(cal.INTERVAL), "role_share": dict(cal.ROLE_SHARE),
            "grade_bands": [[upper, grade] for upper, grade in cal.GRADE_BANDS]
            + [[None, cal.WORST_GRADE]]}


def to_dict(result: ScanResult) -> dict[str, Any]:
    data = _base_dict(result)
    if result.policy is not None:  # an added key: absent when no policy is configured
        data["policy"] = policy_dict(result.policy)
    if result.models is not None:  # an added key: the models the code names, on a date
        from lockscan.report.models_report import models_dict

        data["models"] = models_dict(result.models)
    return data


def policy_dict(policy: PolicyReport) -> dict[str, Any]:
    return {
        "allowed_modules": list(policy.allowed_modules),
        "violations": [violation_dict(v) for v in policy.violations],
    }


def violation_dict(v: PolicyViolation) -> dict[str, Any]:
    return {"path": v.path, "line": v.line, "module": v.module, "rule": v.rule,
            "vendor": v.vendor, "fingerprint": v.fingerprint, "message": v.message}


def _base_dict(result: ScanResult) -> dict[str, Any]:
    summary = result.summary
    return {
        "schema_version": SCHEMA_VERSION,
        "lockscan_version": __version__,
        "root": result.root,
        "summary": {
            "files": summary.files,
            "python_files": summary.python_files,
            "lines": summary.lines,
            "findings": summary.findings,
            "by_vendor": dict(summary.by_vendor),
            "by_kind": dict(summary.by_kind),
            "by_role": dict(summary.by_role),
        },
        "findings": [finding_dict(f) for f in result.findings],
        "switch_cost": {name: cost_dict(cost) for name, cost in result.switch_cost.items()},
        "leave": {vendor: leave_dict(leave) for vendor, leave in result.leave.items()},
        "scoring": scoring_dict(),
        "graph": {
            "coupled_modules": list(result.graph.coupled_modules),
            "gateways": list(result.graph.gateways),
            "leaks": list(result.graph.leaks),
            "blast_radius": result.graph.blast_radius,
        },
        "diagnostics": [
            {"path": d.path, "code": d.code, "message": d.message} for d in result.diagnostics
        ],
    }


def dumps(result: ScanResult) -> str:
    return json.dumps(to_dict(result), indent=2, ensure_ascii=False) + "\n"


def report(result: ScanResult, stream: TextIO, options: ReportOptions) -> None:
    # Streamed, not built as one string: on a 60k-finding scan the encoder's chunk list
    # for ``dumps`` is the scan's peak memory. Same bytes as ``dumps``.
    json.dump(to_dict(result), stream, indent=2, ensure_ascii=False)
    stream.write("\n")
