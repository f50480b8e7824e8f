"""Does lockscan's switch cost size real migrations like the work they took?

For each event of bench/migrations.toml: scan the tree before the migration (``base``)
with this checkout's lockscan (bench/scans.py; nothing is fetched: missing mirrors are
reported), price the question the migration answers, and compare it with the non-test
lines the migration changed (``changed``, recounted by bench/migration_lines.py):

- an upgrade within a vendor: that vendor's own part of its own target (``by_source``);
- a move from one vendor to another: the source vendor's part of the target;
- a move to a portable layer: the whole row of that layer (LangChain chat models and own
  gateways are priced as the portable-layer row, ``litellm``).

Test findings are left out of the estimate (the changed lines leave tests out too), and
the two baselines are restricted the same way: the count of the source vendor's
findings, and the count of non-test Python lines mentioning the source vendor (any
vendor for a portable move). Every constant fitted here (lines per point, and one for
each baseline) is fitted leave-one-repository-out, and the figures are the held-out
ones. Also measured: lines changed per point by file role (the role fractions) and the
quartiles of actual/estimate (the interval).

    python bench/validate_scoring.py --mirrors /work/.mirror [--write] [--sweep]

``--write`` writes the full table to bench/SCORING.md and the summary into
docs/scoring.md (between its ``validation`` markers).
"""

from __future__ import annotations

import argparse
import ast
import math
import re
import statistics
import subprocess
import sys
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # bench/scans.py, run from anywhere

from scans import ROOT, code_digest, mirror_of, scan_commit, write_between_markers

from lockscan.ruleset import load_rules
from lockscan.score import calibration, score_target
from lockscan.score.targets import LEGACY_APIS, effort_for_target

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

HERE = Path(__file__).resolve().parent
LAYER_ROW = {"langchain": "litellm", "gateway": "litellm"}  # the portable-layer row
# Not a question lockscan prices: adopting a new API of the same vendor whose current API
# (Chat Completions) is not retiring. Shown, left out of the figures.
NOT_PRICED_API = {"openai-responses": "adopts the Responses API; Chat Completions is not retiring"}
KINDS = ("upgrade", "cross", "portable")
# What the vendor-lines baseline counts, per vendor (case-insensitive, in non-test Python).
MENTIONS = {
    "openai": r"openai|chatgpt|gpt-?[345]", "azure_openai": r"azure",
    "anthropic": r"anthropic|claude", "google": r"gemini|genai|generativeai|vertexai",
    "bedrock": r"bedrock|invoke_model|converse", "mistral": r"mistral", "cohere": r"cohere",
    "groq": r"groq", "together": r"together", "litellm": r"litellm", "langchain": r"langchain",
}
ANY_VENDOR = "|".join(MENTIONS.values())
TEST_DIR = re.compile(r"^(tests?|testing|test_.*|.*_tests?)$")
TEST_FILE = re.compile(r"^(test_.*\.py|.*_tests?\.py|tests?\.py|conftest\.py)$")


@dataclass(frozen=True)
class Event:
    repo: str
    base: str
    head: str
    kind: str
    sources: tuple[str, ...]
    target: str  # as recorded
    changed: int
    what: str
    api_to: str = ""

    @property
    def row(self) -> str:
        return LAYER_ROW.get(self.target, self.target)


@dataclass
class Measured:
    event: Event
    points: float  # points of the kind-appropriate part
    findings: int  # baseline 1
    mentions: int  # baseline 2
    role_points: dict[str, float] = field(default_factory=dict)  # raw points per role
    role_lines: dict[str, int] = field(default_factory=dict)  # changed lines in those files
    estimate: float = 0.0  # held out
    by_count: float = 0.0
    by_mentions: float = 0.0
    # Other measures of the before tree, to see how far any of them ranks the events
    # (``OTHER_MEASURES``): raw values, then held-out estimates.
    other: dict[str, float] = field(default_factory=dict)
    by_other: dict[str, float] = field(default_factory=dict)


