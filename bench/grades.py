"""How lockscan's grades spread over real repositories of different sizes.

For each repository of bench/grades.toml: scan the pinned commit with this checkout's
lockscan (bench/scans.py; nothing is fetched: missing mirrors are reported), score it
with the default targets, and tabulate its size, the vendors it uses, what leaving each
would cost, and the grade of every default target. Prints the distribution of grades
(over all default targets, and over leaving each repository's main vendor).

    python bench/grades.py --mirrors /work/.mirror [--write]

``--write`` writes the full table to bench/GRADES.md and the summary into docs/scoring.md
(between its ``grades`` markers).
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # bench/scans.py, run from anywhere

from scans import ROOT, code_digest, scan_commit, write_between_markers

from lockscan.model import Leave, SwitchCost
from lockscan.ruleset import load_rules
from lockscan.score import calibration, grade_for, score

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

HERE = Path(__file__).resolve().parent
GRADES = [grade for _, grade in calibration.GRADE_BANDS] + [calibration.WORST_GRADE]


@dataclass
class Graded:
    repo: str
    why: str
    python_files: int
    lines: int
    findings: int
    costs: dict[str, SwitchCost]
    leave: dict[str, Leave]
    main: str | None  # the vendor in use with the most findings

    @property
    def main_leave(self) -> Leave | None:
        return self.leave.get(self.main) if self.main else None


def grade(entry: dict, mirrors: Path, rules, code: str, jobs: int) -> Graded | None:
    scanned = scan_commit(mirrors, entry["repo"], entry["commit"], rules, code, jobs,
                          log=lambda text: print(text, file=sys.stderr))
    if scanned is None:
        return None
    scores = score(scanned.findings, scanned.graph, rules)
    by_vendor = Counter(f.vendor for f in scanned.findings)
    main = max(scores.leave, key=lambda v: (by_vendor[v], v)) if scores.leave else None
    return Graded(entry["repo"], entry.get("why", ""), scanned.summary.python_files,
                  scanned.summary.lines, len(scanned.findings), scores.switch_cost,
                  scores.leave, main)


def size_band(lines: int) -> str:
    return "small (<10k lines)" if lines < 10_000 else \
        "medium (10k–100k)" if lines < 100_000 else "large (≥100k)"


def distribution(rows: list[Graded]) -> list[str]:
    every = Counter(c.grade for r in rows for c in r.costs.values())
    leaving = Counter(grade_for(r.main_leave.lines) for r in rows if r.main_leave)
    litellm = Counter(r.costs["litellm"].grade for r in rows if "litellm" in r.costs)
    out = ["| grade | lines (upper bound) | default targets | leaving the main vendor | to litellm |",
           "|---|---:|---:|---:|---:|"]
    uppers = [str(upper) for upper, _ in calibration.GRADE_BANDS] + ["—"]
    for name, upper in zip(GRADES, uppers, strict=True):
        out.append(f"| {name} | {upper} | {every[name]} | {leaving[name]} | {litellm[name]} |")
    out.append(f"| all | | {sum(every.values())} | {sum(leaving.values())} | "
               f"{sum(litellm.values())} |")
    by_size: dict[str, Counter[str]] = {}
    for r in rows:
        if r.main_leave:
            by_size.setdefault(size_band(r.lines), Counter())[grade_for(r.main_leave.lines)] += 1
    out += ["", "Leaving the main vendor, by repository size:", "",
            "| size | repositories | " + " | ".join(GRADES) + " |",
            "|---|---:|" + "---:|" * len(GRADES)]
    for band in ("small (<10k lines)", "medium (10k–100k)", "large (≥100k)"):
        counts = by_size.get(band, Counter())
        out.append(f"| {band} | {sum(counts.values())} | "
                   + " | ".join(str(counts[g]) for g in GRADES) + " |")
    return out


def repo_table(rows: list[Graded]) -> list[str]:
    out = ["| repository | what | Python files | lines | findings | leaving the main vendor | "
           "default targets (lines, grade) |", "|---|---|---:|---:|---:|---|---|"]
    for r in sorted(rows, key=lambda r: r.lines):
        leave = r.main_leave
        leaving = (f"{r.main} → {leave.target}: ~{leave.lines} ({grade_for(leave.lines)})"
                   + (" supported" if leave.supported_by else "") if leave else "—")
        targets = ", ".join(f"{t} {c.lines} {c.grade}" for t, c in r.costs.items())
        out.append(f"| {r.repo} | {r.why} | {r.python_files} | {r.lines} | {r.findings} | "
                   f"{leaving} | {targets} |")
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mirrors", type=Path, default=Path("/work/.mirror"))
    parser.add_argument("--repos", type=Path, default=HERE / "grades.toml")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--write", action="store_true", help="write bench/GRADES.md and docs")
    args = parser.parse_args()
    rules = load_rules()
    code = code_digest()
    rows, missing = [], []
    for entry in tomllib.loads(args.repos.read_text("utf-8"))["repo"]:
        graded = grade(entry, args.mirrors, rules, code, args.jobs)
        if graded is None:
            missing.append(entry["repo"])
        else:
            rows.append(graded)
    summary = [f"{len(rows)} repositories, {sum(len(r.costs) for r in rows)} default targets "
               f"(scans by lockscan code `{code}`; `python bench/grades.py --mirrors /work/.mirror --write`)."
               + (f" Not scanned (no mirror): {', '.join(missing)}." if missing else ""),
               "", *distribution(rows)]
    text = "\n".join(["# Grades on real repositories", "", *summary, "", *repo_table(rows)]) + "\n"
    print(text, end="")
    if args.write:
        (HERE / "GRADES.md").write_text(text, "utf-8")
        write_between_markers(ROOT / "docs" / "scoring.md", "grades", summary)
    return 0


if __name__ == "__main__":
    sys.exit(main())
