"""Measure lockscan's precision and recall on the labelled real-code corpus.

For each repository in ``bench/realcode/repos/`` (or those named on the command line),
the pinned commit's tree is exported from its bare mirror (``MIRRORS/owner+name/repo``):
files of at most 2 MB that are Python, notebooks, text/config/manifest files or in the
repository's ``scope`` (whatever their name). The export reads blobs with ``git cat-file
--batch`` rather than ``git archive | tar -x`` because the mirrors may lack their largest
blobs, which makes ``git archive`` of the whole commit fail; a scope file that is not
exported (absent, too large) is reported. No ``.gitignore`` is exported, so lockscan's
walk reads every exported file, as ``git ls-files`` would in a clean checkout.

lockscan then scans the whole tree in a subprocess::

    python -m lockscan scan TREE --format json --no-cache --jobs 2

with ``PYTHONPATH`` set to the checkout being measured (default: the repository this
script lives in; ``--lockscan DIR`` measures another checkout, so two commits can be
compared). Only findings in the repository's scope are kept and matched to the labels
of ``bench/realcode/labels/owner+name.csv`` (the guide is ``bench/realcode/LABELLING.md``):

- a finding covers a label of its kind when the label's line lies within the finding's
  ``line``..``end_line``, in the same file and, for a notebook, in the same cell (lockscan
  gives notebook findings a ``cell`` key, the index among all cells, and cell-relative
  lines, the convention of the labels' ``cell:line``);
- precision = findings covering at least one label of their kind / findings in scope;
- recall = labels covered by a finding of their kind / labels. Labels whose ``what``
  starts with ``doubt:`` count for precision but are left out of the headline recall,
  which is also given with them;
- vendor agreement = covered labels with a covering finding of the same vendor /
  covered labels; double reports = lines carrying two or more findings of one kind.

The report (headline, per kind, per vendor, per repository, command and lockscan
commit) is printed, or written to ``bench/REALCODE.md`` with ``--write`` (keeping that
file's hand-written ``## Label corrections`` section). Per repository, the misses and
false positives are written to ``bench/realcode/.out/owner+name.txt`` (git-ignored),
and the in-scope findings to ``owner+name.findings.json``, which ``--reuse`` reads
instead of scanning again when they came from the same committed ``lockscan/`` tree
(handy after editing labels). The lockscan measured is named by its checkout's HEAD
and the hash of its ``lockscan/`` tree, so runs of two checkouts with the same code
are recognisable as such.

Usage::

    python bench/realcode/measure.py [--write] [--lockscan DIR] [--jobs N] [--reuse]
                                     [--mirrors DIR] [owner/name ...]
"""

from __future__ import annotations

import argparse
import ast
import csv
import json
import os
import shlex
import subprocess
import sys
import tempfile
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

try:
    import tomllib
except ImportError:  # Python 3.10: the repo files need only strings and arrays of strings
    tomllib = None  # type: ignore[assignment]

ROOT = Path(__file__).resolve().parents[2]
REALCODE = ROOT / "bench" / "realcode"
REPOS = REALCODE / "repos"
LABELS = REALCODE / "labels"
OUT = REALCODE / ".out"
REPORT = ROOT / "bench" / "REALCODE.md"
DEFAULT_MIRRORS = Path("/work/.mirror")
MAX_SIZE = 2_000_000
SCAN_TIMEOUT = 3600
TEXT_SUFFIXES = frozenset({
    ".py", ".ipynb", ".txt", ".md", ".toml", ".cfg", ".ini", ".yaml", ".yml", ".json",
    ".j2", ".jinja", ".jinja2", ".prompt", ".tmpl", ".mustache", ".example", ".sample",
    ".template", ".env",
})
TEXT_NAMES = frozenset({"Pipfile", "env.example"})
KINDS = ("import", "client", "call", "response_shape", "tool_schema", "model_id", "env_var",
         "vendor_feature", "prompt_format", "dependency", "credential")
CORRECTIONS_HEADING = "## Label corrections"
MENTIONS_ONLY = "mentions-only"

Site = tuple[str, int | None, int]  # path, cell (notebooks) or None, line


