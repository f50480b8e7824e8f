"""Shared fixtures: the bundled rule set (loaded once) and small repos on disk."""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from lockscan.model import ScanResult
from lockscan.model.config import ScanConfig
from lockscan.pipeline.scan import scan
from lockscan.ruleset.loader import RuleSet, load_rules

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_REPOS = ROOT / "sample_repos"


@pytest.fixture(scope="session")
def rules() -> RuleSet:
    return load_rules()


@pytest.fixture(scope="session", autouse=True)
def private_cache_key(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The per-user key that authenticates cache rows (``lockscan.cache.secret``), kept
    in a temp folder rather than the user's own cache folder."""
    folder = tmp_path_factory.mktemp("cache-key")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("LOCKSCAN_SECRET_DIR", str(folder / "lockscan"))
        yield folder / "lockscan"


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


@pytest.fixture
def scan_tree(tmp_path: Path, rules: RuleSet) -> Callable[..., ScanResult]:
    """Write files into a temp folder and scan it with one worker."""

    def run(files: dict[str, str], **config: object) -> ScanResult:
        write_tree(tmp_path, files)
        return scan(tmp_path, ScanConfig(jobs=1, **config), rules)  # type: ignore[arg-type]

    return run


def pairs(result: ScanResult, path: str | None = None) -> set[tuple[int, str]]:
    """(line, rule) for every finding, optionally in one file."""
    return {(f.line, f.rule) for f in result.findings if path is None or f.path == path}
