"""Compare two scans: what a change adds or removes, and what it does to the score.

``materialize`` copies a git ref out of the local repository (``git archive``, no
network); ``compare`` is a pure function of two ``ScanResult``s, matching findings
by fingerprint so that a moved line is neither new nor gone.
"""

from __future__ import annotations

import os
import subprocess
import tarfile
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from lockscan.errors import UsageError
from lockscan.model import Finding, PolicyViolation, ScanResult, SwitchCost

GIT_TIMEOUT = 120


@dataclass(frozen=True, slots=True)
class CostChange:
    target: str
    before: SwitchCost | None
    after: SwitchCost | None

    @property
    def effort_before(self) -> float:
        return self.before.effort if self.before else 0.0

    @property
    def effort_after(self) -> float:
        return self.after.effort if self.after else 0.0

    @property
    def delta(self) -> float:
        return self.effort_after - self.effort_before

    @property
    def index_before(self) -> int:
        return self.before.index if self.before else 0

    @property
    def index_after(self) -> int:
        return self.after.index if self.after else 0


@dataclass(frozen=True, slots=True)
class DiffResult:
    base_ref: str
    head_ref: str | None  # None: the working tree
    base: ScanResult
    head: ScanResult
    added: tuple[Finding, ...]
    removed: tuple[Finding, ...]
    costs: tuple[CostChange, ...]
    new_violations: tuple[PolicyViolation, ...]


def compare(base: ScanResult, head: ScanResult, base_ref: str = "base",
            head_ref: str | None = None) -> DiffResult:
    """Findings added and removed by fingerprint, and the switch-cost change per target."""
    before = {f.fingerprint for f in base.findings}
    after = {f.fingerprint for f in head.findings}
    added = tuple(f for f in head.findings if f.fingerprint not in before)
    removed = tuple(f for f in base.findings if f.fingerprint not in after)
    targets = sorted(set(base.switch_cost) | set(head.switch_cost))
    costs = tuple(CostChange(t, base.switch_cost.get(t), head.switch_cost.get(t))
                  for t in targets)
    added_prints = {f.fingerprint for f in added}
    violations = head.policy.violations if head.policy else ()
    new_violations = tuple(v for v in violations if v.fingerprint in added_prints)
    return DiffResult(base_ref, head_ref, base, head, added, removed, costs, new_violations)


def gate_result(diff: DiffResult) -> ScanResult:
    """The head result as ``fail_on`` should see it in a diff: only new violations count."""
    policy = diff.head.policy
    if policy is not None:
        policy = replace(policy, violations=diff.new_violations)
    return replace(diff.head, policy=policy)


def _git(args: Sequence[str], cwd: Path) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(["git", *args], cwd=cwd, capture_output=True,
                              timeout=GIT_TIMEOUT, check=False)
    except FileNotFoundError as exc:
        raise UsageError("git: not found; install git to use `lockscan diff`") from exc


def repo_root(path: Path) -> tuple[Path, str]:
    """The work tree root holding ``path`` and ``path`` relative to it ("" for the root)."""
    folder = path if path.is_dir() else path.parent
    done = _git(["rev-parse", "--show-toplevel"], folder)
    if done.returncode != 0:
        raise UsageError(f"{path}: not inside a git work tree; `lockscan diff` compares git "
                         "refs, run it in a repository")
    top = Path(done.stdout.decode().strip()).resolve()
    rel = os.path.relpath(path.resolve(), top)
    return top, "" if rel == "." else Path(rel).as_posix()


def materialize(repo: Path, ref: str, dest: Path) -> None:
    """Write the tree of ``ref`` into ``dest`` with ``git archive`` (local only)."""
    check = _git(["rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"], repo)
    if check.returncode != 0:
        raise UsageError(f"{ref}: not a commit in {repo}; fetch it first "
                         "(e.g. `git fetch origin main`) or pass another --base/--head")
    with subprocess.Popen(["git", "archive", "--format=tar", ref], cwd=repo,
                          stdout=subprocess.PIPE, stderr=subprocess.DEVNULL) as proc:
        assert proc.stdout is not None
        with tarfile.open(fileobj=proc.stdout, mode="r|") as archive:
            if hasattr(tarfile, "data_filter"):
                archive.extractall(dest, filter="data")
            else:  # pragma: no cover - Pythons without extraction filters
                archive.extractall(dest)  # our own repository's archive
    if proc.returncode != 0:
        raise UsageError(f"{ref}: `git archive` failed in {repo}; check the ref")