def load_events(path: Path) -> list[Event]:
    out = []
    for e in tomllib.loads(path.read_text("utf-8"))["event"]:
        sources = e["source"] if isinstance(e["source"], list) else [e["source"]]
        out.append(Event(e["repo"], e["base"], e["head"], e["kind"], tuple(sources), e["target"],
                         int(e["changed"]), e["what"], e.get("api_to", "")))
    return out


def is_test(path: str) -> bool:
    *folders, name = path.split("/")
    return any(TEST_DIR.match(f) for f in folders) or bool(TEST_FILE.match(name))


def mention_lines(mirror: Path, commit: str, pattern: str) -> int:
    """Non-test Python lines of ``commit`` that match ``pattern`` (case-insensitive)."""
    done = subprocess.run(["git", "-C", str(mirror), "grep", "-c", "-i", "-E", pattern, commit,
                           "--", "*.py"], capture_output=True, text=True, check=False)
    total = 0
    for line in done.stdout.splitlines():
        path, _, count = line.removeprefix(f"{commit}:").rpartition(":")
        if not is_test(path):
            total += int(count)
    return total


def changed_by_path(mirror: Path, base: str, head: str) -> dict[str, int]:
    done = subprocess.run(["git", "-C", str(mirror), "diff", "--numstat", "--no-renames", base, head],
                          capture_output=True, text=True, check=False)
    out = {}
    for line in done.stdout.splitlines():
        added, deleted, path = line.split("\t", 2)
        if added != "-":
            out[path] = int(added) + int(deleted)
    return out


def measure(event: Event, scanned, rules, mirror: Path) -> Measured:
    selected = [f for f in scanned.findings
                if event.kind == "portable" or f.vendor in event.sources]
    kept = [f for f in scanned.findings if f.role != "test"]
    cost = score_target(kept, scanned.graph, rules, event.row)
    points = sum(part.effort for part in cost.by_source
                 if event.kind == "portable" or part.vendor in event.sources)
    pattern = ANY_VENDOR if event.kind == "portable" else "|".join(
        MENTIONS.get(s, re.escape(s)) for s in event.sources)
    measured = Measured(event, points, sum(1 for f in selected if f.role != "test"),
                        mention_lines(mirror, scanned.commit, pattern))
    # Raw points and changed lines per role, in the files holding the selected findings.
    lines = changed_by_path(mirror, scanned.commit, event.head)
    role_files: dict[str, set[str]] = defaultdict(set)
    for f in selected:
        rule = rules.by_id.get(f.rule)
        if rule is None:
            continue
        value = effort_for_target(rule, rules, event.row)
        if rule.api in LEGACY_APIS and event.row == rule.vendor:
            value = dict(rule.effort)["default"]
        role = "test" if is_test(f.path) else f.role
        measured.role_points[role] = measured.role_points.get(role, 0.0) + value
        role_files[role].add(f.path)
    measured.role_lines = {role: sum(lines.get(p, 0) for p in paths)
                           for role, paths in role_files.items()}
    measured.other = other_measures(selected, mirror, scanned.commit)
    return measured


OTHER_MEASURES = ("production findings", "files with findings", "lines of the functions holding them",
                  "√(finding count × function lines)")


def other_measures(selected: Sequence, mirror: Path, commit: str) -> dict[str, float]:
    """Measures other than the estimate and its two baselines, on the same findings: how
    well could anything a scan of the before tree sees rank these events?"""
    kept = [f for f in selected if f.role != "test"]
    production = [f for f in kept if f.role == "production"]
    by_file: dict[str, set[int]] = defaultdict(set)
    for f in production:
        if f.path.endswith(".py"):
            by_file[f.path].add(f.line)
    function_lines = sum(_function_lines(_blob(mirror, commit, path), found)
                         for path, found in sorted(by_file.items()))
    return {"production findings": len(production),
            "files with findings": len({f.path for f in kept}),
            "lines of the functions holding them": function_lines,
            "√(finding count × function lines)": math.sqrt(max(len(kept), 1)
                                                         * max(function_lines, 1))}


