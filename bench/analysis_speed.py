"""CPU time of full per-file analysis, without discovery, prefilter, linking or reports.

Every ``*.py`` file under DIR is analyzed with full analysis forced (as if the
prefilter matched), in this process, REPEAT times; the best CPU time counts, so a
busy machine disturbs the figure less than wall time. The hash of all facts lets two
versions be compared for identical output.

Usage: python bench/analysis_speed.py DIR [REPEAT]
(e.g. a subset: find bench/corpus/vendor -name '*.py' | sort | head -150 |
 xargs -I{} cp --parents {} /tmp/vsub/)
"""

from __future__ import annotations

import hashlib
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from lockscan.engine import analyze_file
from lockscan.model import SourceFile
from lockscan.ruleset import load_rules


def main(root: Path, repeat: int) -> None:
    rules = load_rules()
    files = sorted(root.rglob("*.py"))
    inputs = [(SourceFile(str(p.relative_to(root)), str(p), "python", p.stem), p.read_bytes())
              for p in files]
    if inputs:
        analyze_file(*inputs[0], rules, True)  # builds the rule index once
    best = float("inf")
    for _ in range(repeat):
        started = time.process_time()
        facts = [analyze_file(source, data, rules, True) for source, data in inputs]
        best = min(best, time.process_time() - started)
    lines = sum(f.lines for f in facts)
    digest = hashlib.sha256(repr([(f.findings, f.deferred, f.imports, f.exports, f.diagnostics)
                                  for f in facts]).encode()).hexdigest()
    print(f"{len(files)} files, {lines} lines: {best:.2f} s CPU, {lines / best:.0f} lines/s; "
          f"facts {digest[:16]}")


if __name__ == "__main__":
    main(Path(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 3)
