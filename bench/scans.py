"""Scan a commit of a mirrored repository with this checkout's lockscan, and keep the
findings and graph so that scoring can be re-run without scanning again.

The tree is exported from the bare mirror (``<mirrors>/owner+name/repo``) the way
``bench/realcode/measure.py`` does it: Python, notebooks, text, config and manifest
files of at most 2 MB, read with ``git cat-file`` (mirrors may lack their largest blobs).
Nothing is fetched: a missing mirror or commit is reported by the caller.

Kept in ``bench/.work/scans/owner+name@<commit>-<code>.pickle`` (git-ignored), where
``<code>`` hashes the parts of this checkout that decide what a scan finds (``rules/`` and
``lockscan/`` but its score, reports, gates and CLI): editing them scans again. Only
this bench reads those files back."""

from __future__ import annotations

import hashlib
import pickle
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE / "realcode"))

from measure import export_tree  # noqa: E402  (bench/realcode/measure.py)

from lockscan.model import Finding, ScanConfig, Summary  # noqa: E402
from lockscan.pipeline.scan import scan_with_graph  # noqa: E402
from lockscan.ruleset import RuleSet  # noqa: E402

CACHE = HERE / ".work" / "scans"


@dataclass(frozen=True)
class Scanned:
    repo: str
    commit: str
    findings: tuple[Finding, ...]
    graph: Any  # lockscan.graph.ModuleGraph
    summary: Summary


def mirror_of(mirrors: Path, repo: str) -> Path:
    root = mirrors / repo.replace("/", "+") / "repo"
    return root / ".git" if (root / ".git").is_dir() else root


def resolve(mirror: Path, rev: str) -> str | None:
    """The commit ``rev`` names in the mirror, or None when the mirror lacks it."""
    done = subprocess.run(["git", "-C", str(mirror), "rev-parse", "--verify", "--quiet",
                           f"{rev}^{{commit}}"], capture_output=True, text=True, check=False)
    return done.stdout.strip() or None


# Packages that do not change what a scan finds (the score is recomputed from the findings).
NOT_SCANNING = frozenset({"score", "report", "gates", "cli", "authoring"})


def code_digest() -> str:
    """Names this checkout's scanner: the code that finds, and the rules."""
    digest = hashlib.sha256()
    for folder in ("lockscan", "rules"):
        for path in sorted((ROOT / folder).rglob("*")):
            parts = path.relative_to(ROOT).parts
            if (path.is_file() and "__pycache__" not in parts
                    and not (folder == "lockscan" and parts[1] in NOT_SCANNING)):
                digest.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:12]


def scan_commit(mirrors: Path, repo: str, rev: str, rules: RuleSet, code: str,
                jobs: int = 2, log=print) -> Scanned | None:
    """The scan of ``repo`` at ``rev``: from the cache when this code scanned it before."""
    mirror = mirror_of(mirrors, repo)
    if not mirror.exists():
        log(f"skip {repo}: no mirror at {mirror}")
        return None
    commit = resolve(mirror, rev)
    if commit is None:
        log(f"skip {repo}@{rev}: the mirror lacks this commit")
        return None
    kept = CACHE / f"{repo.replace('/', '+')}@{commit[:12]}-{code}.pickle"
    if kept.exists():
        return pickle.loads(kept.read_bytes())
    with tempfile.TemporaryDirectory() as temp:
        export_tree(mirror, commit, [], Path(temp))
        result, graph = scan_with_graph(Path(temp), ScanConfig(jobs=jobs, targets=("litellm",)),
                                        rules)
    scanned = Scanned(repo, commit, result.findings, graph, result.summary)
    kept.parent.mkdir(parents=True, exist_ok=True)
    kept.write_bytes(pickle.dumps(scanned))
    log(f"scanned {repo}@{commit[:12]}: {len(result.findings)} findings")
    return scanned


def write_between_markers(doc: Path, marker: str, lines: list[str]) -> None:
    """Replace what ``doc`` holds between ``<!-- marker:start -->`` and ``:end``."""
    text = doc.read_text("utf-8")
    start, end = f"<!-- {marker}:start -->", f"<!-- {marker}:end -->"
    if start in text and end in text:
        head, rest = text.split(start, 1)
        doc.write_text(head + start + "\n" + "\n".join(lines) + "\n" + end
                       + rest.split(end, 1)[1], "utf-8")
