"""The JSON contract (``schema_version`` 1); see README "JSON output"."""

from __future__ import annotations

import json
from typing import Any, TextIO

from lockscan import __version__
from lockscan.model import SCHEMA_VERSION, Finding, PolicyReport, PolicyViolation, ScanResult, SwitchCost
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
    data = {
        "effort": cost.effort,
        "index": cost.index,
        "grade": cost.grade,
        "contributors": [
            {"path": c.path, "rule": c.rule, "effort": c.effort, "findings": c.findings}
            for c in cost.contributors
        ],
        "suggestions": list(cost.suggestions),
    }
    if cost.omitted is not None:  # an added key: absent when every contributor is listed
        data["omitted_contributors"] = {"contributors": cost.omitted.contributors,
                                        "effort": cost.omitted.effort,
                                        "findings": cost.omitted.findings}
    return data


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
    stream.write(dumps(result))
