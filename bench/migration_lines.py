"""Recount the lines each migration event changed, excluding tests.

For every ``[[event]]`` in a migrations file (bench/migrations.toml,
bench/migrations-upgrades.toml) prints the added plus deleted lines between
``base`` and ``head`` in non-test Python files and notebooks, next to the
``changed`` the file records (if any):

    python bench/migration_lines.py bench/migrations-upgrades.toml --mirrors /work/.mirror

Counting rules, so the numbers can be reproduced:
- ``git diff --numstat -M base head`` over ``*.py`` and ``*.ipynb``;
- a path is a test and skipped when a folder in it is ``test``/``tests``/``testing``
  or starts with ``test_``/ends with ``_test(s)``, or its file is ``test_*.py``,
  ``*_test.py``, ``*_tests.py``, ``tests.py`` or ``conftest.py``;
- a notebook counts the changed lines of its code cells' source only (outputs,
  metadata and markdown left out), from a line diff of the two versions;
- a file whose blob is missing from the mirror (the snapshots lack files of
  4 MiB and more) is reported and counted as 0.
Standard library only. Mirrors are ``<mirrors>/owner+name/repo`` bare git dirs
(or a clone's ``repo/.git``).
"""

from __future__ import annotations

import argparse
import difflib
import json
import re
import subprocess
import sys
from pathlib import Path

try:
    import tomllib
except ModuleNotFoundError:  # Python < 3.11
    import tomli as tomllib  # type: ignore[no-redef]

TEST_DIR = re.compile(r"^(tests?|testing|test_.*|.*_tests?)$")
TEST_FILE = re.compile(r"^(test_.*\.py|.*_tests?\.py|tests?\.py|conftest\.py)$")


def is_test(path: str) -> bool:
    *folders, name = path.split("/")
    return any(TEST_DIR.match(f) for f in folders) or bool(TEST_FILE.match(name))


def git_dir(mirrors: Path, repo: str) -> Path:
    root = mirrors / repo.replace("/", "+") / "repo"
    return root / ".git" if (root / ".git").is_dir() else root


def git(repo: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True,
                          check=check)


def notebook_code(repo: Path, commit: str, path: str) -> list[str]:
    shown = git(repo, "show", f"{commit}:{path}", check=False)
    if shown.returncode:
        return []  # added or deleted notebook: the other side holds all its lines
    try:
        cells = json.loads(shown.stdout).get("cells", [])
    except (json.JSONDecodeError, AttributeError):
        return []
    lines: list[str] = []
    for cell in cells:
        if cell.get("cell_type") == "code":
            source = cell.get("source", [])
            text = "".join(source) if isinstance(source, list) else str(source)
            lines += text.splitlines()
    return lines


def notebook_changed(repo: Path, base: str, head: str, old: str, new: str) -> int:
    before, after = notebook_code(repo, base, old), notebook_code(repo, head, new)
    return sum(1 for line in difflib.ndiff(before, after) if line[:2] in ("- ", "+ "))


def changed(repo: Path, base: str, head: str) -> tuple[int, list[str]]:
    """Non-test changed lines, and the paths that could not be counted."""
    raw = git(repo, "diff", "--numstat", "-z", "-M", base, head, "--", "*.py", "*.ipynb",
              check=False)
    if raw.returncode:
        return changed_per_file(repo, base, head)
    total, missing = 0, []
    fields = raw.stdout.split("\0")
    i = 0
    while i < len(fields) - 1:
        stat = fields[i]
        added, deleted, path = stat.split("\t", 2)
        old = new = path
        if not path:  # a rename: the two paths follow
            old, new = fields[i + 1], fields[i + 2]
            i += 2
        i += 1
        if is_test(new) and is_test(old):
            continue
        if new.endswith(".ipynb") or old.endswith(".ipynb"):
            total += notebook_changed(repo, base, head, old, new)
        elif added != "-":
            total += int(added) + int(deleted)
    return total, missing


def changed_per_file(repo: Path, base: str, head: str) -> tuple[int, list[str]]:
    """Slow path when some blob is missing: count file by file, skip what fails."""
    names = git(repo, "diff", "--name-only", "-z", "--no-renames", base, head, "--",
                "*.py", "*.ipynb").stdout.split("\0")
    total, missing = 0, []
    for path in filter(None, names):
        if is_test(path):
            continue
        if path.endswith(".ipynb"):
            total += notebook_changed(repo, base, head, path, path)
            continue
        one = git(repo, "diff", "--numstat", base, head, "--", path, check=False)
        if one.returncode:
            missing.append(path)
            continue
        for line in one.stdout.splitlines():
            added, deleted, _ = line.split("\t", 2)
            if added != "-":
                total += int(added) + int(deleted)
    return total, missing


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("events", type=Path)
    parser.add_argument("--mirrors", type=Path, default=Path("/work/.mirror"))
    args = parser.parse_args()
    events = tomllib.loads(args.events.read_text("utf-8"))["event"]
    bad = 0
    print("repo\tbase\thead\trecorded\tcounted\tmissing")
    for event in events:
        repo = git_dir(args.mirrors, event["repo"])
        if not repo.exists():
            print(f"{event['repo']}\t-\t-\t{event.get('changed', '')}\tno mirror", flush=True)
            bad += 1
            continue
        exists = [git(repo, "cat-file", "-e", f"{event[k]}^{{commit}}", check=False).returncode == 0
                  for k in ("base", "head")]
        if not all(exists):
            print(f"{event['repo']}\t{event['base'][:10]}\t{event['head'][:10]}\t"
                  f"{event.get('changed', '')}\tcommit missing", flush=True)
            bad += 1
            continue
        count, missing = changed(repo, event["base"], event["head"])
        recorded = event.get("changed", "")
        if recorded != "" and recorded != count:
            bad += 1
        print(f"{event['repo']}\t{event['base'][:10]}\t{event['head'][:10]}\t{recorded}\t{count}\t"
              f"{','.join(missing)}", flush=True)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
