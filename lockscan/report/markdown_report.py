"""A pull-request comment: verdict, new coupling by file and vendor, score change,
a small Mermaid graph of the touched modules, everything long folded away.

Always under GitHub's 65,536-character comment limit: every part is built within
a character budget and says how much it left out. The first line is a hidden
marker (``MARKER``) a bot searches for to update its previous comment.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TextIO

from lockscan.gates.diff import CostChange, DiffResult
from lockscan.gates.weakening import Weakening
from lockscan.model import Finding, PolicyViolation, ScanResult
from lockscan.report.base import ReportOptions

MARKER = "<!-- lockscan-report -->"
GITHUB_LIMIT = 65_536
BUDGET = 60_000  # leaves room for a bot's own header or footer
TABLE_BUDGET = 16_000
GRAPH_BUDGET = 4_000
COST_BUDGET = 4_000
VIOLATIONS_BUDGET = 8_000
WEAKENINGS_BUDGET = 6_000
TABLE_ROWS = 25
ANCHORS_PER_ROW = 5
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
    added: Added = field(default_factory=lambda: Added())
    weakenings: tuple[Weakening, ...] = ()
    settings_from: str = "given"
    in_use: tuple[str, ...] = ()  # vendors the scanned code uses (their targets first)


@dataclass(frozen=True)
class Added:
    """What a change adds that a reviewer asks about first."""

    vendors: tuple[str, ...] = ()  # vendors the base did not use
    modules: tuple[str, ...] = ()  # modules coupled now that were not
    leaks: tuple[str, ...] = ()  # modules coupled past a gateway now that were not
    gateways: tuple[str, ...] = ()


def scan_view(result: ScanResult, link_base: str = "") -> View:
    costs = tuple(CostChange(t, None, c) for t, c in sorted(result.switch_cost.items()))
    violations = result.policy.violations if result.policy else ()
    return View(f"lockscan · `{_cell(result.root)}`", result.findings, (), costs,
                violations, False, link_base, in_use=tuple(result.summary.by_vendor))


def diff_view(diff: DiffResult, link_base: str = "") -> View:
    head = diff.head_ref or "working tree"
    return View(f"lockscan · `{_cell(diff.base_ref)}` → `{_cell(head)}`", diff.added,
                diff.removed, diff.costs, diff.new_violations, True, link_base,
                added_by(diff), diff.weakenings, diff.settings_from,
                tuple(sorted({f.vendor for f in diff.head.findings})))


def added_by(diff: DiffResult) -> Added:
    """New vendors, newly coupled modules and new leaks past a gateway, from the two
    scans' findings and graph summaries."""
    before = {f.vendor for f in diff.base.findings}
    vendors = sorted({f.vendor for f in diff.added} - before)
    modules = sorted(set(diff.head.graph.coupled_modules) - set(diff.base.graph.coupled_modules))
    leaks = sorted(set(diff.head.graph.leaks) - set(diff.base.graph.leaks))
    return Added(tuple(vendors), tuple(modules), tuple(leaks), diff.head.graph.gateways)


def report(result: ScanResult, stream: TextIO, options: ReportOptions) -> None:
    stream.write(render(scan_view(result)))


def report_diff(diff: DiffResult, stream: TextIO, options: ReportOptions) -> None:
    stream.write(render(diff_view(diff, options.link_base)))