@dataclass(frozen=True)
class Repo:
    name: str  # owner+name
    repo: str  # owner/name
    commit: str
    category: str
    scope: tuple[str, ...]


@dataclass(frozen=True, order=True)
class Label:
    path: str
    cell: int | None
    line: int
    kind: str
    vendor: str
    what: str

    @property
    def doubt(self) -> bool:
        return self.what.startswith("doubt:")


@dataclass(frozen=True, order=True)
class Finding:
    path: str
    cell: int | None
    line: int
    end_line: int
    kind: str
    vendor: str
    rule: str
    column: int
    message: str


@dataclass(frozen=True)
class LabelResult:
    repo: str
    label: Label
    covered: bool
    same_vendor: bool
    finding_vendors: tuple[str, ...]


@dataclass(frozen=True)
class FindingResult:
    repo: str
    finding: Finding
    correct: bool


@dataclass
class RepoResult:
    repo: Repo
    status: str  # "ok" or why it was skipped
    lockscan_commit: str = ""
    labels: list[LabelResult] = field(default_factory=list)
    findings: list[FindingResult] = field(default_factory=list)
    missing_scope: list[str] = field(default_factory=list)


@dataclass
class Tally:
    labels: int = 0
    found: int = 0
    doubt_labels: int = 0
    doubt_found: int = 0
    same_vendor: int = 0
    findings: int = 0
    correct: int = 0
    double: int = 0


# ---------------------------------------------------------------- reading the corpus

def strip_comment(line: str) -> str:
    """A TOML line without its ``#`` comment (a ``#`` inside a string stays)."""
    quote = ""
    for i, char in enumerate(line):
        if quote:
            quote = "" if char == quote and line[i - 1] != "\\" else quote
        elif char in "\"'":
            quote = char
        elif char == "#":
            return line[:i]
    return line


def simple_toml(text: str) -> dict[str, object]:
    """The ``key = value`` pairs of a TOML file whose values are strings or arrays of
    strings (what the repo files hold), for Pythons without ``tomllib``."""
    data: dict[str, object] = {}
    pending = ""
    for raw in text.splitlines():
        pending += strip_comment(raw).strip() + " "
        key, sep, value = pending.partition("=")
        if not sep or value.count("[") > value.count("]"):
            continue
        data[key.strip()] = ast.literal_eval(value.strip())
        pending = ""
    return data


def load_repo(path: Path) -> Repo:
    text = path.read_text(encoding="utf-8")
    data = tomllib.loads(text) if tomllib else simple_toml(text)
    return Repo(path.stem, data["repo"], data["commit"], data.get("category", ""),
                tuple(data["scope"]))


def parse_position(text: str) -> tuple[int | None, int]:
    """``12`` -> (None, 12); a notebook's ``7:3`` -> (7, 3)."""
    if ":" in text:
        cell, line = text.split(":", 1)
        return int(cell), int(line)
    return None, int(text)


def load_labels(path: Path) -> list[Label]:
    if not path.exists():
        return []
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    labels = []
    for row in rows:
        cell, line = parse_position(row["line"].strip())
        labels.append(Label(row["path"].strip(), cell, line, row["kind"].strip(),
                            row["vendor"].strip(), row["what"].strip()))
    return sorted(labels)


def select_repos(names: Sequence[str]) -> list[Repo]:
    """All repositories, or those named as ``owner/name``, ``owner+name`` or a .toml path."""
    if not names:
        return [load_repo(path) for path in sorted(REPOS.glob("*.toml"))]
    repos = []
    for name in names:
        stem = Path(name).stem if name.endswith(".toml") else name.replace("/", "+")
        path = REPOS / f"{stem}.toml"
        if not path.exists():
            raise SystemExit(f"{name}: no {path.relative_to(ROOT)}")
        repos.append(load_repo(path))
    return repos


# ---------------------------------------------------------------- exporting and scanning

def wanted(path: str, size: int, scope: frozenset[str]) -> bool:
    """Whether an exported tree gets this file: at most MAX_SIZE bytes (-1: blob absent),
    and a scope file of any name or a Python, notebook, text, config or manifest file."""
    if not 0 <= size <= MAX_SIZE:
        return False
    name = path.rsplit("/", 1)[-1]
    dot = name.rfind(".")
    suffix = name[dot:].lower() if dot > 0 else ""
    return (path in scope or suffix in TEXT_SUFFIXES or name in TEXT_NAMES or name.startswith(".env")
            or name.startswith("requirements"))


