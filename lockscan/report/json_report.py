"""The JSON contract (``schema_version`` 2); see README "JSON output"."""

from __future__ import annotations

import json
from collections.abc import Sequence
from json.encoder import encode_basestring  # type: ignore[attr-defined]
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
    return _document(result, [finding_dict(f) for f in result.findings])


def _document(result: ScanResult, findings: Any) -> dict[str, Any]:
    data = _base_dict(result, findings)
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


def _base_dict(result: ScanResult, findings: Any) -> dict[str, Any]:
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
        "findings": findings,
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
    return dumps_data(to_dict(result))


# Stands for the findings while the rest of the document is encoded (see ``report``).
_FINDINGS = "\x00lockscan findings\x00"
_FINDINGS_AT = '\n  "findings": ' + json.dumps(_FINDINGS)


def report(result: ScanResult, stream: TextIO, options: ReportOptions) -> None:
    """The same bytes as ``dumps``, streamed: the findings (nearly all of a big report)
    are written one at a time, so the encoded document never sits in memory, and with
    the C string encoder (``json.dump`` with ``indent`` runs the pure-Python encoder:
    1.3 s on a 60k-finding scan)."""
    head, tail = dumps_data(_document(result, _FINDINGS)).split(_FINDINGS_AT, 1)
    stream.write(head + '\n  "findings": ')
    _write_findings(result.findings, stream)
    stream.write(tail)


def dumps_data(data: dict[str, Any]) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def _write_findings(findings: Sequence[Finding], stream: TextIO) -> None:
    """``findings`` as ``json.dump(..., indent=2)`` writes their list at the second level."""
    if not findings:
        stream.write("[]")
        return
    stream.write("[\n")
    last = len(findings) - 1
    for number, finding in enumerate(findings):
        entries = ",\n".join(f"      {encode_basestring(key)}: {_value(value)}"
                              for key, value in finding_dict(finding).items())
        stream.write(f"    {{\n{entries}\n    }}{',' if number < last else ''}\n")
    stream.write("  ]")


def _value(value: Any) -> str:
    if type(value) is str:
        return encode_basestring(value)
    if value is None:
        return "null"
    if type(value) is int:
        return int.__repr__(value)
    # Anything else (a bool, a float, a nested value) as the standard encoder writes it
    # at this depth: every line after the first indented three levels deeper.
    return json.dumps(value, indent=2, ensure_ascii=False).replace("\n", "\n      ")
