"""Check and time the fast import path against the ast path over whole corpora.

For every ``.py`` file under the given roots (default: bench/corpus/stdlib and
bench/corpus/vendor), decoded the way the scanner decodes it, the fast path must yield
exactly the refs and exports of ``ast.parse``, or fall back; on a file ``ast`` rejects
it may instead give the import statements it finds. Prints CPU time per path, the
fallback rate, and every mismatch; exits 1 on any.

    python bench/imports_fastpath.py [ROOT ...]
"""

from __future__ import annotations

import sys
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from lockscan.engine import DecodeError, decode
from lockscan.engine.python import imports

HERE = Path(__file__).resolve().parent
DEFAULT_ROOTS = [HERE / "corpus" / "stdlib", HERE / "corpus" / "vendor"]


def _outcome(function, text: str, module: str, is_package: bool) -> object:
    try:
        return function(text, module, is_package)
    except (SyntaxError, ValueError, RecursionError, MemoryError) as exc:
        return (type(exc).__name__, str(exc))


def _texts(roots: list[Path]) -> list[tuple[str, str, bool]]:
    found = []
    for root in roots:
        for path in sorted(root.rglob("*.py")):
            data = path.read_bytes()
            if b"\x00" in data:
                continue
            try:
                text = decode(data)
            except DecodeError:
                continue
            if "\x00" in text:
                continue
            relative = path.relative_to(root).with_suffix("")
            parts = relative.parts[:-1] if relative.name == "__init__" else relative.parts
            found.append((text, ".".join(parts), relative.name == "__init__"))
    return found


def _is_error(outcome: object) -> bool:
    return isinstance(outcome, tuple) and isinstance(outcome[0], str)


def _timed(function, texts: list[tuple[str, str, bool]]) -> tuple[float, list[object]]:
    start = time.process_time()
    results = [_outcome(function, *item) for item in texts]
    return time.process_time() - start, results


def main(argv: list[str]) -> int:
    roots = [Path(arg) for arg in argv] or DEFAULT_ROOTS
    warnings.simplefilter("ignore")  # as analyze_file does
    texts = _texts(roots)
    lines = sum(text.count("\n") for text, _, _ in texts)
    ast_time, expected = _timed(imports.extract_imports_ast, texts)
    fast_time, actual = _timed(imports.extract_imports, texts)
    start = time.process_time()
    fallbacks = sum(imports.fast_statements(text) is None for text, _, _ in texts)
    screen_time = time.process_time() - start
    mismatches = [texts[i][1] for i, (a, b) in enumerate(zip(expected, actual, strict=True))
                  if a != b and not _is_error(a)]
    print(f"{len(texts)} files, {lines} lines under {', '.join(map(str, roots))}")
    print(f"ast path  {ast_time:6.2f} s CPU")
    print(f"fast path {fast_time:6.2f} s CPU ({fast_time / ast_time:.0%} of ast), "
          f"fast_statements alone {screen_time:.2f} s")
    print(f"fallbacks {fallbacks} ({fallbacks / len(texts):.1%})")
    for module in mismatches:
        print(f"MISMATCH {module}")
    return 1 if mismatches else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