def _blob(mirror: Path, commit: str, path: str) -> str:
    done = subprocess.run(["git", "-C", str(mirror), "cat-file", "-p", f"{commit}:{path}"],
                          capture_output=True, text=True, errors="replace", check=False)
    return done.stdout


def _function_lines(source: str, found: set[int]) -> int:
    """Lines of the innermost functions holding the ``found`` lines, each function once,
    plus one per line outside any function."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return len(found)
    spans = [(n.lineno, n.end_lineno or n.lineno) for n in ast.walk(tree)
             if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]
    held: set[tuple[int, int]] = set()
    loose = 0
    for line in found:
        around = [s for s in spans if s[0] <= line <= s[1]]
        if around:
            held.add(min(around, key=lambda s: s[1] - s[0]))
        else:
            loose += 1
    return loose + sum(end - start + 1 for start, end in held)


# --------------------------------------------------------------------------- statistics


def ranks(values: Sequence[float]) -> list[float]:
    """1-based ranks; tied values share the mean of their positions."""
    order = sorted(range(len(values)), key=lambda i: values[i])
    result = [0.0] * len(values)
    start = 0
    while start < len(order):
        end = start
        while end + 1 < len(order) and values[order[end + 1]] == values[order[start]]:
            end += 1
        for k in range(start, end + 1):
            result[order[k]] = (start + end) / 2 + 1
        start = end + 1
    return result


def spearman(xs: Sequence[float], ys: Sequence[float]) -> float:
    """Pearson correlation of the ranks (correct with ties)."""
    if len(xs) < 3:
        return float("nan")
    rx, ry = ranks(xs), ranks(ys)
    mx, my = sum(rx) / len(rx), sum(ry) / len(ry)
    cov = sum((a - mx) * (b - my) for a, b in zip(rx, ry, strict=True))
    vx = sum((a - mx) ** 2 for a in rx) ** 0.5
    vy = sum((b - my) ** 2 for b in ry) ** 0.5
    return cov / (vx * vy) if vx and vy else 0.0


def log_error(estimate: float, actual: int) -> float:
    """|log2(estimate / actual)|; an estimate of nothing counts as one line."""
    return abs(math.log2(max(estimate, 1.0) / max(actual, 1)))


def ratio_fit(pairs: Iterable[tuple[float, int]]) -> float:
    """The constant c with estimate = c × x that is right in the median: exp(median log(y/x))."""
    logs = [math.log(y / x) for x, y in pairs if x > 0 and y > 0]
    return math.exp(statistics.median(logs)) if logs else 0.0


def held_out(rows: Sequence[Measured], fit: Callable[[Sequence[Measured]], float],
             use: Callable[[Measured, float], float]) -> list[float]:
    """Each row's value with the constant fitted on the other repositories only."""
    return [use(row, fit([r for r in rows if r.event.repo != row.event.repo])) for row in rows]


def estimate_all(rows: Sequence[Measured]) -> None:
    """Each measure times its constant (lines per point, per finding, per mentioning line),
    fitted on the other repositories."""
    for attribute, value in (("estimate", lambda r: r.points), ("by_count", lambda r: r.findings),
                             ("by_mentions", lambda r: r.mentions)):
        fitted = held_out(rows, lambda rs, value=value: ratio_fit(
            (value(r), r.event.changed) for r in rs), lambda r, c, value=value: c * value(r))
        for row, estimate in zip(rows, fitted, strict=True):
            setattr(row, attribute, estimate)
    for name in OTHER_MEASURES:
        fitted = held_out(rows, lambda rs, name=name: ratio_fit(
            (r.other[name], r.event.changed) for r in rs), lambda r, c, name=name: c * r.other[name])
        for row, estimate in zip(rows, fitted, strict=True):
            row.by_other[name] = estimate


def figures(rows: Sequence[Measured], value: Callable[[Measured], float]) -> tuple[float, float, float]:
    """Spearman, median |log2(estimate/actual)|, share within a factor of 2."""
    if not rows:
        return float("nan"), float("nan"), float("nan")
    actual = [r.event.changed for r in rows]
    values = [value(r) for r in rows]
    errors = [log_error(v, a) for v, a in zip(values, actual, strict=True)]
    return (spearman(values, actual), statistics.median(errors),
            sum(1 for e in errors if e <= 1) / len(errors))


