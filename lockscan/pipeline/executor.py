"""Running the engine over many files: in this process, or in a pool that survives a
file which kills its worker.

Each task reads one file, hashes it when the cache wants the hash, asks the prefilter
for a verdict and analyzes it. Results come back in task order, whatever order the
pool finished them in.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from lockscan.cache.keys import content_hash
from lockscan.engine import Analyzer, analyze_file, failed_facts
from lockscan.engine.prefilter import Verdict
from lockscan.errors import WorkerError
from lockscan.model import FileFacts, SourceFile
from lockscan.ruleset import RuleSet

Progress = Callable[[int, int], None]  # (files done, files in this pass)
POOL_THRESHOLD = 64  # below this many files a process pool costs more than it saves
CHUNK = 32
MAX_BROKEN_POOLS = 64  # past this many worker deaths in one scan, stop (see _pool_run)


@dataclass(frozen=True, slots=True)
class Task:
    """Analyze ``source``; ``full``: skip the prefilter (the link stage needs its sites);
    ``want_hash``: also return the hash of the bytes analyzed (for the cache)."""

    source: SourceFile
    full: bool
    want_hash: bool


Analyzed = tuple[FileFacts, str | None]  # facts, and the content hash when asked for


def run_tasks(tasks: Sequence[Task], analyzer: Analyzer, jobs: int,
              progress: Progress | None = None) -> list[Analyzed]:
    """Every task's result, in task order."""
    if jobs <= 1 or len(tasks) < POOL_THRESHOLD:
        out = []
        for number, task in enumerate(tasks, start=1):
            out.append(run_task(task, analyzer))
            if progress is not None:
                progress(number, len(tasks))
        return out
    # Big files first, so the slowest ones do not start last; small chunks keep both
    # workers busy to the end.
    order = sorted(range(len(tasks)), key=lambda i: -tasks[i].source.size)
    chunk = max(1, min(CHUNK, len(tasks) // (jobs * 8)))
    results: dict[int, Analyzed] = {}

    def step(index: int, result: Analyzed) -> None:
        results[index] = result
        if progress is not None:
            progress(len(results), len(tasks))

    _pool_run(order, tasks, analyzer.rules, jobs, chunk, step)
    return [results[i] for i in range(len(tasks))]


def run_task(task: Task, analyzer: Analyzer) -> Analyzed:
    data = _read(task.source)
    if isinstance(data, FileFacts):
        return data, None
    digest = content_hash(data) if task.want_hash else None
    verdict = Verdict.ANALYZE if task.full else analyzer.verdict(task.source, data)
    return analyze_file(task.source, data, analyzer, verdict is not Verdict.SKIP,
                        shapes_only=verdict is Verdict.SHAPES), digest


def analyze_one(source: SourceFile, rules: RuleSet | Analyzer, force_full: bool = False) -> FileFacts:
    """Read, prefilter and analyze one file; read errors become diagnostics."""
    analyzer = Analyzer(rules) if isinstance(rules, RuleSet) else rules
    return run_task(Task(source, force_full, False), analyzer)[0]


def _pool_run(order: list[int], tasks: Sequence[Task], rules: RuleSet, jobs: int, chunk: int,
              done: Callable[[int, Analyzed], None]) -> None:
    """Run ``tasks[i]`` for each ``i`` of ``order`` in a process pool, calling ``done``.

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
            raise WorkerError(breaks)
        if len(failed) == 1:
            done(failed[0], (_crashed(tasks[failed[0]].source), None))
            continue
        position = {index: n for n, index in enumerate(group)}
        failed.sort(key=position.__getitem__)  # keep the big-first order
        half = len(failed) // 2
        groups[:0] = [failed[:half], failed[half:]]
        chunk = 1  # from now on a failure names its files exactly


def _pool_pass(group: list[int], tasks: Sequence[Task], rules: RuleSet, jobs: int, chunk: int,
               done: Callable[[int, Analyzed], None]) -> list[int]:
    """One pool over ``group``; the indices whose chunk did not finish (a broken pool)."""
    from concurrent.futures import ProcessPoolExecutor, as_completed  # ~40 ms to import
    from concurrent.futures.process import BrokenProcessPool

    failed: list[int] = []
    with ProcessPoolExecutor(max_workers=jobs, initializer=_init_worker,
                             initargs=(rules,)) as pool:
        futures = {pool.submit(_run_chunk_in_worker, [tasks[i] for i in part]): part
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
    return failed_facts(source, "analyzer-crash",
                        "the analysis process died on this file (a crash in a parser or the "
                        "out-of-memory killer); lockscan skipped it, please report it", 0)


# A worker process compiles the rules it is given once, in its initializer; this is
# that process's own copy, never shared.
_WORKER_ANALYZER: Analyzer | None = None


def _init_worker(rules: RuleSet) -> None:
    global _WORKER_ANALYZER
    _WORKER_ANALYZER = Analyzer(rules)


def _run_chunk_in_worker(chunk: list[Task]) -> list[Analyzed]:
    assert _WORKER_ANALYZER is not None
    return [run_task(task, _WORKER_ANALYZER) for task in chunk]


def _read(source: SourceFile) -> bytes | FileFacts:
    try:
        with open(source.abspath, "rb") as handle:
            return handle.read()
    except FileNotFoundError:
        return failed_facts(source, "file-vanished", "deleted during the scan; rescan", 0)
    except OSError as exc:
        return failed_facts(source, "read-error",
                            f"cannot read: {exc.strerror or exc}; check permissions", 0)