def list_tree(mirror: Path, commit: str) -> list[tuple[str, str, int]]:
    """(object id, path, size) of the regular files of a commit; the size is -1 when the
    mirror lacks the blob (``git ls-tree -l`` then prints ``BAD``)."""
    out = subprocess.run(["git", "-C", str(mirror), "ls-tree", "-r", "-l", "-z", commit],
                         capture_output=True, check=True).stdout
    entries = []
    for record in out.split(b"\0"):
        if not record:
            continue
        meta, path = record.split(b"\t", 1)
        mode, kind, oid, size = meta.split()
        if kind == b"blob" and mode in (b"100644", b"100755"):
            length = int(size) if size.isdigit() else -1
            entries.append((oid.decode(), path.decode("utf-8", "surrogateescape"), length))
    return entries


def read_blobs(mirror: Path, oids: Sequence[str]) -> dict[str, bytes]:
    """Contents of the blobs the mirror has; absent ones are left out."""
    if not oids:
        return {}
    out = subprocess.run(["git", "-C", str(mirror), "cat-file", "--batch"],
                         input="".join(f"{oid}\n" for oid in oids).encode(),
                         capture_output=True, check=True).stdout
    blobs: dict[str, bytes] = {}
    pos = 0
    while pos < len(out):
        end = out.index(b"\n", pos)
        header = out[pos:end].split()
        pos = end + 1
        if len(header) < 3 or header[1] == b"missing":
            continue
        size = int(header[2])
        blobs[header[0].decode()] = out[pos:pos + size]
        pos += size + 1
    return blobs


def export_tree(mirror: Path, commit: str, scope: Sequence[str], dest: Path) -> list[str]:
    """Write the commit's wanted files under ``dest``; return the scope files not written."""
    scope_set = frozenset(scope)
    entries = [entry for entry in list_tree(mirror, commit) if wanted(entry[1], entry[2], scope_set)]
    blobs = read_blobs(mirror, sorted({oid for oid, _, _ in entries}))
    written = set()
    for oid, path, _ in entries:
        if oid not in blobs:
            continue
        target = dest / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(blobs[oid])
        written.add(path)
    return sorted(scope_set - written)


def git_out(checkout: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(checkout), *args], capture_output=True, text=True,
                          check=True).stdout.strip()


def git_commit(checkout: Path) -> str:
    """HEAD of a checkout and the hash of its ``lockscan/`` tree (equal trees are equal code),
    with ``+dirty`` when ``lockscan/`` has uncommitted changes."""
    try:
        head = git_out(checkout, "rev-parse", "HEAD")
        tree = git_out(checkout, "rev-parse", "HEAD:lockscan")
        dirty = git_out(checkout, "status", "--porcelain", "--", "lockscan")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return f"{head} (lockscan/ tree {tree[:12]}{', +dirty' if dirty else ''})"


def same_code(saved: str, current: str) -> bool:
    """Whether two ``git_commit`` descriptions name the same committed ``lockscan/`` tree."""
    def tree(text: str) -> str:
        return text.partition("lockscan/ tree ")[2]
    return bool(tree(current)) and tree(saved) == tree(current) and "dirty" not in current


def scan_command(tree: Path, output: Path, jobs: int) -> list[str]:
    return [sys.executable, "-m", "lockscan", "scan", str(tree), "--format", "json", "--no-cache",
            "--jobs", str(jobs), "--output", str(output)]


def run_scan(tree: Path, lockscan: Path, jobs: int) -> dict:
    """lockscan's JSON report on ``tree``; raises RuntimeError when the scan fails."""
    output = tree.parent / "scan.json"
    env = {**os.environ, "PYTHONPATH": str(lockscan)}
    done = subprocess.run(scan_command(tree, output, jobs), capture_output=True, text=True, env=env,
                          cwd=tree.parent, timeout=SCAN_TIMEOUT)
    if done.returncode not in (0, 1) or not output.exists():
        tail = done.stderr.strip().splitlines()[-1:] or ["no output"]
        raise RuntimeError(f"lockscan exited {done.returncode}: {tail[0]}")
    return json.loads(output.read_text(encoding="utf-8"))