def render(view: View) -> str:
    parts = [MARKER, f"### {view.title}", "", verdict(view), ""]
    if view.weakenings:  # what the change does to its own gate, before anything else
        parts += [_weakenings(view, WEAKENINGS_BUDGET), ""]
    if view.violations:  # what fails the check comes first
        parts += [_violations(view, VIOLATIONS_BUDGET), ""]
    if view.new:
        parts += [_by_file_table(view), ""]
    if view.costs and (view.new or view.removed or any(c.delta for c in view.costs)
                       or not view.is_diff):
        parts += [_cost_table(view), ""]
    if view.new:
        parts += [_graph(view), ""]
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
    """What a reviewer reads first. For a diff: one sentence of what the change adds,
    then a line of counts; for a scan: one line."""
    vendors = _vendor_counts(view.new)
    bits = []
    if view.is_diff and view.violations:
        bits.append(f"❌ {_plural(len(view.violations), 'policy violation')} (vendor code "
                    "outside the allowed modules)")
    if view.new:
        noun = "new finding" if view.is_diff else "finding"
        bits.append(f"{_plural(len(view.new), noun)} ({vendors})")
    if view.removed:
        bits.append(f"{len(view.removed)} removed")
    moved = sorted((c for c in view.costs if c.lines_delta),
                   key=lambda c: (-abs(c.lines_delta), c.target)) if view.is_diff else []
    if moved:
        bits.append(", ".join(f"{c.target} {_signed(c.lines_delta)} lines" for c in moved[:3]))
    if view.weakenings:
        bits.append(f"🔓 relaxes its own gate in {_plural(len(view.weakenings), 'way')}")
    if view.is_diff:
        icon = "❌" if view.violations else "⚠️" if view.new or view.weakenings else "✅"
        return f"{icon} **{headline(view)}**" + ("\n\n" + " · ".join(bits) if bits else "")
    if view.violations:
        head = f"❌ **{len(view.violations)} policy violation(s)**: vendor code outside the " \
               "allowed modules"
    else:
        head = "⚠️ **vendor coupling found**" if view.new else "✅ **no vendor coupling**"
    return head + (" · " + " · ".join(bits) if bits else "")


def headline(view: View) -> str:
    """The sentence: new vendors, newly coupled modules, new leaks past a gateway."""
    added = view.added
    clauses = []
    if added.vendors:
        clauses.append(f"brings in {_plural(len(added.vendors), 'new vendor')} "
                       f"({_listed(added.vendors, '')})")
    if added.modules:
        clauses.append(f"couples {_plural(len(added.modules), 'more module')} to a vendor "
                       f"({_listed(added.modules)})")
    if added.leaks:
        gates = f" {_listed(added.gateways)}" if added.gateways else ""
        clauses.append(f"leaks past the gateway{gates} in {_listed(added.leaks)}")
    if not clauses:
        if not view.new:
            return "This change adds no vendor coupling."
        where = len({f.path for f in view.new})
        return (f"This change adds coupling only inside {_plural(where, 'module')} that "
                "already had it.")
    if len(clauses) > 1:
        clauses[-1] = "and " + clauses[-1]
    return "This change " + (", " if len(clauses) > 2 else " ").join(clauses) + "."


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def _listed(items: Sequence[str], tick: str = "`", shown: int = 3) -> str:
    named = ", ".join(f"{tick}{_cell(i)}{tick}" for i in items[:shown])
    return named + (f" and {len(items) - shown} more" if len(items) > shown else "")


def _weakenings(view: View, budget: int) -> str:
    judged = {"base": "lockscan judged it by the base's settings; these take effect on merge",
              "head": "lockscan judged it by these relaxed settings (`--gate-from head`)"}
    lines = [f"🔓 **This change relaxes its own gate** "
             f"({judged.get(view.settings_from, 'lockscan judged it by the given settings')})",
             ""]
    rows = [f"- {_anchor_text(w.path, w.line, view.link_base) if w.line else f'`{_cell(w.path)}`'}"
            f": {_cell_long(w.message)}" for w in view.weakenings]
    lines += _fitted(rows, budget, lambda skipped: f"- … {skipped} more; run `lockscan diff "
                                                   "--format json` for the full list")
    return "\n".join(lines)


def _cell_long(text: str) -> str:
    text = " ".join(text.split()).replace("<", "&lt;")
    return text if len(text) <= 3 * CELL else text[: 3 * CELL - 1] + "…"


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
    """The targets whose cost changed (a diff; every target for a scan), the vendors the
    code uses first; in a diff the unchanged ones folded below."""
    shown, folded = select_targets(view)
    text = _cost_rows(view, shown, "**Switch cost** (estimated lines to change; docs/scoring.md)")
    if folded:
        text += ("\n\n<details><summary>" + f"{_plural(len(folded), 'target')} unchanged"
                 + "</summary>\n\n" + _cost_rows(view, folded, "") + "\n\n</details>")
    return text


