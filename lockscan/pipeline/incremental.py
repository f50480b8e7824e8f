"""A rescan that may be answered from the cache: when every file's facts are the ones
the last result was computed from, that result is returned without analysis, linking,
the graph or scoring (``lockscan.cache.store`` explains the keys)."""

from __future__ import annotations

from collections.abc import Sequence

from lockscan.cache.keys import entry_key, result_key, rules_salt
from lockscan.cache.store import FactsCache
from lockscan.engine import Analyzer
from lockscan.model import FileFacts, ScanConfig, SourceFile
from lockscan.pipeline.analysis import Cached, Slot, analyze_all
from lockscan.pipeline.discover import Discovery
from lockscan.pipeline.executor import Progress


class IncrementalScan:
    """One scan's files against the cache: their keys (from content hashes), the facts
    digests the cache holds for them, and the analysis that fills the cache."""

    def __init__(self, files: Sequence[SourceFile], analyzer: Analyzer, jobs: int,
                 cache: FactsCache, progress: Progress | None) -> None:
        self.files, self.progress = files, progress
        self.salt = rules_salt(analyzer.rules)
        keys: dict[Slot, str] = {}
        hashes = cache.content_hashes(source.abspath for source in files)
        for source in files:
            digest = hashes[source.abspath]
            if digest is not None:
                for full in (False, True):
                    keys[(source.path, full)] = entry_key(self.salt, source, full, digest)
        self.stored = cache.get_digests(keys)  # slot -> (facts digest, line count)
        self.analysis = Cached(analyzer, jobs, cache, keys)

    def result_key(self, config: ScanConfig, root: str, found: Discovery) -> str | None:
        """The result key, once every file has first-pass facts in the cache: files the
        cache has none for (new or edited ones) are analyzed and stored first. None when
        a file changed while this scan read it."""
        keys = self.analysis.keys
        missing = [source for source in self.files
                   if (source.path, False) in keys and (source.path, False) not in self.stored]
        for slot, stored in self.analysis.store(missing, False, self.progress).items():
            # Only when the bytes analyzed are the bytes hashed above.
            if stored.digest is not None and stored.key == keys[slot]:
                self.stored[slot] = (stored.digest, stored.facts.lines)
                self.analysis.known[slot] = (stored.facts, stored.digest)
        digests = [self.stored.get((source.path, False)) for source in self.files]
        if any(d is None for d in digests):
            return None
        return result_key(self.salt, config, root, self.files, found.diagnostics,
                          [d[0] for d in digests if d is not None])

    def still_valid(self, full_digests: dict[str, str]) -> bool:
        """Whether the files a stored result analyzed in full still have those facts."""
        return all(self.stored.get((path, True), ("",))[0] == digest
                   for path, digest in full_digests.items())

    def lines(self, full_digests: dict[str, str]) -> int:
        return sum(self.stored[(source.path, source.path in full_digests)][1]
                   for source in self.files)

    def facts(self) -> tuple[list[FileFacts], dict[str, str] | None]:
        """Facts of every file through the cache, and the facts digests of the full
        pass (None when one could not be cached: then the result is not kept)."""
        facts, again = analyze_all(self.files, self.analysis, self.progress)
        if any(digest is None for digest in again.values()):
            return facts, None
        return facts, {path: digest for path, digest in again.items() if digest is not None}
