"""A pull-request comment: verdict, new coupling by file and vendor, score change,
a small Mermaid graph of the touched modules, everything long folded away.

Always under GitHub's 65,536-character comment limit: every part is built within
a character budget and says how much it left out. The first line is a hidden
marker (``MARKER``) a bot searches for to update its previous comment.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TextIO

from lockscan.gates.diff import CostChange, DiffResult
from lockscan.model import Finding, PolicyViolation, ScanResult
from lockscan.pipeline.discover import module_name
from lockscan.report.base import ReportOptions

MARKER = "<!-- lockscan-report -->"
GITHUB_LIMIT = 65_536
BUDGET = 60_000  # leaves room for a bot's own header or footer
TABLE_BUDGET = 16_000
GRAPH_BUDGET = 4_000
COST_BUDGET = 4_000
VIOLATIONS_BUDGET = 8_000
TABLE_ROWS = 25
ANCHORS_PER_ROW = 5
GRAPH_MODULES = 12
CELL = 120  # characters of a path, message or snippet in a cell


@dataclass(frozen=True)
class View:
    """What a comment shows; built from a scan or a diff."""

    title: str
    new: tuple[Finding, ...]
    removed: tuple[Finding, ...]
    costs: tuple[CostChange, ...]
    violations: tuple[PolicyViolation, ...]
    is_diff: bool
    link_base: str = ""


def scan_view(result: ScanResult, link_base: str = "") -> View:
    costs = tuple(CostChange(t, None, c) for t, c in sorted(result.switch_cost.items()))
    violations = result.policy.violations if result.policy else ()
    return View(f"lockscan · `{_cell(result.root)}`", result.findings, (), costs,
                violations, False, link_base)


def diff_view(diff: DiffResult, link_base: str = "") -> View:
    head = diff.head_ref or "working tree"
    return View(f"lockscan · `{_cell(diff.base_ref)}` → `{_cell(head)}`", diff.added,
                diff.removed, diff.costs, diff.new_violations, True, link_base)


def report(result: ScanResult, stream: TextIO, options: ReportOptions) -> None:
    stream.write(render(scan_view(result)))


def report_diff(diff: DiffResult, stream: TextIO, options: ReportOptions) -> None:
    stream.write(render(diff_view(diff, options.link_base)))


def render(view: View) -> str:
    parts = [MARKER, f"### {view.title}", "", verdict(view), ""]
    if view.violations:  # what fails the check comes first
        parts += [_violations(view, VIOLATIONS_BUDGET), ""]
    if view.new:
        parts += [_by_file_table(view), ""]
    if view.costs:
        parts += [_cost_table(view), ""]
    if view.new:
        parts += [_graph(view.new), ""]
    used = sum(len(p) + 1 for p in parts)
    if view.new:
        label = "new finding" if view.is_diff else "finding"
        parts += [_details(f"All {len(view.new)} {label}s", view.new, view,
                           (BUDGET - used) // (2 if view.removed else 1)), ""]
        used = sum(len(p) + 1 for p in parts)
    if view.removed:
        parts += [_details(f"{len(view.removed)} removed", view.removed, view,
                           BUDGET - used), ""]
    text = "\n".join(parts).rstrip("\n") + "\n"
    assert len(text) < GITHUB_LIMIT, "every part is budgeted"
    return text


def verdict(view: View) -> str:
    """One line a reviewer reads first."""
    vendors = _vendor_counts(view.new)
    if view.violations:
        head = f"❌ **{len(view.violations)} policy violation(s)**: vendor code outside the " \
               "allowed modules"
    elif view.new:
        head = "⚠️ **adds vendor coupling**" if view.is_diff else "⚠️ **vendor coupling found**"
    else:
        head = "✅ **no new vendor coupling**" if view.is_diff else "✅ **no vendor coupling**"
    bits = []
    if view.new:
        noun = "new finding" if view.is_diff else "finding"
        bits.append(f"{len(view.new)} {noun}{'s' if len(view.new) != 1 else ''} ({vendors})")
    if view.removed:
        bits.append(f"{len(view.removed)} removed")
    moved = sorted((c for c in view.costs if c.delta), key=lambda c: (-abs(c.delta), c.target)) \
        if view.is_diff else []
    if moved:
        bits.append(", ".join(f"{c.target} {_signed(c.delta)}" for c in moved[:3]))
    return head + (" · " + " · ".join(bits) if bits else "")


def _vendor_counts(findings: Iterable[Finding]) -> str:
    counts = Counter(f.vendor for f in findings)
    return ", ".join(f"{v} {n}" for v, n in sorted(counts.items(), key=lambda i: (-i[1], i[0])))


def _by_file_table(view: View) -> str:
    groups: dict[tuple[str, str], list[Finding]] = defaultdict(list)
    for finding in view.new:
        groups[(finding.path, finding.vendor)].append(finding)
    ordered = sorted(groups.items(), key=lambda item: (-len(item[1]), item[0]))
    heading = "New coupling" if view.is_diff else "Coupling"
    lines = [f"**{heading} by file**", "", "| file | vendor | findings | lines |",
             "|---|---|---:|---|"]
    rows = [_file_row(path, vendor, items, view.link_base)
            for (path, vendor), items in ordered[:TABLE_ROWS]]
    shown, _ = _fit(rows, TABLE_BUDGET)
    lines += shown
    left = len(ordered) - len(shown)
    if left:
        lines.append(f"| … {left} more file/vendor pairs in the list below | | | |")
    return "\n".join(lines)


def _file_row(path: str, vendor: str, items: Sequence[Finding], link_base: str) -> str:
    lines = sorted({f.line for f in items})
    anchors = ", ".join(_anchor(path, line, link_base) for line in lines[:ANCHORS_PER_ROW])
    if len(lines) > ANCHORS_PER_ROW:
        anchors += f", +{len(lines) - ANCHORS_PER_ROW} lines"
    role = items[0].role
    where = f"`{_cell(path)}`" + ("" if role == "production" else f" ({role})")
    return f"| {where} | {vendor} | {len(items)} | {anchors} |"


def _anchor(path: str, line: int, link_base: str) -> str:
    target = f"{_cell(path)}#L{line}"
    return f"[L{line}]({link_base}{target.replace(' ', '%20')})"


def _cost_table(view: View) -> str:
    if view.is_diff:
        lines = ["**Switch cost** (estimated lines to change; docs/scoring.md)", "",
                 "| target | before | after | change | grade |", "|---|---:|---:|---:|---|"]
        rows = []
        for c in view.costs:
            before = c.before.lines if c.before else 0
            after = c.after.lines if c.after else 0
            grades = f"{c.before.grade if c.before else '–'} → {c.after.grade if c.after else '–'}"
            rows.append(f"| {c.target} | ~{before} | ~{after} | {_signed(after - before)} | "
                        f"{grades} |")
    else:
        lines = ["**Switch cost** (estimated lines to change; docs/scoring.md)", "",
                 "| target | lines | files | grade |", "|---|---:|---:|---|"]
        rows = [f"| {c.target} | ~{c.after.lines} ({c.after.lines_low}–{c.after.lines_high}) | "
                f"{c.after.files} | {c.after.grade} |" for c in view.costs if c.after]
    shown, skipped = _fit(rows, COST_BUDGET)
    lines += shown
    if skipped:
        lines.append(f"| … {skipped} more targets | | | | |")
    return "\n".join(lines)


def _graph(findings: Sequence[Finding]) -> str:
    """Touched modules → their vendors, most findings first (at most GRAPH_MODULES)."""
    paths = {f.path for f in findings}
    edges: Counter[tuple[str, str]] = Counter(
        (module_name(f.path, paths) if f.path.endswith(".py") else f.path, f.vendor)
        for f in findings)
    per_module: Counter[str] = Counter()
    for (module, _), count in edges.items():
        per_module[module] += count
    modules = sorted(per_module, key=lambda m: (-per_module[m], m))[:GRAPH_MODULES]
    vendors = sorted({v for (m, v) in edges if m in modules})
    lines = ["```mermaid", "graph LR"]
    for i, module in enumerate(modules):
        lines.append(f'  m{i}["{_mermaid(module)}"]')
    for vendor in vendors:
        lines.append(f'  v_{_ident(vendor)}(("{_mermaid(vendor)}"))')
    for i, module in enumerate(modules):
        for vendor in vendors:
            count = edges.get((module, vendor))
            if count:
                lines.append(f"  m{i} -->|{count}| v_{_ident(vendor)}")
    lines.append("```")
    text = "\n".join(lines)
    hidden = len(per_module) - len(modules)
    if hidden:
        text += f"\n\n_{hidden} more modules not drawn._"
    return text if len(text) <= GRAPH_BUDGET else f"_Graph omitted: {len(per_module)} modules._"


def _violations(view: View, budget: int) -> str:
    lines = ["**Policy violations** (vendor imports and calls outside `allowed_modules`)", ""]
    rows = [f"- {_anchor_text(v.path, v.line, view.link_base)} `{v.rule}` in `{_cell(v.module)}`"
            for v in view.violations]
    shown, skipped = _fit(rows, budget)
    lines += shown
    if skipped:
        lines.append(f"- … {skipped} more")
    return "\n".join(lines)


def _anchor_text(path: str, line: int, link_base: str) -> str:
    target = f"{_cell(path)}#L{line}"
    return f"[`{target}`]({link_base}{target.replace(' ', '%20')})"


def _details(summary: str, findings: Sequence[Finding], view: View, budget: int) -> str:
    head = [f"<details><summary>{summary}</summary>", "", "| where | rule | message |",
            "|---|---|---|"]
    rows = [f"| {_anchor_text(f.path, f.line, view.link_base)} | `{f.rule}` | "
            f"{_cell(f.message)} |" for f in findings]
    shown, skipped = _fit(rows, budget - 200)
    lines = head + shown
    if skipped:
        lines.append(f"\n_… {skipped} more not shown; run `lockscan` with `--format json` "
                     "for the full list._")
    lines += ["", "</details>"]
    return "\n".join(lines)


def _fit(rows: Sequence[str], budget: int) -> tuple[list[str], int]:
    """As many rows as fit in ``budget`` characters, and how many were left out."""
    shown: list[str] = []
    used = 0
    for row in rows:
        if used + len(row) + 1 > budget:
            break
        shown.append(row)
        used += len(row) + 1
    return shown, len(rows) - len(shown)


def _cell(text: str) -> str:
    """One table-safe line of at most CELL characters."""
    text = " ".join(text.split()).replace("|", "\\|").replace("<", "&lt;")
    return text if len(text) <= CELL else text[: CELL - 1] + "…"


def _mermaid(text: str) -> str:
    return _cell(text).replace('"', "#quot;").replace("`", "'")


def _ident(text: str) -> str:
    return "".join(c if c.isalnum() else "_" for c in text)


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


def _signed(value: float) -> str:
    return ("+" if value > 0 else "±" if value == 0 else "−") + _num(abs(value))