def findings_in_scope(report: dict, scope: Iterable[str]) -> list[Finding]:
    keep = set(scope)
    return sorted(
        Finding(item["path"], item.get("cell"), item["line"], item.get("end_line") or item["line"],
                item["kind"], item["vendor"], item["rule"], item.get("column", 0), item["message"])
        for item in report["findings"] if item["path"] in keep
    )


# ---------------------------------------------------------------- matching

def covers(finding: Finding, label: Label) -> bool:
    return (finding.path == label.path and finding.cell == label.cell and finding.kind == label.kind
            and finding.line <= label.line <= finding.end_line)


def match(repo: str, labels: Sequence[Label], findings: Sequence[Finding]
          ) -> tuple[list[LabelResult], list[FindingResult]]:
    """Each label with whether a finding of its kind covers it; each finding with whether
    it covers a label of its kind."""
    by_place: dict[tuple[str, int | None, str], list[Finding]] = defaultdict(list)
    for finding in findings:
        by_place[finding.path, finding.cell, finding.kind].append(finding)
    correct: set[Finding] = set()
    label_results = []
    for label in labels:
        hits = [f for f in by_place[label.path, label.cell, label.kind] if covers(f, label)]
        correct.update(hits)
        vendors = tuple(sorted({f.vendor for f in hits}))
        label_results.append(LabelResult(repo, label, bool(hits), label.vendor in vendors, vendors))
    finding_results = [FindingResult(repo, f, f in correct) for f in findings]
    return label_results, finding_results


def double_lines(findings: Iterable[FindingResult]) -> list[tuple[str, int | None, int, str]]:
    """(path, cell, line, kind) of lines that carry two or more findings of one kind."""
    counts = Counter((r.finding.path, r.finding.cell, r.finding.line, r.finding.kind) for r in findings)
    return sorted((key for key, n in counts.items() if n > 1), key=str)


def measure_repo(repo: Repo, mirrors: Path, lockscan: Path, lockscan_commit: str, jobs: int,
                 reuse: bool) -> RepoResult:
    labels = load_labels(LABELS / f"{repo.name}.csv")
    saved = OUT / f"{repo.name}.findings.json"
    if reuse and saved.exists():
        data = json.loads(saved.read_text(encoding="utf-8"))
        if (data["commit"] == repo.commit and data["scope"] == list(repo.scope)
                and same_code(data["lockscan_commit"], lockscan_commit)):
            findings = sorted(Finding(**item) for item in data["findings"])
            return finish(repo, lockscan_commit, labels, findings, data["missing_scope"])
        print("  saved findings are stale; scanning", file=sys.stderr)
    mirror = mirrors / repo.name / "repo"
    if not mirror.is_dir():
        return RepoResult(repo, f"skipped: no mirror at {mirror}", lockscan_commit)
    if subprocess.run(["git", "-C", str(mirror), "cat-file", "-e", f"{repo.commit}^{{commit}}"],
                      capture_output=True).returncode:
        return RepoResult(repo, f"skipped: commit {repo.commit[:12]} is not in {mirror}", lockscan_commit)
    with tempfile.TemporaryDirectory(prefix="realcode-") as temp:
        tree = Path(temp) / repo.name
        tree.mkdir()
        try:
            missing = export_tree(mirror, repo.commit, repo.scope, tree)
            report = run_scan(tree, lockscan, jobs)
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired, RuntimeError, ValueError) as err:
            return RepoResult(repo, f"skipped: {str(err).splitlines()[0]}", lockscan_commit)
    findings = findings_in_scope(report, repo.scope)
    save_findings(saved, repo, lockscan_commit, findings, missing)
    return finish(repo, lockscan_commit, labels, findings, missing)


def finish(repo: Repo, lockscan_commit: str, labels: list[Label], findings: list[Finding],
           missing: list[str]) -> RepoResult:
    label_results, finding_results = match(repo.repo, labels, findings)
    return RepoResult(repo, "ok", lockscan_commit, label_results, finding_results, missing)


