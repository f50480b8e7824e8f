"""The scan as one HTML page for a tech lead (``lockscan scan --format html -o report.html``):
the summary, the cost of a switch per target, where that cost sits, the coupled part of
the module graph, the findings in a table that filters, and the page of every rule found.

This module only arranges the scan result as the page's data; ``html_page`` inlines the
template, stylesheet and script (``assets/``) around it. The graph comes ready-made in
``ReportOptions.graph`` (``lockscan.app.scan_with_view`` builds it); without it the page
has no graph section. Rule pages come from ``ReportOptions.rules``.
"""

from __future__ import annotations

from dataclasses import fields
from typing import Any, TextIO

from lockscan.model import Finding, Leave, ScanResult, SwitchCost
from lockscan.report.base import ReportOptions
from lockscan.report.html_page import graph_data, page


class Strings:
    """Repeated strings (paths, rules, messages) stored once, referred to by index."""

    def __init__(self) -> None:
        self.index: dict[str, int] = {}

    def __call__(self, text: str) -> int:
        return self.index.setdefault(text, len(self.index))

    def table(self) -> list[str]:
        return list(self.index)


def report(result: ScanResult, stream: TextIO, options: ReportOptions) -> None:
    stream.write(page(f"lockscan · {result.root}", scan_data(result, options)))


def scan_data(result: ScanResult, options: ReportOptions) -> dict[str, Any]:
    strings = Strings()
    summary = result.summary
    graph = result.graph
    data: dict[str, Any] = {
        "title": "Vendor lock-in report",
        "root": result.root,
        "headline": headline(result),
        "summary": {"findings": summary.findings, "files": summary.files,
                    "python_files": summary.python_files, "lines": summary.lines,
                    "diagnostics": len(result.diagnostics), "by_vendor": dict(summary.by_vendor),
                    "by_kind": dict(summary.by_kind), "by_role": dict(summary.by_role)},
        "graph_summary": {"coupled": len(graph.coupled_modules), "gateways": len(graph.gateways),
                          "leaks": len(graph.leaks), "blast_radius": graph.blast_radius},
        "targets": [target_row(cost) for cost in result.switch_cost.values()],
        "leave": [leave_row(leave) for leave in result.leave.values()],
        "costs": {name: cost_data(cost, strings) for name, cost in result.switch_cost.items()},
        "findings": [finding_row(f, strings) for f in result.findings],
        "diagnostics": [[strings(d.path), strings(d.code), d.message] for d in result.diagnostics],
        "rules": rule_pages(result, options),
        "graph": graph_data(options.graph) if options.graph is not None else None,
        "policy": None,
    }
    if result.policy is not None:
        data["policy"] = {"allowed_modules": list(result.policy.allowed_modules),
                          "violations": [{"path": v.path, "line": v.line, "rule": v.rule,
                                          "message": v.message} for v in result.policy.violations]}
    data["toc"] = [[key, label] for key, label, shown in (
        ("summary", "Summary", True), ("cost", "Cost per target", bool(result.switch_cost)),
        ("where", "Where it sits", bool(result.switch_cost)),
        ("graph", "Coupled modules", options.graph is not None), ("findings", "Findings", True),
        ("policy", "Policy", result.policy is not None),
        ("diagnostics", "Diagnostics", bool(result.diagnostics)),
        ("rules", "Rules", bool(data["rules"]))) if shown]
    data["strings"] = strings.table()
    return data


