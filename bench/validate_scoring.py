"""Does lockscan's switch cost rank real migrations like the work they took?

For each event in bench/migrations.toml: export the commit before the migration
(``git archive``) into a temp folder, scan it with lockscan for the migration's
target, count the Python lines the migration changed (``git diff --numstat``), and
count the naive baseline (lines of Python that mention a vendor). Prints a markdown
table and the Spearman rank correlation of each measure with the changed lines.

Needs bare mirrors of the repositories, one folder per repo named ``owner+name``
holding a ``repo`` git dir (the layout ``/work/.mirror`` has), or any layout given
with ``--layout``. Fetched code is only read, never committed.

    python bench/validate_scoring.py --mirrors /work/.mirror
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# Run from a checkout without installing: import this tree's lockscan.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from lockscan.model import Finding
from lockscan.model.config import ScanConfig
from lockscan.pipeline.scan import scan_with_graph
from lockscan.ruleset import RuleSet, load_rules
from lockscan.score import price as score_module
from lockscan.score import score_target, upgrade_cost

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

HERE = Path(__file__).resolve().parent
NAIVE = re.compile(r"\b(openai|anthropic|litellm|claude)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Row:
    repo: str
    target: str
    upgrade: bool
    what: str
    changed: int
    footprint: int
    naive: int
    findings: tuple[Finding, ...]
    graph: Any  # the lockscan.graph.build graph of the scanned tree

    def effort(self, rules: RuleSet) -> float:
        # An SDK upgrade (openai<1.0 to 1.x) touches only that vendor's code: price its
        # own findings, as the target's contributors for that vendor do.
        if self.upgrade:
            return upgrade_cost(self.findings, self.graph, rules, self.target).effort
        return score_target(self.findings, self.graph, rules, self.target).effort


def git(repo: Path, *args: str) -> bytes:
    return subprocess.run(["git", "-C", str(repo), *args], check=True,
                          capture_output=True).stdout


def changed_lines(repo: Path, base: str, head: str) -> int:
    """Added plus deleted lines in Python files between base and head."""
    total = 0
    for line in git(repo, "diff", "--numstat", base, head, "--", "*.py").decode().splitlines():
        added, deleted, _ = line.split("\t", 2)
        if added != "-":
            total += int(added) + int(deleted)
    return total


def vendor_files(repo: Path, *commits: str) -> set[str]:
    """Python files that mention a vendor at any of ``commits``."""
    found: set[str] = set()
    for commit in commits:
        listed = subprocess.run(
            ["git", "-C", str(repo), "grep", "-l", "-i", "-E", NAIVE.pattern, commit, "--", "*.py"],
            capture_output=True, check=False).stdout.decode()
        found.update(line.split(":", 1)[1] for line in listed.splitlines() if ":" in line)
    return found


def changed_vendor_lines(repo: Path, base: str, head: str) -> int:
    """Changed lines in files that mention a vendor before or after: the migration's
    footprint without the unrelated refactors that often ride along."""
    files = vendor_files(repo, base, head)
    total = 0
    diff = git(repo, "diff", "--numstat", "--no-renames", base, head, "--", "*.py").decode()
    for line in diff.splitlines():
        added, deleted, path = line.split("\t", 2)
        if added != "-" and path in files:
            total += int(added) + int(deleted)
    return total


def export(repo: Path, commit: str, into: Path) -> None:
    archive = into / "tree.tar"
    # Python files only: mirrors may lack large binary blobs, and only Python is scanned.
    archive.write_bytes(git(repo, "archive", "--format=tar", commit, "--", "*.py"))
    with tarfile.open(archive) as tar:
        tar.extractall(into / "tree", filter="data")
    archive.unlink()


def naive_count(tree: Path) -> int:
    count = 0
    for path in tree.rglob("*.py"):
        try:
            text = path.read_text("utf-8", "replace")
        except OSError:
            continue
        count += sum(1 for line in text.splitlines() if NAIVE.search(line))
    return count


def ranks(values: list[float]) -> list[float]:
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


def spearman(xs: list[float], ys: list[float]) -> float:
    """Pearson correlation of the ranks (correct with ties)."""
    rx, ry = ranks(xs), ranks(ys)
    mx, my = sum(rx) / len(rx), sum(ry) / len(ry)
    cov = sum((a - mx) * (b - my) for a, b in zip(rx, ry, strict=True))
    vx = sum((a - mx) ** 2 for a in rx) ** 0.5
    vy = sum((b - my) ** 2 for b in ry) ** 0.5
    return cov / (vx * vy) if vx and vy else 0.0


def run(mirrors: Path, layout: str, events_file: Path) -> list[Row]:
    events = tomllib.loads(events_file.read_text("utf-8"))["event"]
    rules = load_rules()
    rows = []
    for event in events:
        owner, name = event["repo"].split("/")
        repo = mirrors / layout.format(owner=owner, name=name)
        if not repo.exists():
            print(f"skip {event['repo']}: no mirror at {repo}", file=sys.stderr)
            continue
        with tempfile.TemporaryDirectory() as temp:
            export(repo, event["base"], Path(temp))
            tree = Path(temp) / "tree"
            result, graph = scan_with_graph(tree, ScanConfig(jobs=2, targets=(event["target"],)),
                                            rules)
            rows.append(Row(
                repo=event["repo"], target=event["target"], upgrade=bool(event.get("upgrade")),
                what=event["what"],
                changed=changed_lines(repo, event["base"], event["head"]),
                footprint=changed_vendor_lines(repo, event["base"], event["head"]),
                naive=naive_count(tree), findings=result.findings, graph=graph,
            ))
    return rows


def correlations(rows: list[Row], rules: RuleSet) -> dict[str, tuple[float, float]]:
    """Spearman of each measure with (all changed lines, changed lines in vendor files)."""
    changed = [float(r.changed) for r in rows]
    footprint = [float(r.footprint) for r in rows]
    measures = {
        "lockscan effort for the target": [r.effort(rules) for r in rows],
        "lockscan finding count": [float(len(r.findings)) for r in rows],
        "naive count of lines mentioning a vendor": [float(r.naive) for r in rows],
    }
    return {name: (spearman(v, changed), spearman(v, footprint)) for name, v in measures.items()}


def markdown(rows: list[Row], rules: RuleSet) -> str:
    out = ["| repository | migration | target | lines changed | in vendor files | "
           "lockscan effort | findings | naive vendor lines |",
           "|---|---|---|---:|---:|---:|---:|---:|"]
    for r in rows:
        target = r.target + " (upgrade)" * r.upgrade
        out.append(f"| {r.repo} | {r.what} | {target} | {r.changed} | {r.footprint} | "
                   f"{r.effort(rules):g} | {len(r.findings)} | {r.naive} |")
    out += ["", f"Spearman rank correlation over {len(rows)} migrations "
            "(all changed Python lines / changed lines in files that mention a vendor):"]
    for name, (whole, footprint) in correlations(rows, rules).items():
        out.append(f"- {name}: {whole:.2f} / {footprint:.2f}")
    return "\n".join(out) + "\n"


SWEEP = {
    "MODULE_SCATTER": (0.0, 0.25, 0.5, 1.0),
    "PACKAGE_SCATTER": (0.0, 0.5, 1.0),
    "PORTABLE_SHARE": (0.0, 0.25, 0.5),
}


def sweep(rows: list[Row], rules: RuleSet) -> str:
    """Correlation of lockscan effort as each constant varies (the others as shipped)."""
    out = ["", "| constant | value | Spearman (all / vendor files) |", "|---|---:|---|"]
    for name, values in SWEEP.items():
        shipped = getattr(score_module, name)
        for value in values:
            setattr(score_module, name, value)
            whole, footprint = correlations(rows, rules)["lockscan effort for the target"]
            mark = " (shipped)" if value == shipped else ""
            out.append(f"| {name} | {value:g}{mark} | {whole:.2f} / {footprint:.2f} |")
        setattr(score_module, name, shipped)
    return "\n".join(out) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mirrors", type=Path, default=Path("/work/.mirror"))
    parser.add_argument("--layout", default="{owner}+{name}/repo",
                        help="mirror path under --mirrors (default: {owner}+{name}/repo)")
    parser.add_argument("--events", type=Path, default=HERE / "migrations.toml")
    parser.add_argument("--sweep", action="store_true",
                        help="also show how the correlation moves with each scoring constant")
    args = parser.parse_args()
    rules = load_rules()
    rows = run(args.mirrors, args.layout, args.events)
    print(markdown(rows, rules), end="")
    if args.sweep:
        print(sweep(rows, rules), end="")


if __name__ == "__main__":
    main()