def save_findings(path: Path, repo: Repo, lockscan_commit: str, findings: list[Finding],
                  missing: list[str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    data = {"commit": repo.commit, "scope": list(repo.scope), "lockscan_commit": lockscan_commit,
            "missing_scope": missing, "findings": [f.__dict__ for f in findings]}
    path.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n", encoding="utf-8")


# ---------------------------------------------------------------- tallies

def tally(labels: Iterable[LabelResult], findings: Iterable[FindingResult]) -> Tally:
    total = Tally()
    for result in labels:
        if result.label.doubt:
            total.doubt_labels += 1
            total.doubt_found += result.covered
        else:
            total.labels += 1
            total.found += result.covered
            total.same_vendor += result.same_vendor
    findings = list(findings)
    total.findings = len(findings)
    total.correct = sum(r.correct for r in findings)
    total.double = len(double_lines(findings))
    return total


def grouped(results: Iterable[RepoResult], label_key: Callable[[LabelResult], str],
            finding_key: Callable[[FindingResult], str]) -> dict[str, Tally]:
    labels: dict[str, list[LabelResult]] = defaultdict(list)
    findings: dict[str, list[FindingResult]] = defaultdict(list)
    for result in results:
        for item in result.labels:
            labels[label_key(item)].append(item)
        for finding in result.findings:
            findings[finding_key(finding)].append(finding)
    return {key: tally(labels.get(key, []), findings.get(key, []))
            for key in sorted(set(labels) | set(findings))}


def percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "–"


def recall_all(t: Tally) -> str:
    return percent(t.found + t.doubt_found, t.labels + t.doubt_labels)


# ---------------------------------------------------------------- the report

def numeric(cell: object) -> bool:
    return isinstance(cell, int) or str(cell) == "–" or str(cell).endswith("%")


def table(header: Sequence[str], rows: Iterable[Sequence[object]]) -> list[str]:
    """A markdown table; columns of numbers and percentages are right-aligned."""
    rows = list(rows)
    align = ["---:" if rows and all(numeric(row[i]) for row in rows) else "---" for i in range(len(header))]
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(align) + "|"]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return lines


def headline(total: Tally) -> list[str]:
    return [
        f"- **Precision {percent(total.correct, total.findings)}** "
        f"({total.correct} of {total.findings} findings in scope cover a label of their kind)",
        f"- **Recall {percent(total.found, total.labels)}** "
        f"({total.found} of {total.labels} labels, doubt labels left out); "
        f"with the {total.doubt_labels} doubt labels: {recall_all(total)} "
        f"({total.found + total.doubt_found} of {total.labels + total.doubt_labels})",
        f"- **Vendor agreement {percent(total.same_vendor, total.found)}** "
        f"({total.same_vendor} of {total.found} covered labels have a covering finding of the "
        "same vendor)",
        f"- **Double reports: {total.double}** lines carry two or more findings of one kind",
    ]


def kind_section(results: list[RepoResult]) -> list[str]:
    tallies = grouped(results, lambda r: r.label.kind, lambda r: r.finding.kind)
    order = sorted(tallies, key=lambda k: (KINDS.index(k) if k in KINDS else len(KINDS), k))
    rows = [(f"`{k}`", t.labels, t.found, percent(t.found, t.labels), recall_all(t), t.findings,
             t.correct, percent(t.correct, t.findings), percent(t.same_vendor, t.found), t.double)
            for k, t in ((k, tallies[k]) for k in order)]
    return table(("kind", "labels", "found", "recall", "recall with doubt", "findings", "correct",
                  "precision", "vendor agreement", "double lines"), rows)


def vendor_section(results: list[RepoResult]) -> list[str]:
    tallies = grouped(results, lambda r: r.label.vendor, lambda r: r.finding.vendor)
    rows = [(f"`{v}`", t.labels, t.found, percent(t.found, t.labels), percent(t.same_vendor, t.found),
             t.findings, t.correct, percent(t.correct, t.findings))
            for v, t in tallies.items()]
    return table(("vendor", "labels", "found", "recall", "vendor agreement", "findings", "correct",
                  "precision"), rows)


def repo_section(results: list[RepoResult]) -> list[str]:
    rows = []
    for result in sorted(results, key=lambda r: r.repo.repo.lower()):
        name = (f"`{result.repo.repo}`", result.repo.category)
        if result.status != "ok":
            rows.append((*name, *["–"] * 9, result.status))
            continue
        t = tally(result.labels, result.findings)
        note = f"scope files not exported: {', '.join(result.missing_scope)}" if result.missing_scope else ""
        rows.append((*name, t.labels, t.found, percent(t.found, t.labels), recall_all(t), t.findings,
                     t.correct, percent(t.correct, t.findings), percent(t.same_vendor, t.found), t.double,
                     note))
    return table(("repository", "category", "labels", "found", "recall", "recall with doubt",
                  "findings", "correct", "precision", "vendor agreement", "double lines", "note"), rows)


PREFACE = """\
lockscan measured on code that was never used to build it: 21 public repositories
(`bench/realcode/repos/`), each pinned at one commit, with a *scope* of files read line
by line and every vendor-coupling site labelled by hand (`bench/realcode/labels/`, guide
in `bench/realcode/LABELLING.md`). lockscan scans each repository's whole tree; only
its findings in scope are counted.

A finding covers a label when both have the same file (and notebook cell) and kind and
the label's line lies within the finding's `line`..`end_line`. Precision is the share of
findings that cover at least one label of their kind; recall the share of labels covered
by at least one finding of their kind. Labels whose `what` starts with `doubt:` are sites a
reviewer should decide: a finding on one is not a false positive, but they are left out
of the headline recall (the "with doubt" columns count them). Vendor agreement is the share
of covered labels with a covering finding of the label's vendor. Double lines are lines
with two or more findings of one kind (some are right: two model ids on one line).

Misses and false positives per repository: run the script, then read
`bench/realcode/.out/owner+name.txt`. Regenerate this file with
`python bench/realcode/measure.py --write` (the "Label corrections" section is kept)."""


def render(results: list[RepoResult], command: str, lockscan_commit: str, corrections: str) -> str:
    measured = [r for r in results if r.status == "ok"]
    total = tally((x for r in measured for x in r.labels), (x for r in measured for x in r.findings))
    skipped = [r for r in results if r.status != "ok"]
    coupled = [r for r in measured if r.repo.category != MENTIONS_ONLY]
    rest = tally((x for r in coupled for x in r.labels), (x for r in coupled for x in r.findings))
    lines = ["# lockscan on real code", "", PREFACE, "", "## Headline", ""]
    lines += headline(total)
    lines += [f"- Without the {len(measured) - len(coupled)} {MENTIONS_ONLY} repositories (which only "
              "mention vendors, e.g. tokenizers and price tables): precision "
              f"{percent(rest.correct, rest.findings)} ({rest.correct} of {rest.findings}), recall "
              f"{percent(rest.found, rest.labels)} ({rest.found} of {rest.labels})"]
    lines += [f"- {len(measured)} repositories measured"
              + (f", {len(skipped)} skipped ({', '.join(r.repo.repo for r in skipped)})" if skipped else "")]
    lines += ["", "## Per kind", "", *kind_section(measured)]
    lines += ["", "## Per vendor", "",
              "Recall columns count labels by the label's vendor; precision columns count findings "
              "by the finding's vendor.", "", *vendor_section(measured)]
    lines += ["", "## Per repository", "", *repo_section(results)]
    lines += ["", "## Measured", "", f"- command: `{command}`",
              f"- lockscan measured: commit {lockscan_commit}",
              "- each scan: `python -m lockscan scan TREE --format json --no-cache --jobs N` "
              "with `PYTHONPATH` at that checkout"]
    text = "\n".join(lines) + "\n"
    return text + ("\n" + corrections.strip() + "\n" if corrections.strip() else "")


def kept_corrections(report: Path) -> str:
    """The ``## Label corrections`` section of an existing report, up to the next ``## ``."""
    if not report.exists():
        return ""
    lines = report.read_text(encoding="utf-8").splitlines()
    if CORRECTIONS_HEADING not in lines:
        return ""
    start = lines.index(CORRECTIONS_HEADING)
    end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("## ")), len(lines))
    return "\n".join(lines[start:end])


