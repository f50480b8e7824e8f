"""Every source path the docs and docstrings name exists: a moved module or test leaves
no stale pointer behind (the README and docs/architecture.md are maps of the code)."""

from __future__ import annotations

import re

from tests.support.repos import ROOT, is_git_ignored

# `lockscan/...py`, `lockscan/pkg/` and `tests/...py` as written in prose or docstrings.
PATH = re.compile(r"(?<![\w/.])((?:lockscan|tests|bench)/[\w/]*\w(?:\.py|/))")
PLACES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md")),
          *sorted((ROOT / "bench").glob("*.py")), *sorted((ROOT / "lockscan").rglob("*.py"))]


def test_every_named_path_exists():
    missing = []
    for place in PLACES:
        if place.name == "rules.md":  # generated from rule data, names no code
            continue
        for number, line in enumerate(place.read_text(encoding="utf-8").splitlines(), 1):
            for path in PATH.findall(line):
                if not (ROOT / path).exists() and not is_git_ignored(path):
                    missing.append(f"{place.relative_to(ROOT)}:{number}: {path}")
    assert missing == []
