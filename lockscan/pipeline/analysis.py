"""Facts for every discovered file, in two passes, analyzed directly or through the cache.

The first pass analyzes each file on its own (files the prefilter rules out yield only
their imports). Files that import a name another module binds to a vendor object get a
second, full pass, so the link stage can resolve their sites. Where the facts come from
is an ``Analysis``: ``Direct`` runs the engine, ``Cached`` looks each file up in the
facts cache first and stores what it had to compute.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from lockscan.cache.keys import entry_key, read_hash, rules_salt
from lockscan.cache.store import FactsCache
from lockscan.engine import Analyzer
from lockscan.model import FileFacts, SourceFile
from lockscan.pipeline.executor import Analyzed, Progress, Task, run_tasks
from lockscan.pipeline.link import modules_needing_analysis

Slot = tuple[str, bool]  # (path, full pass)
MAX_ROUNDS = 4  # full-pass rounds: a summary reaches importers this many modules away


class Analysis(Protocol):
    analyzer: Analyzer

    def run(self, files: Sequence[SourceFile], full: bool,
            progress: Progress | None) -> list[Analyzed]:
        """(facts, facts digest or None) of each file, in order."""


@dataclass(frozen=True)
class Direct:
    """The engine, every time; no digests."""

    analyzer: Analyzer
    jobs: int

    def run(self, files: Sequence[SourceFile], full: bool,
            progress: Progress | None) -> list[Analyzed]:
        tasks = [Task(source, full, False) for source in files]
        return [(facts, None) for facts, _ in run_tasks(tasks, self.analyzer, self.jobs, progress)]


@dataclass
class Cached:
    """The cache first. ``keys``: cache keys already computed by slot; ``known``: facts
    already at hand (analyzed and stored earlier in this scan), by slot."""

    analyzer: Analyzer
    jobs: int
    cache: FactsCache
    keys: Mapping[Slot, str] = field(default_factory=dict)
    known: dict[Slot, Analyzed] = field(default_factory=dict)

    def run(self, files: Sequence[SourceFile], full: bool,
            progress: Progress | None) -> list[Analyzed]:
        """From ``known``, from the cache where the key matches, else analyzed and stored
        under the hash of the bytes the analysis actually read."""
        salt = rules_salt(self.analyzer.rules)
        hits = {slot: pair for slot, pair in self.known.items() if slot[1] == full}
        wanted = {}
        for source in files:
            slot = (source.path, full)
            if slot in hits:
                continue
            key = self.keys.get(slot)
            if key is None:
                digest = read_hash(source.abspath)
                key = entry_key(salt, source, full, digest) if digest is not None else None
            if key is not None:
                wanted[slot] = key
        hits.update(self.cache.get_many(wanted))
        todo = [source for source in files if (source.path, full) not in hits]
        if progress is not None and hits:
            progress(len(hits), len(files))
        done = len(hits)

        def step(count: int, _total: int) -> None:
            if progress is not None:
                progress(done + count, len(files))

        hits.update((slot, (stored.facts, stored.digest))
                    for slot, stored in self.store(todo, full, step).items())
        return [hits[(source.path, full)] for source in files]

    def store(self, files: Sequence[SourceFile], full: bool,
              progress: Progress | None) -> dict[Slot, Stored]:
        """Analyze ``files`` and keep their facts in the cache, by slot."""
        salt = rules_salt(self.analyzer.rules)
        tasks = [Task(source, full, True) for source in files]
        fresh = run_tasks(tasks, self.analyzer, self.jobs, progress)
        keys = {source.path: entry_key(salt, source, full, digest)
                for source, (_, digest) in zip(files, fresh, strict=True) if digest is not None}
        digests = self.cache.put_many((source.path, full, keys[source.path], facts)
                                      for source, (facts, _) in zip(files, fresh, strict=True)
                                      if source.path in keys)
        return {(source.path, full): Stored(facts, digests.get((source.path, full)),
                                            keys.get(source.path))
                for source, (facts, _) in zip(files, fresh, strict=True)}


@dataclass(frozen=True, slots=True)
class Stored:
    """Facts just analyzed: their digest as stored (None when the cache could not carry
    them) and the cache key of the bytes the analysis read (None when unreadable)."""

    facts: FileFacts
    digest: str | None
    key: str | None


def analyze_all(files: Sequence[SourceFile], analysis: Analysis,
                progress: Progress | None = None) -> tuple[list[FileFacts], dict[str, str | None]]:
    """Facts of every file (first pass, with the full pass swapped in where the link stage
    needs it), and the facts digest of each file of the full pass.

    A full pass can make more names vendor-bound (a module that only imports the repo's
    client gets analyzed, and its ``ask()`` returns a vendor response), so files that
    import those are analyzed in turn, for at most ``MAX_ROUNDS`` rounds."""
    facts = [f for f, _ in analysis.run(files, False, progress)]
    by_path = {f.path: f for f in files}
    digests: dict[str, str | None] = {}
    for _ in range(MAX_ROUNDS):
        needed = modules_needing_analysis(facts, analysis.analyzer.rules)
        if not needed:
            break
        redo = analysis.run([by_path[p] for p in sorted(needed)], True, None)
        replaced = {f.path: f for f, _ in redo}
        facts = [replaced.get(f.path, f) for f in facts]
        digests.update((f.path, digest) for f, digest in redo)
    return facts, digests