def select_targets(view: View) -> tuple[list[CostChange], list[CostChange]]:
    """(the targets to show, the ones to fold): vendors in use first, then by change."""
    def key(c: CostChange) -> tuple[bool, float, str]:
        return (c.target not in view.in_use, -abs(c.lines_delta) if view.is_diff else 0, c.target)

    ordered = sorted(view.costs, key=key)
    if not view.is_diff:
        return ordered, []
    changed = [c for c in ordered if c.lines_delta or (
        c.before is not None and c.after is not None and c.before.grade != c.after.grade)]
    return changed, [c for c in ordered if c not in changed]


def _cost_rows(view: View, costs: Sequence[CostChange], title: str) -> str:
    lines = [title, ""] if title else []
    if view.is_diff:
        lines += ["| target | before | after | change | grade |", "|---|---:|---:|---:|---|"]
        rows = [f"| {c.target} | ~{c.lines_before} | ~{c.lines_after} | {_signed(c.lines_delta)} | "
                f"{c.before.grade if c.before else '–'} → {c.after.grade if c.after else '–'} |"
                for c in costs]
    else:
        lines += ["| target | lines | files | grade |", "|---|---:|---:|---|"]
        rows = [f"| {c.target} | ~{c.after.lines} ({c.after.lines_low}–{c.after.lines_high}) | "
                f"{c.after.files} | {c.after.grade} |" for c in costs if c.after]
    lines += _fitted(rows, COST_BUDGET, lambda skipped: f"| … {skipped} more targets | | | | |")
    return "\n".join(lines)


def _graph(view: View) -> str:
    """The touched modules and their vendors (``lockscan.report.mermaid``), new leaks
    marked, within ``GRAPH_BUDGET``."""
    from lockscan.report.mermaid import findings_picture, fit, render

    picture = fit(findings_picture(view.new, view.added.leaks), GRAPH_BUDGET)
    text = f"```mermaid\n{render(picture)}```"
    if picture.note:
        text += f"\n\n_{picture.note}._"
    return text


def _violations(view: View, budget: int) -> str:
    lines = ["**Policy violations** (vendor imports and calls outside `allowed_modules`)", ""]
    rows = [f"- {_anchor_text(v.path, v.line, view.link_base)} `{v.rule}` in `{_cell(v.module)}`"
            for v in view.violations]
    lines += _fitted(rows, budget, lambda skipped: f"- … {skipped} more")
    return "\n".join(lines)


def _anchor_text(path: str, line: int, link_base: str) -> str:
    target = f"{_cell(path)}#L{line}"
    return f"[`{target}`]({link_base}{target.replace(' ', '%20')})"


def _details(summary: str, findings: Sequence[Finding], view: View, budget: int) -> str:
    head = [f"<details><summary>{summary}</summary>", "", "| where | rule | message |",
            "|---|---|---|"]
    rows = [f"| {_anchor_text(f.path, f.line, view.link_base)} | `{f.rule}` | "
            f"{_cell(f.message)} |" for f in findings]
    lines = head + _fitted(rows, budget - 200, lambda skipped: f"\n_… {skipped} more not shown; "
                           "run `lockscan` with `--format json` for the full list._")
    lines += ["", "</details>"]
    return "\n".join(lines)


def _fitted(rows: Sequence[str], budget: int, more: Callable[[int], str]) -> list[str]:
    """The rows that fit in ``budget``, then ``more(left out)`` when some did not."""
    shown, skipped = _fit(rows, budget)
    return [*shown, more(skipped)] if skipped else shown


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


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


def _signed(value: float) -> str:
    return ("+" if value > 0 else "±" if value == 0 else "−") + _num(abs(value))
