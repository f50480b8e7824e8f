"""Compare ast-derived spans with LibCST's PositionProvider on every file under DIR.

For every node the position mapping covers (lockscan.engine.python.positions), the span must
equal PositionProvider's exactly; files where a kind's counts differ are listed (they
fall back to LibCST at scan time, which is slower but right). A sweep over a whole
corpus, too slow for the test suite (tests/unit/engine/test_positions.py runs the same check on
the sample repos, rule examples and generated programs).

Usage: python bench/check_positions.py DIR
"""

from __future__ import annotations

import sys
import warnings
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import libcst as cst

from lockscan.engine.python.positions import Positions, cst_nodes_by_kind, libcst_positions


def main(root: Path) -> int:
    warnings.simplefilter("ignore")
    mismatches: Counter[str] = Counter()
    fell_back: Counter[str] = Counter()
    nodes = files = 0
    for path in sorted(root.rglob("*.py")):
        try:
            text = path.read_bytes().decode("utf-8").removeprefix("\ufeff")
            tree = cst.parse_module(text)
            truth = libcst_positions(tree)
        except (UnicodeDecodeError, cst.ParserSyntaxError, RecursionError):
            continue  # not analyzable, or too deep for PositionProvider itself
        files += 1
        spans = Positions(tree, text)
        for kind, found in cst_nodes_by_kind(tree).items():
            for node in found:
                nodes += 1
                if spans.span(node) != truth(node):
                    mismatches[kind] += 1
                    print(f"mismatch {path} {kind}: {spans.span(node)} != {truth(node)}")
        if spans.fallbacks:
            fell_back[str(path)] = spans.fallbacks
    print(f"{files} files, {nodes} mapped nodes; mismatches {dict(mismatches)}; "
          f"files falling back {len(fell_back)}")
    for path, count in fell_back.most_common(10):
        print(f"  {count} fallbacks: {path}")
    return 1 if mismatches else 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))
