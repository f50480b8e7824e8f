"""Human-readable report with rich: summary, then findings by vendor and file."""

from __future__ import annotations

from collections import defaultdict
from typing import TextIO

from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from lockscan import __version__
from lockscan.model import Finding, ScanResult
from lockscan.report.base import ReportOptions

CONFIDENCE_STYLE = {"high": "bold", "medium": "", "low": "dim"}


def make_console(stream: TextIO) -> Console:
    interactive = hasattr(stream, "isatty") and stream.isatty()
    return Console(
        file=stream,
        width=None if interactive else 100,
        color_system="auto" if interactive else None,
        highlight=False,
        soft_wrap=not interactive,
    )


def report(result: ScanResult, stream: TextIO, options: ReportOptions) -> None:
    console = make_console(stream)
    summary = result.summary
    console.print(Text(f"lockscan {__version__} · {result.root}", style="bold"))
    console.print(
        f"{summary.files} files ({summary.python_files} Python) · {summary.lines} lines · "
        f"{summary.findings} findings · {len(result.diagnostics)} diagnostics"
    )
    if summary.findings:
        console.print(_counts_table(summary.by_vendor, "vendor"))
        console.print(_counts_table(summary.by_kind, "kind"))
        if set(summary.by_role) - {"production"}:
            console.print(_counts_table(summary.by_role, "role"))
    for vendor, by_file in _grouped(result.findings).items():
        count = sum(len(items) for items in by_file.values())
        console.print()
        console.print(Text(f"{vendor} ({count})", style="bold underline"))
        for path, items in by_file.items():
            role = items[0].role
            console.print(Text(f"  {path}" + ("" if role == "production" else f"  ({role})"),
                               style="cyan"))
            for finding in items:
                _print_finding(console, finding)
    if result.policy is not None and result.policy.violations:
        console.print()
        console.print(Text(f"policy violations ({len(result.policy.violations)}): vendor "
                           "code outside " + ", ".join(result.policy.allowed_modules),
                           style="bold red"))
        for violation in result.policy.violations:
            console.print(Text(f"  {violation.path}:{violation.line}  {violation.rule}  "
                               f"{violation.message}"))
    if result.diagnostics:
        console.print()
        console.print(Text("diagnostics (files not fully analyzed)", style="bold yellow"))
        for diag in result.diagnostics:
            # Text, not markup: "[parse-error]" would otherwise be eaten as a style tag.
            console.print(Text(f"  {diag.path}: [{diag.code}] {diag.message}"))
    if not result.findings:
        console.print()
        console.print("No vendor coupling found.")
    if result.switch_cost and result.findings:
        _print_switch_cost(console, result, options)
    if result.models is not None and result.models.models:
        from lockscan.report.models_report import summary_section

        summary_section(console, result.models)


TOP_CONTRIBUTORS = 5
GRAPH_PATHS = 3  # gateways and leaks named on their line (the JSON report lists them all)


