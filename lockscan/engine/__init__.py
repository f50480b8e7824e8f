"""Per-file analysis: one file's bytes and the rules in, ``FileFacts`` out.

A pure function of (bytes, rules, file kind, module name), so it can run in a
process pool and be cached by content hash. Every failure to read or parse a
file becomes a ``Diagnostic``; nothing here raises for bad input.
"""

from __future__ import annotations

import codecs
import io
import re
import tokenize
import traceback
import warnings
from typing import Any

from lockscan.engine.findings import to_findings
from lockscan.engine.prefilter import prefilter_for
from lockscan.engine.python import imports as cheap_imports
from lockscan.engine.python import nesting
from lockscan.model import Diagnostic, FileFacts, ImportRef, SourceFile
from lockscan.ruleset.index import index_rules
from lockscan.ruleset.loader import RuleSet

# Kinds whose analyzers decide for themselves what to read, so the byte prefilter is
# skipped: notebooks and manifests are always read in full, and config files (often
# large JSON data) are screened line by line, which is several times cheaper.
SELF_SCREENED = frozenset({"notebook", "manifest", "config"})
SUPPRESSION = re.compile(r"#\s*lockscan:\s*ignore(?:\[(?P<ids>[^\]]*)\])?")


class DecodeError(ValueError):
    pass


def decode(data: bytes) -> str:
    """Source bytes to text the way Python would: BOM, coding cookie, else UTF-8."""
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError as exc:
        raise DecodeError(str(exc)) from exc
    try:
        codecs.lookup(encoding)
        text = data.decode(encoding)
    except (LookupError, UnicodeDecodeError) as exc:
        raise DecodeError(f"cannot decode as {encoding}: {exc}") from exc
    if encoding not in ("utf-8", "utf-8-sig"):
        # Codecs such as unicode_escape can yield lone surrogates, which no output
        # format can encode; strict UTF-8 never does.
        try:
            text.encode("utf-8")
        except UnicodeEncodeError as exc:
            raise DecodeError(f"decoding as {encoding} gives invalid text: {exc}") from exc
    return text.removeprefix("\ufeff")


def count_lines(text: str) -> int:
    return text.count("\n") + (1 if text and not text.endswith("\n") else 0)


def suppressions(text: str) -> tuple[tuple[int, tuple[str, ...]], ...]:
    """``# lockscan: ignore[rule-a, rule-b]`` (or bare ``ignore``) per line."""
    if "lockscan" not in text:
        return ()
    found = []
    for number, line in enumerate(text.splitlines(), start=1):
        match = SUPPRESSION.search(line)
        if match:
            ids = match.group("ids")
            names = tuple(sorted(i.strip() for i in ids.split(",") if i.strip())) if ids else ()
            found.append((number, names))
    return tuple(found)


def analyze_file(source: SourceFile, data: bytes, rules: RuleSet, full: bool,
                 shapes_only: bool = False) -> FileFacts:
    """Analyze one file. ``full`` False (prefilter miss) extracts only imports.
    ``shapes_only``: the prefilter let a Python file in for multi-condition rules alone
    (``Verdict.SHAPES``), so its ``ast`` tree is screened for them before LibCST.

    Never raises for any input: a bug in an analyzer becomes an ``analyzer-error``
    diagnostic for this file, so one odd file cannot cost the findings of the others."""
    try:
        with warnings.catch_warnings():
            # ast.parse and literal_eval warn about the scanned code ("\d", "a"()):
            # not ours to lint, and not for the user's stderr.
            warnings.simplefilter("ignore")
            return _dispatch(source, data, rules, full, shapes_only)
    except Exception as exc:
        return _failed(source, "analyzer-error", f"{_where(exc)}; lockscan skipped this "
                       "file, please report it with the file if you can", 0)


def _dispatch(source: SourceFile, data: bytes, rules: RuleSet, full: bool,
              shapes_only: bool) -> FileFacts:
    if source.kind == "python":
        return analyze_python_source(source, data, rules, full, shapes_only=shapes_only)
    # Imported here: these modules use the helpers above, and most scans touch few
    # non-Python files.
    if source.kind == "notebook":
        from lockscan.engine import notebook

        return notebook.analyze(source, data, rules, full)
    if source.kind == "manifest":
        from lockscan.engine import manifest

        # Manifests are always read: the prefilter knows no distribution names.
        return manifest.analyze(source, data, rules)
    from lockscan.engine import text

    return text.analyze(source, data, rules, full)