def place(path: str, cell: int | None, line: int) -> str:
    return f"{path}:{cell}:{line}" if cell is not None else f"{path}:{line}"


def repo_listing(result: RepoResult) -> str:
    """The misses and false positives of one repository, for a developer to read."""
    repo = result.repo
    misses = [r.label for r in result.labels if not r.covered and not r.label.doubt]
    doubt_misses = [r.label for r in result.labels if not r.covered and r.label.doubt]
    wrong = [r.finding for r in result.findings if not r.correct]
    other_vendor = [r for r in result.labels if r.covered and not r.same_vendor]
    lines = [f"# {repo.repo} @ {repo.commit}", f"# lockscan {result.lockscan_commit}", ""]
    if result.status != "ok":
        lines += [result.status, ""]
    lines += [f"## misses ({len(misses)}): path:line kind vendor what"]
    lines += [f"{place(x.path, x.cell, x.line)} {x.kind} {x.vendor} {x.what}" for x in misses]
    lines += ["", f"## doubt labels missed ({len(doubt_misses)})"]
    lines += [f"{place(x.path, x.cell, x.line)} {x.kind} {x.vendor} {x.what}" for x in doubt_misses]
    lines += ["", f"## false positives ({len(wrong)}): path:line kind vendor rule message"]
    lines += [f"{place(f.path, f.cell, f.line)} {f.kind} {f.vendor} {f.rule} {f.message}" for f in wrong]
    lines += ["", f"## covered with another vendor ({len(other_vendor)}): path:line kind label -> findings"]
    lines += [f"{place(r.label.path, r.label.cell, r.label.line)} {r.label.kind} {r.label.vendor} -> "
              f"{','.join(r.finding_vendors)}  {r.label.what}" for r in other_vendor]
    doubles = double_lines(result.findings)
    lines += ["", f"## double lines ({len(doubles)}): path:line kind"]
    lines += [f"{place(p, c, n)} {k}" for p, c, n, k in doubles]
    if result.missing_scope:
        lines += ["", "## scope files not exported", *result.missing_scope]
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- command line

