"""Python source: decoded, screened, parsed with LibCST and walked for sites
(``extract``), with the cheap import lexer for files no rule can match, the nesting
screen that protects LibCST, positions from ``ast``, and endpoint facts."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from lockscan.engine.findings import paired, to_findings
from lockscan.engine.python import imports as cheap_imports
from lockscan.engine.python import nesting
from lockscan.engine.source import DecodeError, count_lines, decode, failed_facts
from lockscan.engine.suppressions import suppressions
from lockscan.model import FileFacts, ImportRef, SourceFile

if TYPE_CHECKING:
    from lockscan.engine.analyzer import Analyzer


def analyze_python_source(
    source: SourceFile, data: bytes, analyzer: Analyzer, full: bool, file_kind: str = "python",
    shapes_only: bool = False,
) -> FileFacts:
    """``file_kind`` is ``notebook`` when the source is a notebook's joined code cells;
    ``shapes_only`` as for ``analyze_file``."""
    module = source.module or ""
    is_package = source.path.endswith("__init__.py")
    if b"\x00" in data:  # before decoding: binary files fail to decode less clearly
        return failed_facts(source, "binary-file", "contains null bytes; not Python source", 0)
    try:
        text = decode(data)
    except DecodeError as exc:
        return failed_facts(source, "decode-error", f"{exc}; save the file as UTF-8", 0)
    lines = count_lines(text)
    if "\x00" in text:  # a codec (unicode_escape) can produce one from "\0"
        return failed_facts(source, "binary-file", "contains null bytes; not Python source", lines)
    if not full:
        try:
            refs, exports = cheap_imports.extract_imports(text, module, is_package)
        except (SyntaxError, ValueError) as exc:
            return failed_facts(source, "parse-error", _syntax_reason(exc), lines)
        except (RecursionError, MemoryError):
            return failed_facts(source, "too-complex", "nesting too deep to parse", lines)
        return _imports_only(source, lines, refs, exports)
    checked = nesting.parse(text)
    if (shapes_only and checked.tree is not None
            and not analyzer.prefilter().shapes_in_tree(checked.tree)):
        return _imports_only(source, lines,
                             *cheap_imports.imports_of_tree(checked.tree, module, is_package))
    if checked.problem is None:
        checked = nesting.deep(checked)  # LibCST can crash the process on deep nesting
    if checked.problem is not None:
        return failed_facts(source, *checked.problem, lines)
    # Imported here: LibCST costs ~0.4 s to import, and a rescan whose files all come
    # from the cache (or miss the prefilter) never needs it.
    import libcst as cst

    from lockscan.engine.python.extract import extract
    from lockscan.engine.python.parse import parse

    try:
        tree = parse(text)
    except cst.ParserSyntaxError as exc:
        return failed_facts(source, "parse-error", checked.syntax_error or _libcst_reason(exc), lines)
    except (RecursionError, MemoryError):
        return failed_facts(source, "too-complex", "nesting too deep to parse", lines)
    text_lines = text.splitlines()
    try:
        facts = extract(tree, module, is_package, analyzer, text_lines,
                                        file_kind, text, checked.tree)
    except RecursionError:
        return failed_facts(source, "too-complex", "nesting too deep to analyze", lines)
    return FileFacts(
        path=source.path,
        kind="python",
        module=module,
        lines=lines,
        imports=tuple(facts.imports),
        exports=tuple(facts.exports),
        findings=tuple(to_findings(paired(facts.hits), source.path, text_lines)),
        deferred=tuple(facts.deferred),
        suppressions=suppressions(text),
    )


def _imports_only(source: SourceFile, lines: int, refs: list[ImportRef],
                  exports: list[tuple[str, str]]) -> FileFacts:
    """The facts of a Python file no rule can match: what the module graph needs."""
    return FileFacts(source.path, "python", source.module or "", lines, imports=tuple(refs),
                     exports=tuple(exports), analyzed=False)


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