def role_fractions(rows: Sequence[Measured]) -> dict[str, tuple[float, int]]:
    """Per role: the median over events of (changed lines per raw point in that role's files)
    / (the same in production files), and over how many events."""
    out = {}
    for role in ("test", "example", "data", "config", "manifest"):
        ratios = []
        for r in rows:
            prod_points, prod_lines = r.role_points.get("production", 0), r.role_lines.get("production", 0)
            points, lines = r.role_points.get(role, 0), r.role_lines.get(role, 0)
            if points > 0 and prod_points > 0 and prod_lines > 0:
                ratios.append((lines / points) / (prod_lines / prod_points))
        out[role] = (statistics.median(ratios) if ratios else float("nan"), len(ratios))
    return out


# --------------------------------------------------------------------------- report


def _num(value: float) -> str:
    return "—" if value != value else f"{value:.2f}"


def summary_table(rows: Sequence[Measured]) -> list[str]:
    out = ["| events | n | measure | Spearman | median \\|log2(est/actual)\\| | within 2× |",
           "|---|---:|---|---:|---:|---:|"]
    groups = [("all", list(rows))] + [(k, [r for r in rows if r.event.kind == k]) for k in KINDS]
    for name, members in groups:
        for label, value in (("lockscan estimate (held out)", lambda r: r.estimate),
                             ("finding count", lambda r: r.by_count),
                             ("vendor-mentioning lines", lambda r: r.by_mentions)):
            rho, err, share = figures(members, value)
            out.append(f"| {name} | {len(members)} | {label} | {_num(rho)} | {_num(err)} | "
                       f"{share:.0%} |")
    return out


def other_table(rows: Sequence[Measured]) -> list[str]:
    """The other measures on all events and per kind (Spearman; share within 2×)."""
    groups = [("all", list(rows))] + [(k, [r for r in rows if r.event.kind == k]) for k in KINDS]
    out = ["| measure (held out) | " + " | ".join(f"{name} ({len(members)})"
                                                  for name, members in groups) + " |",
           "|---|" + "---:|" * len(groups)]
    for name in OTHER_MEASURES:
        cells = []
        for _, members in groups:
            rho, _err, share = figures(members, lambda r, name=name: r.by_other[name])
            cells.append(f"{_num(rho)} · {share:.0%}")
        out.append(f"| {name} | " + " | ".join(cells) + " |")
    return out


def event_table(rows: Sequence[Measured], skipped: Sequence[tuple[Event, str]]) -> list[str]:
    out = ["| repository | kind | source → target (row) | changed | estimate | points | "
           "findings | vendor lines | what |", "|---|---|---|---:|---:|---:|---:|---:|---|"]
    for r in rows:
        e = r.event
        target = e.target if e.row == e.target else f"{e.target} ({e.row})"
        out.append(f"| {e.repo} | {e.kind} | {'+'.join(e.sources)} → {target} | {e.changed} | "
                   f"{r.estimate:.0f} | {r.points:g} | {r.findings} | {r.mentions} | "
                   f"{e.what} |")
    for e, why in skipped:
        out.append(f"| {e.repo} | {e.kind} | {'+'.join(e.sources)} → {e.target} | {e.changed} | "
                   f"— | — | — | — | {e.what} (left out: {why}) |")
    return out


