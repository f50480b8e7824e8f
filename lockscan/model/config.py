"""Scan settings: one frozen dataclass, built from defaults, project config and the CLI."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path


def default_jobs() -> int:
    return max(1, os.cpu_count() or 1)


@dataclass(frozen=True)
class ScanConfig:
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    rule_dirs: tuple[Path, ...] = ()
    bundled_rules: bool = True
    select: tuple[str, ...] = ()  # rule ids, vendors or kinds to keep (empty: all)
    ignore: tuple[str, ...] = ()  # rule ids, vendors or kinds to drop
    targets: tuple[str, ...] = ()  # switch-cost targets (empty: every known target)
    kinds: tuple[str, ...] = ("python", "notebook", "manifest", "prompt", "config")
    jobs: int = field(default_factory=default_jobs)
    max_file_size: int = 2_000_000
    report_unused_ignores: bool = False  # add an `unused-ignore` diagnostic per silent ignore
    cache_path: Path | None = None  # facts cache (SQLite); None: no cache
    roles: tuple[tuple[str, str], ...] = ()  # (glob, role) overrides of the conventions
    # Model lifecycle: the date statuses are computed for (None: today, UTC) and how many
    # days before a shutdown a model counts as retiring. Not file facts: applied after
    # the cache (lockscan.pipeline.models).
    as_of: str | None = None
    lifecycle_window: int = 90
    allowed_modules: tuple[str, ...] = ()  # the gateway the score's advice names (policy too)