def _where(exc: Exception) -> str:
    """``Type: message at lockscan/x.py:N``: the innermost lockscan frame, for a report."""
    frame = next((f for f in reversed(traceback.extract_tb(exc.__traceback__))
                  if "lockscan" in f.filename.replace("\\", "/").split("/")), None)
    text = f"{type(exc).__name__}: {str(exc)[:200]}"
    if frame is not None:
        short = frame.filename.replace("\\", "/").rsplit("lockscan/", 1)[-1]
        text += f" at lockscan/{short}:{frame.lineno}"
    return text


def analyze_python_source(
    source: SourceFile, data: bytes, rules: RuleSet, full: bool, file_kind: str = "python",
    shapes_only: bool = False,
) -> FileFacts:
    """``file_kind`` is ``notebook`` when the source is a notebook's joined code cells;
    ``shapes_only`` as for ``analyze_file``."""
    module = source.module or ""
    is_package = source.path.endswith("__init__.py")
    if b"\x00" in data:  # before decoding: binary files fail to decode less clearly
        return _failed(source, "binary-file", "contains null bytes; not Python source", 0)
    try:
        text = decode(data)
    except DecodeError as exc:
        return _failed(source, "decode-error", f"{exc}; save the file as UTF-8", 0)
    lines = count_lines(text)
    if "\x00" in text:  # a codec (unicode_escape) can produce one from "\0"
        return _failed(source, "binary-file", "contains null bytes; not Python source", lines)
    if not full:
        try:
            refs, exports = cheap_imports.extract_imports(text, module, is_package)
        except (SyntaxError, ValueError) as exc:
            return _failed(source, "parse-error", _syntax_reason(exc), lines)
        except (RecursionError, MemoryError):
            return _failed(source, "too-complex", "nesting too deep to parse", lines)
        return _imports_only(source, lines, refs, exports)
    checked = nesting.parse(text)
    if (shapes_only and checked.tree is not None
            and not prefilter_for(rules).shapes_in_tree(checked.tree)):
        return _imports_only(source, lines,
                             *cheap_imports.imports_of_tree(checked.tree, module, is_package))
    if checked.problem is None:
        checked = nesting.deep(checked)  # LibCST can crash the process on deep nesting
    if checked.problem is not None:
        return _failed(source, *checked.problem, lines)
    # Imported here: LibCST costs ~0.4 s to import, and a rescan whose files all come
    # from the cache (or miss the prefilter) never needs it.
    import libcst as cst

    from lockscan.engine.python import extract as python_analyzer

    try:
        tree = python_analyzer.parse(text)
    except cst.ParserSyntaxError as exc:
        return _failed(source, "parse-error", checked.syntax_error or _libcst_reason(exc), lines)
    except (RecursionError, MemoryError):
        return _failed(source, "too-complex", "nesting too deep to parse", lines)
    text_lines = text.splitlines()
    try:
        facts = python_analyzer.extract(tree, module, is_package, index_rules(rules), text_lines,
                                        file_kind, text, checked.tree)
    except RecursionError:
        return _failed(source, "too-complex", "nesting too deep to analyze", lines)
    return FileFacts(
        path=source.path,
        kind="python",
        module=module,
        lines=lines,
        imports=tuple(facts.imports),
        exports=tuple(facts.exports),
        findings=tuple(to_findings(facts.hits, source.path, text_lines)),
        deferred=tuple(facts.deferred),
        suppressions=suppressions(text),
    )


def _imports_only(source: SourceFile, lines: int, refs: list[ImportRef],
                  exports: list[tuple[str, str]]) -> FileFacts:
    """The facts of a Python file no rule can match: what the module graph needs."""
    return FileFacts(source.path, "python", source.module or "", lines, imports=tuple(refs),
                     exports=tuple(exports), analyzed=False)


def _failed(source: SourceFile, code: str, message: str, lines: int) -> FileFacts:
    return FileFacts(
        path=source.path,
        kind=source.kind,
        module=source.module,
        lines=lines,
        diagnostics=(Diagnostic(source.path, code, message),),
        analyzed=False,
    )


# The non-Python analyzers report unreadable files the same way.
failed_facts = _failed


def _syntax_reason(exc: Exception) -> str:
    if isinstance(exc, SyntaxError):
        return nesting.syntax_reason(exc)
    return f"cannot parse: {exc}"


def _libcst_reason(exc: Any) -> str:
    """Only reached when this Python parsed the file and LibCST did not. ``exc`` is a
    ``libcst.ParserSyntaxError`` (LibCST is not imported at module level)."""
    first = str(exc.message).splitlines()[0] if exc.message else "invalid syntax"
    return (f"LibCST cannot parse it (line {exc.raw_line}, column {exc.raw_column + 1}: "
            f"{first[:200]}) although Python can; please report it")
