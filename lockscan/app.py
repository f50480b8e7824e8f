"""What lockscan does for its users, one function each, shared by the command line and
the Python API (``from lockscan import scan``):

- ``scan``: a scan gated as configured (baseline applied, gateway policy checked);
  ``scan_with_view`` adds the coupled part of the module graph, for the HTML report;
- ``check``: the same, narrowed to some files; ``precommit``: what a commit of those
  files adds compared with HEAD that the gate refuses (the pre-commit hook);
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
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath
from typing import Any

from lockscan.cache.store import load_rules_cached
from lockscan.errors import NotUnderRoot, PathNotFound, UnknownTargets
from lockscan.gates.baseline import apply_baseline, read_baseline
from lockscan.gates.conditions import failures as condition_failures
from lockscan.gates.diff import DiffResult, compare, gate_result
from lockscan.gates.git import head_versions, materialize, repo_root
from lockscan.gates.policy import check_policy, restrict
from lockscan.gates.staged import Refusal, candidates, head_findings, refusals
from lockscan.gates.weakening import (
    Weakening,
    baseline_additions,
    config_weakenings,
    new_suppressions,
    suppression_texts,
)
from lockscan.graph import ModuleGraph
from lockscan.model import Finding, ScanConfig, ScanResult
from lockscan.pipeline import scan as pipeline
from lockscan.pipeline.discover import discover
from lockscan.pipeline.executor import Progress
from lockscan.pipeline.models import with_models
from lockscan.report.graph_view import GraphView, coupled_view
from lockscan.ruleset import RuleSet
from lockscan.score import known_targets
from lockscan.settings import Settings, load_settings


def settings_for(path: Path | str,
                 overrides: Mapping[str, tuple[str, Any]] | None = None) -> Settings:
    """The settings of a scan of ``path``: its config file, then ``overrides`` (config
    key -> (option as typed, value))."""
    path = Path(path)
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


def check(files: Iterable[Path | str], root: Path | str, settings: Settings | None = None,
          rules: RuleSet | None = None, cache_path: Path | None = None) -> ScanResult:
    """The whole repository scanned for import context, the result narrowed to ``files``
    (relative to the current folder or absolute; each must lie under ``root``)."""
    root = Path(root)
    return restrict(scan(root, settings, rules, cache_path), _under(files, root))


@dataclass(frozen=True)
class Precommit:
    """``check``'s result and what the commit may not add (``lockscan.gates.staged``)."""

    result: ScanResult
    refused: tuple[Refusal, ...]


def precommit(files: Iterable[Path | str], root: Path | str, settings: Settings | None = None,
              rules: RuleSet | None = None, cache_path: Path | None = None) -> Precommit:
    """``check``, and the coupling the staged ``files`` add compared with HEAD that the
    gate refuses: new leaks (or, with ``allowed_modules``, new policy violations) and,
    per ``fail_on``, new findings and unused ignores."""
    root = Path(root)
    settings = settings or settings_for(root)
    rules = rules or rules_for(settings, cache_path)
    result = check(files, root, settings, rules, cache_path)
    flags = [c.kind for c in settings.fail_on]
    found = candidates(result, flags, settings.baseline is not None)
    at_head: dict[str, Any] = {}
    if found.paths:
        current = {p: [f for f in result.findings if f.path == p] for p in found.paths}
        at_head = head_findings(root, settings.config, pipeline.select_rules(settings.config, rules),
                                cache_path, head_versions(root, found.paths), current,
                                {p: found.of(p) for p in found.paths})
    return Precommit(result, tuple(refusals(found, at_head)))


def _under(files: Iterable[Path | str], root: Path) -> list[str]:
    base = root.resolve()
    wanted = []
    for file in map(Path, files):
        resolved = file.resolve() if file.is_absolute() else (Path.cwd() / file).resolve()
        try:
            wanted.append(PurePosixPath(resolved.relative_to(base)).as_posix())
        except ValueError as exc:
            raise NotUnderRoot(str(file), str(root)) from exc
    return wanted


def baseline(path: Path | str, settings: Settings | None = None, rules: RuleSet | None = None,
             output: Path | None = None) -> list[Finding]:
    """Every finding today (no baseline applied), for a baseline file at ``output`` (the
    caller writes it: ``gates.baseline.baseline_text``); that file is not scanned."""
    path = Path(path)
    settings = settings or settings_for(path)
    rules = rules or rules_for(settings)
    config = _skipping(settings.config, path, output)
    return list(with_models(pipeline.scan(path, config, rules), config, rules).findings)


@dataclass(frozen=True)
class GatedDiff:
    """A diff and the gate that judged it: the settings (``fail_on``) and rules used."""

    result: DiffResult
    settings: Settings
    rules: RuleSet


GATE_SIDES = ("base", "head")


