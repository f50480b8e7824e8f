"""Repositories on disk for tests: where the project's sample repos are, writing a small
tree, copying a sample, and the (line, rule) pairs of a result."""

from __future__ import annotations

import subprocess
import textwrap
from pathlib import Path

from lockscan.model import ScanResult

ROOT = Path(__file__).resolve().parent.parent.parent  # the checkout
SAMPLE_REPOS = ROOT / "sample_repos"
DATA = ROOT / "tests" / "data"


def copy_repo(repo: Path, target: Path) -> Path:
    """A copy of a sample repo at ``target`` without its cache folder (tests that need
    a cold or private cache)."""
    for path in repo.rglob("*"):
        if path.is_file() and ".lockscan" not in path.parts:
            dest = target / path.relative_to(repo)
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_bytes(path.read_bytes())
    return target


def write_tree(root: Path, files: dict[str, str]) -> Path:
    """Write ``{relative path: source}`` under ``root`` (sources are dedented)."""
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return root


def pairs(result: ScanResult, path: str | None = None) -> set[tuple[int, str]]:
    """(line, rule) for every finding, optionally in one file."""
    return {(f.line, f.rule) for f in result.findings if path is None or f.path == path}


def is_git_ignored(path: str) -> bool:
    """A git-ignored path (bench/corpus/, built by a script) need not exist in a clean clone."""
    ignored = subprocess.run(["git", "check-ignore", "-q", "--no-index", path], cwd=ROOT,
                             check=False)
    return ignored.returncode == 0


# A small app whose vendor code sits behind one gateway module (app/llm.py) that
# others import: the graph, Mermaid and HTML tests draw it.
GATEWAY_REPO = {
    "app/__init__.py": "",
    "app/llm.py": """
        from openai import OpenAI
        client = OpenAI()
        def complete(prompt):
            return client.chat.completions.create(model=MODEL, messages=[])
    """,
    "app/chat.py": "from app.llm import complete\n",
    "app/search.py": "from . import llm\n",
    "app/routes.py": "from app import chat, search\n",
}