def _print_switch_cost(console: Console, result: ScanResult, options: ReportOptions) -> None:
    """The two questions (leaving each vendor in use; moving everything to one target) in
    estimated lines to change, then where a realistic move costs most and what would
    lower it: the one target asked for, else leaving the main vendor."""
    from lockscan.report.switch_text import (
        data_lines,
        explained,
        leave_line,
        listed,
        source_sentence,
        target_note,
    )

    console.print()
    console.print(Text("switch cost (estimated lines to change; docs/scoring.md)",
                       style="bold underline"))
    names = {v.id: v.name for v in options.rules.vendors} if options.rules else {}
    if result.leave:
        console.print(Text("leaving a vendor", style="bold"))
        for vendor, leave in result.leave.items():
            console.print(f"  {escape(leave_line(vendor, leave, names))}", highlight=False)
    console.print(Text("moving everything to one target", style="bold"))
    table = Table(show_header=True, header_style="bold", box=None, pad_edge=False)
    for name, justify in (("target", "left"), ("lines", "right"), ("files", "right"),
                          ("grade", "center")):
        table.add_column(name, justify=justify)  # type: ignore[arg-type]
    for name, cost in result.switch_cost.items():
        table.add_row(name, f"~{cost.lines} ({cost.lines_low}–{cost.lines_high})",
                      str(cost.files), cost.grade)
    console.print(table)
    # The notes under the table, one line each: in a column they wrapped into towers.
    for name, cost in result.switch_cost.items():
        note = target_note(cost)
        if note:
            console.print(f"  {name}: {escape(note)}", highlight=False)
    for line in data_lines(result.switch_cost):
        console.print(f"  {escape(line)}", highlight=False)
    for cost in result.switch_cost.values():
        sentence = source_sentence(cost, names)
        if sentence:
            console.print(f"  {escape(sentence)}", highlight=False)
    graph = result.graph
    if graph.gateways or graph.leaks:
        # A framework's leaks run to dozens of files: a line names a few.
        console.print(f"gateways: {escape(listed(graph.gateways, GRAPH_PATHS) or '-')} · "
                      f"leaks past them: {escape(listed(graph.leaks, GRAPH_PATHS) or '-')}",
                      highlight=False)
    coupled = len(graph.coupled_modules)
    console.print(f"{coupled} coupled module{'s' * (coupled != 1)} · blast radius "
                  f"{graph.blast_radius} module{'s' * (graph.blast_radius != 1)}")
    chosen = explained(result, names)
    if chosen is None or not chosen.contributors:
        return
    console.print()
    console.print(Text(chosen.title, style="bold"))
    for item in chosen.contributors[:TOP_CONTRIBUTORS]:
        console.print(f"  {'~' + str(item.lines):>6}  {escape(item.path)}  {item.rule} "
                      f"({item.findings} finding{'s' * (item.findings != 1)})", highlight=False)
    listed = max(len(chosen.contributors) - TOP_CONTRIBUTORS, 0)  # in the JSON, not here
    omitted = chosen.omitted.contributors if chosen.omitted else 0  # in neither
    if listed + omitted:
        where = (f" (--format json lists {listed} more)" if omitted and listed
                 else "" if omitted else " (--format json lists all)")
        console.print(Text(f"  … and {listed + omitted} more{where}", style="dim"))
    if chosen.suggestions:
        console.print(Text("the three changes that would lower it most", style="bold"))
        for number, text in enumerate(chosen.suggestions, start=1):
            console.print(f"  {number}. {escape(text)}", highlight=False)


def _counts_table(counts: dict[str, int], label: str) -> Table:
    table = Table(show_header=True, header_style="bold", box=None, pad_edge=False)
    table.add_column(label)
    table.add_column("findings", justify="right")
    for name, count in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
        table.add_row(name, str(count))
    return table


def _grouped(findings: tuple[Finding, ...]) -> dict[str, dict[str, list[Finding]]]:
    grouped: dict[str, dict[str, list[Finding]]] = defaultdict(lambda: defaultdict(list))
    for finding in findings:
        grouped[finding.vendor][finding.path].append(finding)
    return {vendor: dict(grouped[vendor]) for vendor in sorted(grouped)}


def _print_finding(console: Console, finding: Finding) -> None:
    where = f"{finding.path}:{finding.line}:{finding.column}"
    if finding.cell is not None:  # notebook: lines count from the top of the cell
        where = f"{finding.path}:cell {finding.cell}:{finding.line}:{finding.column}"
    line = Text("    ")
    line.append(where, style="green")
    line.append("  ")
    line.append(finding.rule, style="magenta")
    line.append("  ")
    line.append(finding.message, style=CONFIDENCE_STYLE.get(finding.confidence, ""))
    if finding.confidence != "high":
        line.append(f" ({finding.confidence} confidence)", style="dim")
    console.print(line)
    if finding.snippet:
        console.print(Text(f"        {finding.snippet}", style="dim"))
