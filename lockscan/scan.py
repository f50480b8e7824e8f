"""The pipeline: discover -> prefilter -> analyze -> link -> graph -> score.

``scan(root, config)`` is the library entry point; the CLI is a thin layer over it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from pathlib import Path
from typing import Any

from lockscan.analyze import SELF_SCREENED, analyze_file
from lockscan.config import ScanConfig
from lockscan.discover import Discovery, discover
from lockscan.findings import with_fingerprints
from lockscan.graph import build_graph, summarize_graph
from lockscan.link import link, modules_needing_analysis
from lockscan.model import Diagnostic, FileFacts, Finding, ScanResult, SourceFile, Summary
from lockscan.prefilter import needs_analysis, prefilter_for
from lockscan.rules import RuleSet, load_rules
from lockscan.score import choose_targets, default_effort, score_targets
from lockscan.secrets import redact

POOL_THRESHOLD = 64  # below this many files a process pool costs more than it saves
CHUNK = 32


def scan(root: Path | str, config: ScanConfig | None = None,
         rules: RuleSet | None = None) -> ScanResult:
    return scan_with_graph(root, config, rules)[0]


def scan_with_graph(root: Path | str, config: ScanConfig | None = None,
                    rules: RuleSet | None = None) -> tuple[ScanResult, Any]:
    """The scan result and the module/vendor graph it was scored on (``lockscan.graph``)."""
    config = config or ScanConfig()
    rules = _rules(config, rules)
    targets = choose_targets(rules, config.targets)  # a bad --target fails before the scan
    found, facts, findings = _collect(Path(root), config, rules)
    unused = unused_suppressions(facts) if config.report_unused_ignores else []
    diagnostics = sorted(
        # Parser messages can quote source text: redact like snippets.
        [replace(d, message=redact(d.message))
         for d in (*found.diagnostics, *(d for f in facts for d in f.diagnostics), *unused)],
        key=lambda d: (d.path, d.code, d.message),
    )
    graph = build_graph(facts, findings, default_effort(rules))
    result = ScanResult(
        root=str(root),
        summary=summarize(found.files, facts, findings),
        findings=tuple(findings),
        diagnostics=tuple(diagnostics),
        graph=summarize_graph(graph),
        switch_cost=score_targets(findings, graph, rules, targets),
    )
    return result, graph


def scan_graph(root: Path | str, config: ScanConfig | None = None,
               rules: RuleSet | None = None) -> Any:
    """The module/vendor graph of a scan (``lockscan graph``); see ``lockscan.graph``."""
    config = config or ScanConfig()
    rules = _rules(config, rules)
    _, facts, findings = _collect(Path(root), config, rules)
    return build_graph(facts, findings, default_effort(rules))


def _rules(config: ScanConfig, rules: RuleSet | None) -> RuleSet:
    if rules is None:
        rules = load_rules(config.rule_dirs, include_bundled=config.bundled_rules)
    return rules.select(config.select, config.ignore)


def _collect(root: Path, config: ScanConfig,
             rules: RuleSet) -> tuple[Discovery, list[FileFacts], list[Finding]]:
    found = discover(root, config.include, config.exclude, config.kinds, config.max_file_size)
    facts = link(analyze_all(found.files, rules, config.jobs), rules)
    return found, facts, with_fingerprints(apply_suppressions(facts))


def analyze_all(files: Sequence[SourceFile], rules: RuleSet, jobs: int) -> list[FileFacts]:
    """Analyze every file; files that import vendor-bound repo names get a full second look."""
    facts = _run(files, rules, jobs, full=False)
    again = modules_needing_analysis(facts, rules)
    if again:
        by_path = {f.path: f for f in files}
        redo = _run([by_path[p] for p in sorted(again)], rules, jobs, full=True)
        replaced = {f.path: f for f in redo}
        facts = [replaced.get(f.path, f) for f in facts]
    return facts


def _run(files: Sequence[SourceFile], rules: RuleSet, jobs: int, full: bool) -> list[FileFacts]:
    tasks = [(source, full) for source in files]
    if jobs <= 1 or len(tasks) < POOL_THRESHOLD:
        return [analyze_one(source, rules, force) for source, force in tasks]
    with ProcessPoolExecutor(max_workers=jobs, initializer=_init_worker,
                             initargs=(rules,)) as pool:
        return list(pool.map(_analyze_in_worker, tasks, chunksize=CHUNK))


_WORKER_RULES: RuleSet | None = None


def _init_worker(rules: RuleSet) -> None:
    global _WORKER_RULES
    _WORKER_RULES = rules


def _analyze_in_worker(task: tuple[SourceFile, bool]) -> FileFacts:
    assert _WORKER_RULES is not None
    return analyze_one(task[0], _WORKER_RULES, task[1])


def analyze_one(source: SourceFile, rules: RuleSet, force_full: bool = False) -> FileFacts:
    """Read, prefilter and analyze one file; read errors become diagnostics."""
    try:
        with open(source.abspath, "rb") as handle:
            data = handle.read()
    except FileNotFoundError:
        return _unreadable(source, "file-vanished", "deleted during the scan; rescan")
    except OSError as exc:
        return _unreadable(source, "read-error",
                           f"cannot read: {exc.strerror or exc}; check permissions")
    full = force_full or source.kind in SELF_SCREENED or needs_analysis(data, prefilter_for(rules))
    return analyze_file(source, data, rules, full)


def _unreadable(source: SourceFile, code: str, message: str) -> FileFacts:
    return FileFacts(source.path, source.kind, source.module, 0,
                     diagnostics=(Diagnostic(source.path, code, message),), analyzed=False)


def apply_suppressions(facts: Iterable[FileFacts]) -> list[Finding]:
    """Drop findings silenced by ``# lockscan: ignore[...]`` on their line."""
    kept: list[Finding] = []
    for fact in facts:
        ignores = dict(fact.suppressions)
        for finding in fact.findings:
            ids = ignores.get(finding.line)
            if ids is not None and (not ids or finding.rule in ids):
                continue
            kept.append(finding)
    return kept


def unused_suppressions(facts: Iterable[FileFacts]) -> list[Diagnostic]:
    """``# lockscan: ignore`` comments that silence nothing (``--report-unused-ignores``)."""
    out = []
    for fact in facts:
        for line, ids in fact.suppressions:
            on_line = {f.rule for f in fact.findings if f.line == line}
            unused = [i for i in ids if i not in on_line] if ids else ([] if on_line else ["*"])
            if unused:
                out.append(Diagnostic(fact.path, "unused-ignore",
                                      f"line {line}: `# lockscan: ignore` for "
                                      f"{', '.join(unused)} silences nothing; remove it"))
    return out


def summarize(files: Sequence[SourceFile], facts: Sequence[FileFacts],
              findings: Sequence[Finding]) -> Summary:
    by_vendor = Counter(f.vendor for f in findings)
    by_kind = Counter(f.kind for f in findings)
    return Summary(
        files=len(files),
        python_files=sum(1 for f in files if f.kind == "python"),
        lines=sum(f.lines for f in facts),
        findings=len(findings),
        by_vendor=dict(sorted(by_vendor.items())),
        by_kind=dict(sorted(by_kind.items())),
    )


__all__ = ["analyze_all", "analyze_one", "scan", "scan_graph", "scan_with_graph"]
