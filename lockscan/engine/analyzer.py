"""Per-file analysis: one file's bytes and the compiled rules in, ``FileFacts`` out.

A pure function of (bytes, rules, file kind, module name), so it can run in a process
pool and be cached by content hash. Every failure to read or parse a file becomes a
``Diagnostic``; nothing here raises for bad input.
"""

from __future__ import annotations

import traceback
import warnings
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from lockscan.engine.prefilter import Prefilter, Verdict, compile_prefilter
from lockscan.engine.source import failed_facts
from lockscan.model import FileFacts, SourceFile
from lockscan.ruleset import RuleSet
from lockscan.ruleset.index import RuleIndex

if TYPE_CHECKING:
    from lockscan.engine.python.endpoints import Endpoints

# Kinds whose analyzers decide for themselves what to read, so the byte prefilter is
# skipped: notebooks and manifests are always read in full, and config files (often
# large JSON data) are screened line by line, which is several times cheaper.
SELF_SCREENED = frozenset({"notebook", "manifest", "config"})


@dataclass(eq=False)
class Analyzer:
    """A rule set compiled for per-file analysis: its index, a prefilter per file kind
    and the endpoint tables, each built on first use. Build one per process (a worker
    builds its own from the rule set it is given) and pass it to ``analyze_file``."""

    rules: RuleSet
    _prefilters: dict[str, Prefilter] = field(default_factory=dict, repr=False)

    @property
    def index(self) -> RuleIndex:
        return self.rules.index

    def prefilter(self, kind: str = "python") -> Prefilter:
        found = self._prefilters.get(kind)
        if found is None:
            found = self._prefilters[kind] = compile_prefilter(self.rules, kind)
        return found

    @cached_property
    def endpoints(self) -> Endpoints:
        from lockscan.engine.python.endpoints import compile_endpoints  # needs LibCST

        return compile_endpoints(self.rules)

    def verdict(self, source: SourceFile, data: bytes) -> Verdict:
        """What a file needs, judged from its bytes."""
        if source.kind in SELF_SCREENED:
            return Verdict.ANALYZE
        return self.prefilter(source.kind).verdict(data)


def analyze_file(source: SourceFile, data: bytes, analyzer: Analyzer | RuleSet, full: bool,
                 shapes_only: bool = False) -> FileFacts:
    """Analyze one file. ``full`` False (prefilter miss) extracts only imports.
    ``shapes_only``: the prefilter let a Python file in for multi-condition rules alone
    (``Verdict.SHAPES``), so its ``ast`` tree is screened for them before LibCST.
    A bare ``RuleSet`` is compiled for this one call (tests, one-off use).

    Never raises for any input: a bug in an analyzer becomes an ``analyzer-error``
    diagnostic for this file, so one odd file cannot cost the findings of the others."""
    if isinstance(analyzer, RuleSet):
        analyzer = Analyzer(analyzer)
    try:
        with warnings.catch_warnings():
            # ast.parse and literal_eval warn about the scanned code ("\d", "a"()):
            # not ours to lint, and not for the user's stderr.
            warnings.simplefilter("ignore")
            return _dispatch(source, data, analyzer, full, shapes_only)
    except Exception as exc:
        return failed_facts(source, "analyzer-error", f"{_where(exc)}; lockscan skipped this "
                            "file, please report it with the file if you can", 0)


def _dispatch(source: SourceFile, data: bytes, analyzer: Analyzer, full: bool,
              shapes_only: bool) -> FileFacts:
    if source.kind == "python":
        from lockscan.engine.python import analyze_python_source

        return analyze_python_source(source, data, analyzer, full, shapes_only=shapes_only)
    # Imported here: most scans touch few non-Python files.
    if source.kind == "notebook":
        from lockscan.engine import notebook

        return notebook.analyze(source, data, analyzer, full)
    if source.kind == "manifest":
        from lockscan.engine import manifest

        # Manifests are always read: the prefilter knows no distribution names.
        return manifest.analyze(source, data, analyzer)
    from lockscan.engine import text

    return text.analyze(source, data, analyzer, full)


def _where(exc: Exception) -> str:
    """``Type: message at lockscan/<module>.py:N``: the innermost lockscan frame, for a report."""
    frame = next((f for f in reversed(traceback.extract_tb(exc.__traceback__))
                  if "lockscan" in f.filename.replace("\\", "/").split("/")), None)
    text = f"{type(exc).__name__}: {str(exc)[:200]}"
    if frame is not None:
        short = frame.filename.replace("\\", "/").rsplit("lockscan/", 1)[-1]
        text += f" at lockscan/{short}:{frame.lineno}"
    return text
