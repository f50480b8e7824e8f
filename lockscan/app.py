"""What lockscan does for its users, one function each, shared by the command line and
the Python API (``from lockscan import scan``):

- ``scan``: a scan gated as configured (baseline applied, gateway policy checked);
  ``scan_with_view`` adds the coupled part of the module graph, for the HTML report;
- ``check``: the same, narrowed to some files (the pre-commit hook);
- ``baseline``: today's findings, to accept them;
- ``diff``: what a change adds or removes compared with a git ref;
- ``export_graph``: the module graph;
- ``models``: every model the code names, its lifecycle and licence (a scan's ``models``).

Each takes ``Settings`` (``settings_for`` reads them from the project's config file and
overrides) and returns plain results; the caller picks a reporter and the exit code
(``failures``).
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from pathlib import Path, PurePosixPath
from typing import Any

from lockscan.cache.store import load_rules_cached
from lockscan.errors import NotUnderRoot, PathNotFound, UnknownTargets
from lockscan.gates.baseline import apply_baseline, read_baseline
from lockscan.gates.conditions import failures as condition_failures
from lockscan.gates.diff import DiffResult, compare, gate_result
from lockscan.gates.git import materialize, repo_root
from lockscan.gates.policy import check_policy, restrict
from lockscan.graph import ModuleGraph
from lockscan.model import Finding, ScanConfig, ScanResult
from lockscan.pipeline import scan as pipeline
from lockscan.pipeline.executor import Progress
from lockscan.pipeline.models import with_models
from lockscan.report.graph_view import GraphView, coupled_view
from lockscan.ruleset import RuleSet
from lockscan.score import known_targets
from lockscan.settings import Settings, load_settings


def settings_for(path: Path, overrides: Mapping[str, tuple[str, Any]] | None = None) -> Settings:
    """The settings of a scan of ``path``: its config file, then ``overrides`` (config
    key -> (option as typed, value))."""
    if not path.exists():
        raise PathNotFound(str(path))
    return load_settings(path, overrides)


def rules_for(settings: Settings, cache_path: Path | None = None) -> RuleSet:
    """The rule set, with the configured targets checked against it (naming where an
    unknown target was set: the config file and key, or the option). ``cache_path``:
    the facts cache, which also keeps the parsed rules files."""
    rules = load_rules_cached(settings.config.rule_dirs, settings.config.bundled_rules,
                              cache_path)
    known = known_targets(rules)
    named = {"targets": settings.config.targets,
             "fail_on": [c.target for c in settings.fail_on if c.target]}
    problems = []
    for key, targets in named.items():
        unknown = [t for t in targets if t not in known]
        if unknown:
            source = settings.sources.get(key, "")
            where = (f"{settings.config_file}: `{key}`" if settings.config_file is not None
                     and source == settings.config_file.name else source)
            problems.append((where, unknown))
    if problems:
        raise UnknownTargets(problems, known)
    return rules


def scan(path: Path | str, settings: Settings | None = None, rules: RuleSet | None = None,
         cache_path: Path | None = None, progress: Progress | None = None) -> ScanResult:
    """Scan ``path``, drop what the baseline accepts, then check the gateway policy.
    ``settings`` default to the project's config file; ``cache_path``: the facts cache
    to use (None: none)."""
    path = Path(path)
    settings = settings or settings_for(path)
    rules = rules or rules_for(settings, cache_path)
    config = replace(_skipping(settings.config, path, settings.baseline), cache_path=cache_path)
    return _gated(with_models(pipeline.scan(path, config, rules, progress), config, rules),
                  settings)


def scan_with_view(path: Path | str, settings: Settings | None = None, rules: RuleSet | None = None,
                   cache_path: Path | None = None, progress: Progress | None = None
                   ) -> tuple[ScanResult, GraphView]:
    """``scan``, and the coupled part of its module graph ready to draw (the HTML report).
    The facts cache serves the analysis; a stored scan result cannot, as it keeps no graph."""
    path = Path(path)
    settings = settings or settings_for(path)
    rules = rules or rules_for(settings, cache_path)
    config = replace(_skipping(settings.config, path, settings.baseline), cache_path=cache_path)
    result, graph = pipeline.scan_with_graph(path, config, rules, progress)
    return _gated(with_models(result, config, rules), settings), coupled_view(graph)


def _gated(result: ScanResult, settings: Settings) -> ScanResult:
    if settings.baseline is not None:
        result = apply_baseline(result, read_baseline(settings.baseline))
    return check_policy(result, settings.allowed_modules)


def check(files: Iterable[Path], root: Path, settings: Settings, rules: RuleSet,
          cache_path: Path | None = None) -> ScanResult:
    """The whole repository scanned for import context, the result narrowed to ``files``
    (relative to the current folder or absolute; each must lie under ``root``)."""
    base = root.resolve()
    wanted = []
    for file in files:
        resolved = file.resolve() if file.is_absolute() else (Path.cwd() / file).resolve()
        try:
            wanted.append(PurePosixPath(resolved.relative_to(base)).as_posix())
        except ValueError as exc:
            raise NotUnderRoot(str(file), str(root)) from exc
    return restrict(scan(root, settings, rules, cache_path), wanted)


def baseline(path: Path, settings: Settings, rules: RuleSet, output: Path) -> list[Finding]:
    """Every finding today (no baseline applied), for a baseline file at ``output``."""
    config = _skipping(settings.config, path, output)
    return list(with_models(pipeline.scan(path, config, rules), config, rules).findings)


def diff(path: Path, base_ref: str, head_ref: str | None, settings: Settings,
         rules: RuleSet) -> DiffResult:
    """``path`` at ``base_ref`` against the working tree (or ``head_ref``); the base ref
    is the baseline here, so a configured baseline file is not applied."""
    settings = replace(settings, baseline=None)
    repo, rel = repo_root(path)
    with tempfile.TemporaryDirectory(prefix="lockscan-diff-") as temp:
        base = _scan_ref(repo, base_ref, Path(temp) / "base", rel, settings, rules)
        if head_ref is None:
            head = scan(path, settings, rules)
        else:
            head = _scan_ref(repo, head_ref, Path(temp) / "head", rel, settings, rules)
    root = str(path)  # both sides report the path the user gave, not a temp folder
    return compare(replace(base, root=root), replace(head, root=root), base_ref, head_ref)


def models(path: Path | str, settings: Settings | None = None, rules: RuleSet | None = None,
           cache_path: Path | None = None) -> ScanResult:
    """The scan ``lockscan models`` reports: the same scan as ``scan``, read for its
    ``models`` (every model id, where it is named, its lifecycle and licence)."""
    return scan(path, settings, rules, cache_path)


def export_graph(path: Path, settings: Settings, rules: RuleSet) -> ModuleGraph:
    """The module/vendor graph of ``path``, with the same files and rules a scan uses."""
    return pipeline.scan_graph(path, settings.config, rules)


def failures(settings: Settings, result: ScanResult, new: Sequence[Finding]) -> list[str]:
    """One line per ``fail_on`` condition that holds."""
    return condition_failures(settings.fail_on, result, new)


def diff_failures(settings: Settings, diff_result: DiffResult) -> list[str]:
    """``fail_on`` for a diff: only the coupling the change adds counts as new."""
    return failures(settings, gate_result(diff_result), diff_result.added)


def _scan_ref(repo: Path, ref: str, dest: Path, rel: str, settings: Settings,
              rules: RuleSet) -> ScanResult:
    dest.mkdir()
    materialize(repo, ref, dest)
    root = dest / rel if rel else dest
    root.mkdir(parents=True, exist_ok=True)  # a folder new in this change: nothing before
    return scan(root, settings, rules)


def _skipping(config: ScanConfig, root: Path, file: Path | None) -> ScanConfig:
    """``config`` that skips lockscan's own baseline file when it lies under ``root``:
    its snippets quote vendor code and must not be scanned as a config file."""
    if file is None:
        return config
    base = root.resolve() if root.is_dir() else root.resolve().parent
    try:
        rel = file.resolve().relative_to(base).as_posix()
    except ValueError:
        return config
    return replace(config, exclude=(*config.exclude, rel))
