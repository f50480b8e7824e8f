"""Shared fixtures: the bundled rule set (loaded once) and small repos on disk."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest

from lockscan.model import ScanResult
from lockscan.model.config import ScanConfig
from lockscan.pipeline.scan import scan
from lockscan.ruleset import RuleSet, load_rules
from tests.support.repos import write_tree


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


# The date every test computes model lifecycle statuses for (the bundled model data's
# refresh date), unless it passes one (`--as-of`, `as_of`): "today" would make results
# change from one day to the next.
PINNED_DAY = date(2026, 12, 7)


@pytest.fixture(autouse=True)
def pinned_today(monkeypatch: pytest.MonkeyPatch) -> date:
    monkeypatch.setattr("lockscan.pipeline.models.today", lambda: PINNED_DAY)
    return PINNED_DAY


@pytest.fixture
def scan_tree(tmp_path: Path, rules: RuleSet) -> Callable[..., ScanResult]:
    """Write files into a temp folder and scan it with one worker."""

    def run(files: dict[str, str], **config: object) -> ScanResult:
        write_tree(tmp_path, files)
        return scan(tmp_path, ScanConfig(jobs=1, **config), rules)  # type: ignore[arg-type]

    return run