def calibration_lines(rows: Sequence[Measured]) -> list[str]:
    fitted = ratio_fit((r.points, r.event.changed) for r in rows)
    ratios = sorted(r.event.changed / r.estimate for r in rows if r.estimate > 0)
    quartiles = statistics.quantiles(ratios, n=4) if len(ratios) >= 4 else [float("nan")] * 3
    fractions = role_fractions(rows)
    out = [f"Lines per point fitted on all {len(rows)} events: {fitted:.2f} (shipped: "
           f"`LINES_PER_POINT` = {calibration.LINES_PER_POINT:g}); held out, it ranges "
           f"{min(r.estimate / r.points for r in rows if r.points):.2f}–"
           f"{max(r.estimate / r.points for r in rows if r.points):.2f}.",
           "",
           f"Actual / held-out estimate, quartiles: {quartiles[0]:.2f}, {quartiles[1]:.2f}, "
           f"{quartiles[2]:.2f} (the interval ships as {calibration.INTERVAL[0]:g}× to "
           f"{calibration.INTERVAL[1]:g}× the estimate).",
           "",
           "Changed lines per raw point by file role, relative to production (median over the "
           "events with findings in both):",
           "", "| role | ratio | events | shipped share |", "|---|---:|---:|---:|"]
    for role, (ratio, n) in fractions.items():
        out.append(f"| {role} | {_num(ratio)} | {n} | {calibration.ROLE_SHARE[role]:g} |")
    return out


SWEEP = {"MODULE_SCATTER": (0.0, 0.25, 0.5), "PACKAGE_SCATTER": (0.0, 0.5),
         "RIDE_ALONG": (0, 0.5, 1, 2), "MOST_PER_SITE": (3, 5, 13)}


def sweep(rows: Sequence[Measured], scanned: dict, rules) -> list[str]:
    """Held-out figures as each constant varies (the others as shipped)."""
    out = ["", "| constant | value | Spearman | median \\|log2\\| | within 2× |",
           "|---|---:|---:|---:|---:|"]
    for name, values in SWEEP.items():
        shipped = getattr(calibration, name)
        for value in values:
            setattr(calibration, name, value)
            again = [measure(r.event, scanned[id(r)], rules, mirror_of(ARGS.mirrors, r.event.repo))
                     for r in rows]
            estimate_all(again)
            rho, err, share = figures(again, lambda r: r.estimate)
            mark = " (shipped)" if value == shipped else ""
            out.append(f"| {name} | {value:g}{mark} | {rho:.2f} | {err:.2f} | {share:.0%} |")
        setattr(calibration, name, shipped)
    return out


ARGS = argparse.Namespace()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mirrors", type=Path, default=Path("/work/.mirror"))
    parser.add_argument("--events", type=Path, default=HERE / "migrations.toml")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--write", action="store_true", help="write bench/SCORING.md and docs")
    parser.add_argument("--sweep", action="store_true", help="vary the scatter constants")
    parser.parse_args(namespace=ARGS)
    rules = load_rules()
    code = code_digest()
    rows, skipped, scanned = [], [], {}
    for event in load_events(ARGS.events):
        if event.api_to in NOT_PRICED_API:
            skipped.append((event, NOT_PRICED_API[event.api_to]))
            continue
        done = scan_commit(ARGS.mirrors, event.repo, event.base, rules, code, ARGS.jobs,
                           log=lambda text: print(text, file=sys.stderr))
        if done is None:
            skipped.append((event, "no mirror or commit"))
            continue
        row = measure(event, done, rules, mirror_of(ARGS.mirrors, event.repo))
        scanned[id(row)] = done
        rows.append(row)
    estimate_all(rows)
    summary = summary_table(rows)
    report = ["# Switch-cost validation against real migrations", "",
              f"{len(rows)} events, scans by lockscan code `{code}` "
              "(`python bench/validate_scoring.py --mirrors /work/.mirror --write`).", "",
              *summary, "", *calibration_lines(rows), "",
              "Other measures of the same before trees (Spearman · share within 2×), to see "
              "how far anything a scan sees ranks these events:", "", *other_table(rows), "",
              *event_table(rows, skipped)]
    if ARGS.sweep:
        report += sweep(rows, scanned, rules)
    text = "\n".join(report) + "\n"
    print(text, end="")
    if ARGS.write:
        (HERE / "SCORING.md").write_text(text, "utf-8")
        write_between_markers(ROOT / "docs" / "scoring.md", "validation",
                              [*summary, "", *calibration_lines(rows), "",
                               "Other measures of the same before trees (Spearman · share "
                               "within 2×):", "", *other_table(rows)])
    return 0


if __name__ == "__main__":
    sys.exit(main())