def headline(result: ScanResult) -> str:
    """One sentence of what the scan found, and the cheapest and dearest switch."""
    summary = result.summary
    if not summary.findings:
        return "No vendor coupling found."
    vendors = sorted(summary.by_vendor, key=lambda v: (-summary.by_vendor[v], v))
    modules = len(result.graph.coupled_modules)
    named = ", ".join(vendors[:5]) + (f" and {len(vendors) - 5} more" if len(vendors) > 5 else "")
    text = (f"{_count(summary.findings, 'finding')} in {_count(modules, 'file')} tie this code "
            f"to {_count(len(vendors), 'vendor')}: {named}.")
    if result.graph.gateways:
        text += (f" {_count(len(result.graph.gateways), 'gateway')}, "
                 f"{_count(len(result.graph.leaks), 'leak')} past them.")
    costs = list(result.switch_cost.values())
    if len(costs) > 1:
        cheapest = min(c.lines for c in costs)
        dearest = max(c.lines for c in costs)
        text += (f" Cheapest target: {_priced(costs, cheapest)}; "
                 f"dearest: {_priced(costs, dearest)}.")
    return text


def _priced(costs: list[SwitchCost], lines: int) -> str:
    """The targets that cost ``lines``, named (at most three), with their price."""
    tied = sorted((c for c in costs if c.lines == lines), key=lambda c: c.target)
    names = ", ".join(c.target for c in tied[:3])
    if len(tied) > 3:
        names += f" and {len(tied) - 3} more"
    return f"{names} (~{lines:,} lines to change, grade {tied[0].grade})"


def _count(n: int, word: str) -> str:
    return f"{n:,} {word}{'s' * (n != 1)}"


def target_row(cost: SwitchCost) -> dict[str, Any]:
    """A target's row: estimated lines with their interval, files, grade, and the parts
    a reader weighs (already supported, by source vendor, stored data to rebuild)."""
    return {"target": cost.target, "lines": cost.lines, "low": cost.lines_low,
            "high": cost.lines_high, "files": cost.files, "grade": cost.grade,
            "index": cost.index, "effort": cost.effort,
            "by_source": {part.vendor: part.lines for part in cost.by_source},
            "supported_by": list(cost.supported_by),
            "data_migrations": list(cost.data_migrations)}


def leave_row(leave: Leave) -> dict[str, Any]:
    return {"vendor": leave.vendor, "target": leave.target, "lines": leave.lines,
            "low": leave.lines_low, "high": leave.lines_high, "files": leave.files,
            "supported_by": list(leave.supported_by)}


def cost_data(cost: SwitchCost, strings: Strings) -> dict[str, Any]:
    omitted = cost.omitted
    return {
        "contributors": [[strings(c.path), strings(c.rule), c.effort, c.findings, c.lines]
                         for c in cost.contributors],
        "omitted": None if omitted is None else {"contributors": omitted.contributors,
                                                 "effort": omitted.effort,
                                                 "lines": _share(omitted.effort, cost),
                                                 "findings": omitted.findings},
        "suggestions": list(cost.suggestions),
    }


def _share(effort: float, cost: SwitchCost) -> int:
    """``effort`` of the row's points as the row's lines (its part of the estimate)."""
    return round(cost.lines * effort / cost.effort) if cost.effort else 0


def finding_row(finding: Finding, strings: Strings) -> list[Any]:
    """[path, line, column, cell, rule, vendor, kind, role, confidence, message, snippet],
    the strings as indexes (the order ``assets/table.js`` reads them in)."""
    return [strings(finding.path), finding.line, finding.column, finding.cell,
            strings(finding.rule), strings(finding.vendor), strings(finding.kind),
            strings(finding.role), strings(finding.confidence), strings(finding.message),
            strings(finding.snippet)]


def rule_pages(result: ScanResult, options: ReportOptions) -> dict[str, Any]:
    """The page of each rule with a finding or a share of the cost, when the rules are
    known."""
    if options.rules is None:
        return {}
    from lockscan.authoring.ruledocs import rule_doc

    wanted = {f.rule for f in result.findings}
    wanted |= {c.rule for cost in result.switch_cost.values() for c in cost.contributors}
    pages: dict[str, Any] = {}
    for rule_id in sorted(wanted):
        rule = options.rules.get(rule_id)
        if rule is not None:
            doc = rule_doc(rule, options.rules)
            pages[rule_id] = {f.name: getattr(doc, f.name) for f in fields(doc)}
    return pages


__all__ = ["report", "scan_data"]
