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


def head_versions(root: Path, paths: Sequence[str]) -> dict[str, bytes | None]:
    """HEAD's bytes of each of ``paths`` (``/``-paths relative to ``root``), None for a
    file HEAD lacks; every one None when ``root`` is in no repository or HEAD has no
    commit yet. One ``git cat-file --batch`` call, local only."""
    missing: dict[str, bytes | None] = dict.fromkeys(paths)
    if not paths:
        return missing
    try:
        prefix = _git(["rev-parse", "--show-prefix"], root)
    except GitError:
        return missing
    if prefix.returncode != 0 or any("\n" in p for p in paths):
        return missing
    where = prefix.stdout.decode().strip()
    request = "".join(f"HEAD:{where}{path}\n" for path in paths).encode()
    try:
        done = subprocess.run(["git", "cat-file", "--batch"], cwd=root, input=request,
                              capture_output=True, timeout=GIT_TIMEOUT, check=False)
    except (FileNotFoundError, subprocess.TimeoutExpired):
        return missing
    if done.returncode != 0:
        return missing
    return _batch(done.stdout, paths)


def _batch(out: bytes, paths: Sequence[str]) -> dict[str, bytes | None]:
    """``git cat-file --batch`` output: per request ``<sha> <type> <size>\\n<bytes>\\n``, or
    ``<request> missing\\n``."""
    found: dict[str, bytes | None] = {}
    at = 0
    for path in paths:
        end = out.index(b"\n", at)
        line = out[at:end]
        at = end + 1
        if line.endswith((b" missing", b" ambiguous")):
            found[path] = None
            continue
        header = line.split()
        if len(header) == 3 and header[1] == b"blob":
            size = int(header[2])
            found[path] = out[at:at + size]
            at += size + 1
        else:
            if len(header) == 3:  # a tree or a submodule where the file is now
                at += int(header[2]) + 1
            found[path] = None
    return found