def gated_diff(path: Path | str, base_ref: str, head_ref: str | None = None,
               overrides: Mapping[str, tuple[str, Any]] | None = None,
               gate_from: str = "base", settings: Settings | None = None) -> GatedDiff:
    """``path`` at ``base_ref`` against the working tree (or ``head_ref``), both sides
    judged by one gate: the config file and rules of the ``gate_from`` side ("base" by
    default: a change cannot relax the check that judges it), plus ``overrides``; or
    ``settings`` when given. The base ref is the baseline here, so no baseline file is
    applied; what the head relaxes (settings, new inline ignores, baseline entries) is
    listed in ``result.weakenings``."""
    if gate_from not in GATE_SIDES:
        raise ValueError(f"gate_from must be one of {GATE_SIDES}")
    path = Path(path)
    repo, rel = repo_root(path)
    with tempfile.TemporaryDirectory(prefix="lockscan-diff-") as temp:
        base_root = _checkout(repo, base_ref, Path(temp) / "base", rel)
        head_root = path if head_ref is None else _checkout(repo, head_ref, Path(temp) / "head",
                                                            rel)
        sides = {"base": settings_for(base_root, overrides),
                 "head": settings_for(head_root, overrides)}
        gate = replace(settings or sides[gate_from], baseline=None)
        rules = rules_for(gate)
        # Neither side's baseline file is scanned: its snippets quote vendor code.
        skipped = [_rel(s.baseline, r) for s, r in ((sides["base"], base_root),
                                                   (sides["head"], head_root))]
        excluded = (*gate.config.exclude, *sorted({p for p in skipped if p}))
        gate = replace(gate, config=replace(gate.config, exclude=excluded))
        base = scan(base_root, gate, rules)
        head = scan(head_root, gate, rules)
        weakenings = _weakenings(sides["base"], sides["head"], base_root, head_root, gate,
                                 head.findings)
    root = str(path)  # both sides report the path the user gave, not a temp folder
    result = compare(replace(base, root=root), replace(head, root=root), base_ref, head_ref)
    result = replace(result, settings_from="given" if settings else gate_from,
                     weakenings=tuple(weakenings))
    return GatedDiff(result, gate, rules)


def diff(path: Path | str, base_ref: str, head_ref: str | None = None,
         settings: Settings | None = None, rules: RuleSet | None = None,
         overrides: Mapping[str, tuple[str, Any]] | None = None,
         gate_from: str = "base") -> DiffResult:
    """``gated_diff``'s result (``rules`` is accepted for compatibility: the gate's own
    rules are used)."""
    return gated_diff(path, base_ref, head_ref, overrides, gate_from, settings).result


def _weakenings(base: Settings, head: Settings, base_root: Path, head_root: Path,
                gate: Settings, findings: Sequence[Finding]) -> list[Weakening]:
    found = discover(head_root, gate.config.include, gate.config.exclude, gate.config.kinds,
                     gate.config.max_file_size)
    paths = [f.path for f in found.files]
    name = _rel(head.baseline, head_root) or ""
    return [*config_weakenings(base, head, base_root, head_root, findings),
            *new_suppressions(suppression_texts(base_root, paths),
                              suppression_texts(head_root, paths)),
            *baseline_additions(base.baseline, head.baseline, name)]


def _rel(file: Path | None, root: Path) -> str | None:
    """``file`` relative to the folder ``root`` (None when outside it or unset)."""
    if file is None:
        return None
    try:
        return file.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return None


def models(path: Path | str, settings: Settings | None = None, rules: RuleSet | None = None,
           cache_path: Path | None = None) -> ScanResult:
    """The scan ``lockscan models`` reports: the same scan as ``scan``, read for its
    ``models`` (every model id, where it is named, its lifecycle and licence)."""
    return scan(path, settings, rules, cache_path)


def export_graph(path: Path | str, settings: Settings | None = None,
                 rules: RuleSet | None = None) -> ModuleGraph:
    """The module/vendor graph of ``path``, with the same files and rules a scan uses."""
    path = Path(path)
    settings = settings or settings_for(path)
    return pipeline.scan_graph(path, settings.config, rules or rules_for(settings))


def failures(settings: Settings, result: ScanResult, new: Sequence[Finding]) -> list[str]:
    """One line per ``fail_on`` condition that holds."""
    return condition_failures(settings.fail_on, result, new)


def diff_failures(settings: Settings, diff_result: DiffResult) -> list[str]:
    """``fail_on`` for a diff: only the coupling the change adds counts as new."""
    return failures(settings, gate_result(diff_result), diff_result.added)


def _checkout(repo: Path, ref: str, dest: Path, rel: str) -> Path:
    """``ref``'s tree written to ``dest``; the scanned folder in it."""
    dest.mkdir()
    materialize(repo, ref, dest)
    root = dest / rel if rel else dest
    root.mkdir(parents=True, exist_ok=True)  # a folder new in this change: nothing before
    return root


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
