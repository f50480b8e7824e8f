"""The pipeline: discover -> analyze (prefilter, engine, cache) -> link -> graph -> score.

``scan(root, config)`` is the library's entry point for one scan; ``lockscan.app`` wraps
it in the use cases the CLI and the Python API share.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

from lockscan.cache.store import FactsCache
from lockscan.engine import Analyzer
from lockscan.engine.redact import redact
from lockscan.graph import ModuleGraph, build_graph
from lockscan.model import FileFacts, Finding, ScanConfig, ScanResult, SourceFile, Summary
from lockscan.model.result import count_findings
from lockscan.pipeline.analysis import Cached, Direct, analyze_all
from lockscan.pipeline.discover import Discovery, discover
from lockscan.pipeline.executor import Progress
from lockscan.pipeline.roles import role_lookup
from lockscan.ruleset import RuleSet, load_rules
from lockscan.score import ScoreSettings, check_targets, default_effort, score


def scan(root: Path | str, config: ScanConfig | None = None,
         rules: RuleSet | None = None, progress: Progress | None = None) -> ScanResult:
    """Scan ``root``. ``progress(done, total)`` is called as files are analyzed.

    With a cache (``config.cache_path``), a rescan whose inputs gave the same facts
    as the last scan returns its result without linking, graph or scoring."""
    config = config or ScanConfig()
    cache = FactsCache.open(config.cache_path) if config.cache_path else None
    if cache is None:
        return scan_with_graph(root, config, rules, progress)[0]
    from lockscan.pipeline.incremental import IncrementalScan

    try:
        rules = select_rules(config, rules)
        check_targets(rules, config.targets)  # a bad --target fails before the scan
        found = _discover(Path(root), config)
        run = IncrementalScan(found.files, Analyzer(rules), config.jobs, cache, progress)
        key = run.result_key(config, str(root), found)
        stored = cache.get_result(key) if key is not None else None
        if stored is not None and run.still_valid(stored[0]):
            result = stored[1]
            return replace(result, summary=replace(result.summary, lines=run.lines(stored[0])))
        facts, full_digests = run.facts()
        result = _result(root, config, rules, found, facts)[0]
        if key is not None and full_digests is not None:
            cache.put_result(key, full_digests, result)
        return result
    finally:
        cache.close()


def scan_with_graph(root: Path | str, config: ScanConfig | None = None,
                    rules: RuleSet | None = None,
                    progress: Progress | None = None) -> tuple[ScanResult, ModuleGraph]:
    """The scan result and the module/vendor graph it was scored on."""
    config = config or ScanConfig()
    rules = select_rules(config, rules)
    check_targets(rules, config.targets)  # a bad --target fails before the scan
    found, facts = _collect(Path(root), config, rules, progress)
    return _result(root, config, rules, found, facts)


def scan_graph(root: Path | str, config: ScanConfig | None = None,
               rules: RuleSet | None = None) -> ModuleGraph:
    """The module/vendor graph of a scan (``lockscan graph``)."""
    config = config or ScanConfig()
    rules = select_rules(config, rules)
    facts, findings = _linked(_collect(Path(root), config, rules)[1], rules)
    return build_graph(facts, findings, default_effort(rules))


def select_rules(config: ScanConfig, rules: RuleSet | None) -> RuleSet:
    """The rules a scan runs with: loaded per the config unless given, then selected."""
    if rules is None:
        rules = load_rules(config.rule_dirs, include_bundled=config.bundled_rules)
    return rules.select(config.select, config.ignore)


def _discover(root: Path, config: ScanConfig) -> Discovery:
    return discover(root, config.include, config.exclude, config.kinds, config.max_file_size)


def _collect(root: Path, config: ScanConfig, rules: RuleSet, progress: Progress | None = None
             ) -> tuple[Discovery, list[FileFacts]]:
    """Discovered files and their facts (before linking)."""
    found = _discover(root, config)
    analyzer = Analyzer(rules)
    cache = FactsCache.open(config.cache_path) if config.cache_path else None
    try:
        analysis = (Direct(analyzer, config.jobs) if cache is None
                    else Cached(analyzer, config.jobs, cache))
        facts = analyze_all(found.files, analysis, progress)[0]
    finally:
        if cache is not None:
            cache.close()
    return found, facts


def _result(root: Path | str, config: ScanConfig, rules: RuleSet, found: Discovery,
            facts: list[FileFacts]) -> tuple[ScanResult, ModuleGraph]:
    """Link, suppress, build the graph and score: the scan result and its graph."""
    from lockscan.engine.suppressions import unused_suppressions

    facts, findings = _linked(facts, rules,
                              role_lookup({f.path: f.kind for f in found.files}, config.roles))
    unused = unused_suppressions(facts) if config.report_unused_ignores else []
    diagnostics = sorted(
        # Parser messages can quote source text: redact like snippets.
        [replace(d, message=redact(d.message))
         for d in (*found.diagnostics, *(d for f in facts for d in f.diagnostics), *unused)],
        key=lambda d: (d.path, d.code, d.message),
    )
    graph = build_graph(facts, findings, default_effort(rules))
    scores = score(findings, graph, rules, ScoreSettings(config.targets, config.allowed_modules))
    result = ScanResult(
        root=str(root),
        summary=summarize(found.files, facts, findings),
        findings=tuple(findings),
        diagnostics=tuple(diagnostics),
        graph=graph.summary(),
        switch_cost=scores.switch_cost,
        leave=scores.leave,
    )
    return result, graph


def _linked(facts: list[FileFacts], rules: RuleSet, role_of: Callable[[str], str] | None = None
            ) -> tuple[list[FileFacts], list[Finding]]:
    """Facts with the findings of deferred sites that now resolve, and the findings kept
    after inline suppressions, fingerprinted (and given their file's role by ``role_of``)."""
    from lockscan.engine.findings import with_fingerprints
    from lockscan.engine.suppressions import apply_suppressions
    from lockscan.pipeline.link import link
    from lockscan.pipeline.reach import reach_of, without_mentions

    linked = link(facts, rules)
    reach = reach_of((f for fact in linked for f in fact.findings), rules)
    findings = without_mentions(apply_suppressions(linked), reach)
    return linked, with_fingerprints(findings, role_of)


def summarize(files: Sequence[SourceFile], facts: Sequence[FileFacts],
              findings: Sequence[Finding]) -> Summary:
    """The summary of a scan; ``findings`` are counted by ``count_findings``."""
    return replace(count_findings(findings), files=len(files),
                   python_files=sum(1 for f in files if f.kind == "python"),
                   lines=sum(f.lines for f in facts))


__all__ = ["count_findings", "scan", "scan_graph", "scan_with_graph", "select_rules",
           "summarize"]