def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("repos", nargs="*", help="owner/name of the repositories (default: all)")
    parser.add_argument("--write", action="store_true", help=f"write {REPORT.relative_to(ROOT)}")
    parser.add_argument("--lockscan", type=Path, default=ROOT, help="checkout whose lockscan is measured")
    parser.add_argument("--mirrors", type=Path, default=DEFAULT_MIRRORS, help="folder of the bare mirrors")
    parser.add_argument("--jobs", type=int, default=2, help="lockscan worker processes (default 2)")
    parser.add_argument("--reuse", action="store_true",
                        help="reuse the findings an earlier run saved in .out/ when they came from the "
                        "same lockscan/ tree, repository commit and scope, instead of scanning")
    return parser.parse_args(argv)


def main(argv: Sequence[str]) -> int:
    args = parse_args(argv)
    lockscan = args.lockscan.resolve()
    if not (lockscan / "lockscan" / "__init__.py").exists():
        raise SystemExit(f"{lockscan}: no lockscan/ package to measure")
    lockscan_commit = git_commit(lockscan)
    results = []
    for repo in select_repos(args.repos):
        print(f"{repo.repo} ...", file=sys.stderr, flush=True)
        result = measure_repo(repo, args.mirrors, lockscan, lockscan_commit, args.jobs, args.reuse)
        if result.status != "ok":
            print(f"  {result.status}", file=sys.stderr)
        OUT.mkdir(parents=True, exist_ok=True)
        (OUT / f"{repo.name}.txt").write_text(repo_listing(result), encoding="utf-8")
        results.append(result)
    commits = sorted({r.lockscan_commit for r in results if r.status == "ok"}) or [lockscan_commit]
    command = "python bench/realcode/measure.py" + "".join(f" {shlex.quote(a)}" for a in argv)
    text = render(results, command, ", ".join(commits), kept_corrections(REPORT))
    if args.write:
        REPORT.write_text(text, encoding="utf-8")
        print(f"wrote {REPORT.relative_to(ROOT)}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
