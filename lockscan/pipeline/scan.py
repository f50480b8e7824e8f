"""The pipeline: discover -> prefilter -> analyze -> link -> graph -> score.

``scan(root, config)`` is the library entry point; the CLI is a thin layer over it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from lockscan.cache.keys import content_hash, entry_key, read_hash, result_key, rules_salt
from lockscan.cache.store import FactsCache
from lockscan.engine.redact import redact
from lockscan.errors import WorkerError
from lockscan.graph.build import build_graph, summarize_graph
from lockscan.model import Diagnostic, FileFacts, Finding, ScanResult, SourceFile, Summary
from lockscan.model.config import ScanConfig
from lockscan.pipeline.discover import Discovery, discover
from lockscan.ruleset.loader import RuleSet, load_rules
from lockscan.score.price import choose_targets, default_effort, score_targets

# The analyzer, the prefilter, linking and fingerprints are imported where used: a
# rescan answered from the cache needs none of them (~50 ms of imports).

Progress = Callable[[int, int], None]  # (files done, files in this pass)
POOL_THRESHOLD = 64  # below this many files a process pool costs more than it saves
CHUNK = 32
MAX_BROKEN_POOLS = 64  # past this many worker deaths in one scan, stop (see _pool_run)


def scan(root: Path | str, config: ScanConfig | None = None,
         rules: RuleSet | None = None, progress: Progress | None = None) -> ScanResult:
    """Scan ``root``. ``progress(done, total)`` is called as files are analyzed.

    With a cache (``config.cache_path``), a rescan whose inputs gave the same facts
    as the last scan returns its result without linking, graph or scoring."""
    config = config or ScanConfig()
    cache = FactsCache.open(config.cache_path) if config.cache_path else None
    if cache is None:
        return scan_with_graph(root, config, rules, progress)[0]
    try:
        rules = _rules(config, rules)
        choose_targets(rules, config.targets)  # a bad --target fails before the scan
        found = discover(Path(root), config.include, config.exclude, config.kinds,
                         config.max_file_size)
        run = _CachedScan(found.files, rules, config.jobs, cache, progress)
        key = run.result_key(config, str(root), found)
        stored = cache.get_result(key) if key is not None else None
        if stored is not None and run.still_valid(stored[0]):
            result = stored[1]
            return replace(result, summary=replace(result.summary, lines=run.lines(stored[0])))
        facts = run.facts()
        result = _result(root, config, rules, found, facts)[0]
        again = run.full_digests()
        if key is not None and again is not None:
            cache.put_result(key, again, result)
        return result
    finally:
        cache.close()


def scan_with_graph(root: Path | str, config: ScanConfig | None = None,
                    rules: RuleSet | None = None,
                    progress: Progress | None = None) -> tuple[ScanResult, Any]:
    """The scan result and the module/vendor graph it was scored on (``lockscan.graph.build``)."""
    config = config or ScanConfig()
    rules = _rules(config, rules)
    choose_targets(rules, config.targets)  # a bad --target fails before the scan
    found, facts = _collect(Path(root), config, rules, progress)
    return _result(root, config, rules, found, facts)


def _result(root: Path | str, config: ScanConfig, rules: RuleSet, found: Discovery,
            facts: list[FileFacts]) -> tuple[ScanResult, Any]:
    """Link, suppress, build the graph and score: the scan result and its graph."""
    targets = choose_targets(rules, config.targets)
    facts, findings = _linked(facts, rules)
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
    """The module/vendor graph of a scan (``lockscan graph``); see ``lockscan.graph.build``."""
    config = config or ScanConfig()
    rules = _rules(config, rules)
    facts, findings = _linked(_collect(Path(root), config, rules)[1], rules)
    return build_graph(facts, findings, default_effort(rules))


def _linked(facts: list[FileFacts], rules: RuleSet) -> tuple[list[FileFacts], list[Finding]]:
    """Facts with the findings of deferred sites that now resolve, and the findings kept
    after inline suppressions, fingerprinted."""
    from lockscan.engine.findings import with_fingerprints
    from lockscan.pipeline.link import link

    linked = link(facts, rules)
    return linked, with_fingerprints(apply_suppressions(linked))


def _rules(config: ScanConfig, rules: RuleSet | None) -> RuleSet:
    if rules is None:
        rules = load_rules(config.rule_dirs, include_bundled=config.bundled_rules)
    return rules.select(config.select, config.ignore)


def _collect(root: Path, config: ScanConfig, rules: RuleSet, progress: Progress | None = None
             ) -> tuple[Discovery, list[FileFacts]]:
    """Discovered files and their facts (before linking)."""
    found = discover(root, config.include, config.exclude, config.kinds, config.max_file_size)
    cache = FactsCache.open(config.cache_path) if config.cache_path else None
    try:
        facts = analyze_all(found.files, rules, config.jobs, cache, progress)
    finally:
        if cache is not None:
            cache.close()
    return found, facts


class _CachedScan:
    """One scan's files against the cache: their content hashes and keys, the facts
    digests the cache holds for them, and (once computed) their facts and digests."""

    def __init__(self, files: Sequence[SourceFile], rules: RuleSet, jobs: int,
                 cache: FactsCache, progress: Progress | None) -> None:
        self.files, self.rules, self.jobs = files, rules, jobs
        self.cache, self.progress = cache, progress
        salt = rules_salt(rules)
        self.keys: dict[tuple[str, bool], str] = {}
        hashes = cache.content_hashes(source.abspath for source in files)
        for source in files:
            digest = hashes[source.abspath]
            if digest is not None:
                for full in (False, True):
                    self.keys[(source.path, full)] = entry_key(salt, source, full, digest)
        self.stored = cache.get_digests(self.keys)
        self.known: dict[str, tuple[FileFacts, str]] = {}  # first-pass facts analyzed here
        self.again: dict[str, str | None] | None = None  # full-pass path -> digest

    def result_key(self, config: ScanConfig, root: str, found: Discovery) -> str | None:
        """The result key, once every file has first-pass facts in the cache: files the
        cache has none for (new or edited ones) are analyzed and stored first."""
        missing = [source for source in self.files if (source.path, False) in self.keys
                   and (source.path, False) not in self.stored]
        salt = rules_salt(self.rules)
        fresh = _run(missing, self.rules, self.jobs, False, True, self.progress)
        summaries = self.cache.put_many(
            (source.path, False, entry_key(salt, source, False, digest), facts)
            for source, (facts, digest) in zip(missing, fresh, strict=True)
            if digest is not None)
        for source, (facts, digest) in zip(missing, fresh, strict=True):
            # Only when the bytes analyzed are the bytes hashed above: a file edited
            # meanwhile leaves this scan without a result key.
            summary = summaries.get((source.path, False))
            if summary is not None and digest is not None and self.keys[
                    (source.path, False)] == entry_key(salt, source, False, digest):
                self.stored[(source.path, False)] = (summary, facts.lines)
                self.known[source.path] = (facts, summary)
        digests = [self.stored.get((source.path, False)) for source in self.files]
        if any(d is None for d in digests):
            return None
        return result_key(rules_salt(self.rules), config, root, self.files, found.diagnostics,
                          [d[0] for d in digests if d is not None])

    def still_valid(self, again: dict[str, str]) -> bool:
        """Whether the files a stored result analyzed in full still have those facts."""
        return all(self.stored.get((path, True), ("",))[0] == digest
                   for path, digest in again.items())

    def lines(self, again: dict[str, str]) -> int:
        return sum(self.stored[(source.path, source.path in again)][1] for source in self.files)

    def facts(self) -> list[FileFacts]:
        """``analyze_all`` through the cache, noting the full-pass facts digests."""
        digests: dict[str, str | None] = {}
        facts = _analyze_all(self.files, self.rules, self.jobs, self.cache, self.progress,
                             self.keys, digests, self.known)
        self.again = digests
        return facts

    def full_digests(self) -> dict[str, str] | None:
        if self.again is None or any(d is None for d in self.again.values()):
            return None
        return {path: digest for path, digest in self.again.items() if digest is not None}


def analyze_all(files: Sequence[SourceFile], rules: RuleSet, jobs: int,
                cache: FactsCache | None = None,
                progress: Progress | None = None) -> list[FileFacts]:
    """Analyze every file; files that import vendor-bound repo names get a full second look."""
    return _analyze_all(files, rules, jobs, cache, progress)


def _analyze_all(files: Sequence[SourceFile], rules: RuleSet, jobs: int,
                 cache: FactsCache | None, progress: Progress | None,
                 keys: dict[tuple[str, bool], str] | None = None,
                 again: dict[str, str | None] | None = None,
                 known: dict[str, tuple[FileFacts, str]] | None = None) -> list[FileFacts]:
    """``analyze_all``; ``keys``: cache keys already computed; ``again``: filled with
    the facts digest of each file analyzed in full a second time; ``known``: first-pass
    (facts, digest) already at hand, by path."""
    from lockscan.pipeline.link import modules_needing_analysis

    facts = [f for f, _ in _cached_run(files, rules, jobs, False, cache, progress, keys, known)]
    needed = modules_needing_analysis(facts, rules)
    if needed:
        by_path = {f.path: f for f in files}
        redo = _cached_run([by_path[p] for p in sorted(needed)], rules, jobs, True, cache, None,
                           keys)
        replaced = {f.path: f for f, _ in redo}
        facts = [replaced.get(f.path, f) for f in facts]
        if again is not None:
            again.update((f.path, digest) for f, digest in redo)
    return facts


def _cached_run(files: Sequence[SourceFile], rules: RuleSet, jobs: int, full: bool,
                cache: FactsCache | None, progress: Progress | None,
                keys: dict[tuple[str, bool], str] | None = None,
                known: dict[str, tuple[FileFacts, str]] | None = None,
                ) -> list[tuple[FileFacts, str | None]]:
    """(facts, facts digest) for ``files`` in order: ``known`` ones as given, from the
    cache where the key matches, else analyzed (and stored under the hash of the bytes
    the analysis actually read). Without a cache there are no digests."""
    if cache is None:
        return [(f, None) for f, _ in _run(files, rules, jobs, full, False, progress)]
    salt = rules_salt(rules)
    hits: dict[tuple[str, bool], tuple[FileFacts, str | None]] = {
        (path, full): pair for path, pair in (known or {}).items()}
    wanted = {}
    for source in files:
        if (source.path, full) in hits:
            continue
        key = keys.get((source.path, full)) if keys is not None else None
        if key is None:
            digest = read_hash(source.abspath)
            if digest is not None:
                key = entry_key(salt, source, full, digest)
        if key is not None:
            wanted[(source.path, full)] = key
    hits.update(cache.get_many(wanted))
    todo = [source for source in files if (source.path, full) not in hits]
    if progress is not None and hits:
        progress(len(hits), len(files))
    done = len(hits)

    def step(count: int, _total: int) -> None:
        if progress is not None:
            progress(done + count, len(files))

    fresh = _run(todo, rules, jobs, full, True, step)
    summaries = cache.put_many((source.path, full, entry_key(salt, source, full, digest), facts)
                               for source, (facts, digest) in zip(todo, fresh, strict=True)
                               if digest is not None)
    for source, (facts, _) in zip(todo, fresh, strict=True):
        hits[(source.path, full)] = (facts, summaries.get((source.path, full)))
    return [hits[(f.path, full)] for f in files]


def _run(files: Sequence[SourceFile], rules: RuleSet, jobs: int, full: bool, want_hash: bool,
         progress: Progress | None) -> list[tuple[FileFacts, str | None]]:
    tasks = [(source, full, want_hash) for source in files]
    if jobs <= 1 or len(tasks) < POOL_THRESHOLD:
        out = []
        for number, task in enumerate(tasks, start=1):
            out.append(_analyze_task(task, rules))
            if progress is not None:
                progress(number, len(tasks))
        return out
    # Big files first, so the slowest ones do not start last; small chunks keep both
    # workers busy to the end; results come back in the original order.
    order = sorted(range(len(tasks)), key=lambda i: -tasks[i][0].size)
    chunk = max(1, min(CHUNK, len(tasks) // (jobs * 8)))
    results: dict[int, tuple[FileFacts, str | None]] = {}

    def step(index: int, result: tuple[FileFacts, str | None]) -> None:
        results[index] = result
        if progress is not None:
            progress(len(results), len(tasks))

    _pool_run(order, tasks, rules, jobs, chunk, step)
    return [results[i] for i in range(len(tasks))]


def _pool_run(order: list[int], tasks: list[tuple[SourceFile, bool, bool]], rules: RuleSet,
              jobs: int, chunk: int,
              done: Callable[[int, tuple[FileFacts, str | None]], None]) -> None:
    """Analyze ``tasks[i]`` for each ``i`` of ``order`` in a process pool, calling ``done``.

    A file that kills its worker (a crash in a C extension, the out-of-memory killer)
    breaks the whole pool, and every unfinished chunk fails with it. Those files are
    run again in halves, each half in a fresh pool, until the one that breaks a pool
    on its own is found: it becomes an ``analyzer-crash`` diagnostic and the scan goes
    on. That costs about two pools per halving, so a culprit among 10,000 files takes
    ~30 pool starts; a pool that keeps breaking whatever it runs ends the scan."""
    groups, breaks = [order], 0
    while groups:
        group = groups.pop(0)
        failed = _pool_pass(group, tasks, rules, min(jobs, len(group)), chunk, done)
        if not failed:
            continue
        breaks += 1
        if breaks > MAX_BROKEN_POOLS:
            raise WorkerError(f"analysis worker processes died {breaks} times; free some "
                              "memory or lower --jobs, and please report it if it persists")
        if len(failed) == 1:
            done(failed[0], (_crashed(tasks[failed[0]][0]), None))
            continue
        position = {index: n for n, index in enumerate(group)}
        failed.sort(key=position.__getitem__)  # keep the big-first order
        half = len(failed) // 2
        groups[:0] = [failed[:half], failed[half:]]
        chunk = 1  # from now on a failure names its files exactly


def _pool_pass(group: list[int], tasks: list[tuple[SourceFile, bool, bool]], rules: RuleSet,
               jobs: int, chunk: int,
               done: Callable[[int, tuple[FileFacts, str | None]], None]) -> list[int]:
    """One pool over ``group``; the indices whose chunk did not finish (a broken pool)."""
    from concurrent.futures import ProcessPoolExecutor, as_completed  # ~40 ms to import
    from concurrent.futures.process import BrokenProcessPool

    failed: list[int] = []
    with ProcessPoolExecutor(max_workers=jobs, initializer=_init_worker,
                             initargs=(rules,)) as pool:
        futures = {pool.submit(_analyze_chunk_in_worker, [tasks[i] for i in part]): part
                   for part in (group[i:i + chunk] for i in range(0, len(group), chunk))}
        for future in as_completed(futures):
            try:
                results = future.result()
            except BrokenProcessPool:
                failed.extend(futures[future])
                continue
            for index, result in zip(futures[future], results, strict=True):
                done(index, result)
    return failed


def _crashed(source: SourceFile) -> FileFacts:
    return _unreadable(source, "analyzer-crash",
                       "the analysis process died on this file (a crash in a parser or the "
                       "out-of-memory killer); lockscan skipped it, please report it")


_WORKER_RULES: RuleSet | None = None


def _init_worker(rules: RuleSet) -> None:
    global _WORKER_RULES
    _WORKER_RULES = rules


def _analyze_chunk_in_worker(
    chunk: list[tuple[SourceFile, bool, bool]],
) -> list[tuple[FileFacts, str | None]]:
    assert _WORKER_RULES is not None
    return [_analyze_task(task, _WORKER_RULES) for task in chunk]


def _analyze_task(task: tuple[SourceFile, bool, bool],
                  rules: RuleSet) -> tuple[FileFacts, str | None]:
    from lockscan.engine import SELF_SCREENED, analyze_file
    from lockscan.engine.prefilter import Verdict, prefilter_for

    source, force_full, want_hash = task
    data = _read(source)
    if isinstance(data, FileFacts):
        return data, None
    digest = content_hash(data) if want_hash else None
    if force_full or source.kind in SELF_SCREENED:
        verdict = Verdict.ANALYZE
    else:
        verdict = prefilter_for(rules, source.kind).verdict(data)
    return analyze_file(source, data, rules, verdict is not Verdict.SKIP,
                        shapes_only=verdict is Verdict.SHAPES), digest


def analyze_one(source: SourceFile, rules: RuleSet, force_full: bool = False) -> FileFacts:
    """Read, prefilter and analyze one file; read errors become diagnostics."""
    return _analyze_task((source, force_full, False), rules)[0]


def _read(source: SourceFile) -> bytes | FileFacts:
    try:
        with open(source.abspath, "rb") as handle:
            return handle.read()
    except FileNotFoundError:
        return _unreadable(source, "file-vanished", "deleted during the scan; rescan")
    except OSError as exc:
        return _unreadable(source, "read-error",
                           f"cannot read: {exc.strerror or exc}; check permissions")


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
