"""Git, for ``lockscan diff``: the work tree a path is in, and a ref's tree written out
with ``git archive`` (local only, no network)."""

from __future__ import annotations

import os
import subprocess
import tarfile
from collections.abc import Sequence
from pathlib import Path

from lockscan.errors import GitError

GIT_TIMEOUT = 120


def _git(args: Sequence[str], cwd: Path) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(["git", *args], cwd=cwd, capture_output=True,
                              timeout=GIT_TIMEOUT, check=False)
    except FileNotFoundError as exc:
        raise GitError("missing") from exc


def repo_root(path: Path) -> tuple[Path, str]:
    """The work tree root holding ``path`` and ``path`` relative to it ("" for the root)."""
    folder = path if path.is_dir() else path.parent
    done = _git(["rev-parse", "--show-toplevel"], folder)
    if done.returncode != 0:
        raise GitError("not-a-work-tree", path=str(path))
    top = Path(done.stdout.decode().strip()).resolve()
    rel = os.path.relpath(path.resolve(), top)
    return top, "" if rel == "." else Path(rel).as_posix()


def materialize(repo: Path, ref: str, dest: Path) -> None:
    """Write the tree of ``ref`` into ``dest`` with ``git archive`` (local only)."""
    check = _git(["rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"], repo)
    if check.returncode != 0:
        raise GitError("unknown-ref", path=str(repo), ref=ref)
    with subprocess.Popen(["git", "archive", "--format=tar", ref], cwd=repo,
                          stdout=subprocess.PIPE, stderr=subprocess.DEVNULL) as proc:
        assert proc.stdout is not None
        with tarfile.open(fileobj=proc.stdout, mode="r|") as archive:
            if hasattr(tarfile, "data_filter"):
                archive.extractall(dest, filter="data")
            else:  # pragma: no cover - Pythons without extraction filters
                archive.extractall(dest)  # our own repository's archive
        # tarfile stops at the end-of-archive marker; git still writes the padding to the
        # last record. Unread, that write can fail with a broken pipe, and git's exit code
        # then says the archive failed although every file arrived.
        proc.stdout.read()
    if proc.returncode != 0:
        raise GitError("archive", path=str(repo), ref=ref)
