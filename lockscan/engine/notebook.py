"""Jupyter notebooks: the code cells, read as one Python module.

Cells run in order in one namespace, so a client built in cell 2 and called in
cell 5 must resolve: the code cells are joined into one virtual module, analyzed
by the Python analyzer, and each finding is mapped back to its cell.

Location of a finding: ``cell`` is the 0-based index of the cell in the notebook's
``cells`` array (markdown and raw cells count, so ``nb["cells"][cell]`` is the
cell), and ``line``/``column`` are 1-based within that cell's source.

IPython syntax is not Python: line magics (``%pip``), shell lines (``!ls``,
``files = !ls``, with their backslash-continued lines) and help lines (``obj?``)
become ``pass`` at the same indentation,
so line numbers stay stable and blocks stay valid. A cell magic (``%%bash``)
blanks its whole cell, except magics whose body is Python (``%%time``). A cell that
still does not parse is left out with a diagnostic; the rest is analyzed.

An install line (``%pip install openai``, ``!pip install -q "anthropic>=0.40"``) is the
notebook's manifest: each requirement on it goes to the ``dependencies`` rules.
"""

from __future__ import annotations

import ast
import json
import re
from collections.abc import Sequence
from dataclasses import replace
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any

from lockscan.engine.findings import to_findings
from lockscan.engine.manifest import parse_requirement, requirement_hits
from lockscan.engine.python import analyze_python_source
from lockscan.engine.source import failed_facts
from lockscan.model import DeferredSite, Diagnostic, FileFacts, Finding, SourceFile, Span

if TYPE_CHECKING:
    from lockscan.engine.analyzer import Analyzer

# Code of one notebook, as the default max_file_size for a Python file; outputs (plots,
# tables) do not count. Discovery applies the configured max_file_size the same way.
MAX_CODE_CHARS = 2_000_000
PYTHON_CELL_MAGICS = frozenset({"time", "timeit", "capture", "prun", "debug", "memit"})
_SHELL_ASSIGN = re.compile(r"^\s*[A-Za-z_][\w, ]*=\s*[!%]")
_HELP = re.compile(r"^\s*(\?\??\S+|\S+\?\??)\s*$")
_PIP_INSTALL = re.compile(
    r"^\s*[!%]\s*(?:pip3?|uv\s+pip|python3?\s+-m\s+pip)\s+install\s+(?P<args>[^#]*)")
# pip install options followed by a value that is not a requirement
_PIP_VALUE_OPTIONS = frozenset({
    "-r", "--requirement", "-c", "--constraint", "-e", "--editable", "-i", "--index-url",
    "--extra-index-url", "-f", "--find-links", "-t", "--target", "--prefix", "--root",
    "--upgrade-strategy", "--python", "--platform", "--src", "--no-binary", "--only-binary",
})


def analyze(source: SourceFile, data: bytes, analyzer: Analyzer, full: bool = True) -> FileFacts:
    """Findings of a notebook's code cells. Always analyzed in full (``full`` is
    ignored): notebooks are few, and a prefilter miss would hide cross-cell imports."""
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        return failed_facts(source, "decode-error", f"not UTF-8 ({exc.reason}); save the "
                            "notebook as UTF-8", 0)
    except (ValueError, RecursionError) as exc:
        return failed_facts(source, "parse-error", f"not valid notebook JSON ({exc}); open and "
                            "re-save it in Jupyter", 0)
    cells = notebook_cells(document)
    if cells is None:
        return failed_facts(source, "parse-error", "no `cells` list; not a Jupyter notebook", 0)
    code = [(number, cell_python(text)) for number, text in cells]
    lines = sum(len(text.splitlines()) for _, text in code)
    if sum(len(text) for _, text in code) > MAX_CODE_CHARS:
        return failed_facts(source, "too-large", f"code cells hold over {MAX_CODE_CHARS} "
                            "characters; skipped, split the notebook to scan it", lines)
    diagnostics: list[Diagnostic] = []
    kept: list[tuple[int, str]] = []
    for number, text in code:
        problem = _syntax_problem(text)
        if problem:
            diagnostics.append(Diagnostic(source.path, "parse-error",
                                          f"cell {number}: {problem}; cell skipped"))
        else:
            kept.append((number, text))
    joined, starts = join_cells(kept)
    # The joined cells go through the Python analyzer's own entry point, so notebooks
    # share every safeguard of Python files (decoding, nesting limits, parse errors).
    module = SourceFile(source.path, source.abspath, "python", _module_name(source.path),
                        source.size)
    facts = analyze_python_source(module, joined.encode("utf-8"), analyzer, True, "notebook")
    diagnostics.extend(
        replace(d, message=f"code cells read as one module: {d.message}")
        for d in facts.diagnostics
    )
    silenced = dict(facts.suppressions)
    findings = [to_cell(f, starts) for f in facts.findings if not _silenced(f, silenced)]
    findings.extend(install_findings(source.path, cells, analyzer))
    return FileFacts(
        path=source.path,
        kind="notebook",
        module=None,
        lines=lines,
        imports=tuple(replace(ref, line=locate(starts, ref.line)[1]) for ref in facts.imports),
        findings=tuple(findings),
        deferred=tuple(_deferred_to_cell(d, starts) for d in facts.deferred),
        diagnostics=tuple(diagnostics),
        analyzed=facts.analyzed,
    )


def install_findings(path: str, cells: Sequence[tuple[int, str]],
                     analyzer: Analyzer) -> list[Finding]:
    """``dependency`` findings of the cells' ``%pip install`` / ``!pip install`` lines."""
    out: list[Finding] = []
    for number, text in cells:
        lines = text.splitlines()
        hits = []
        for line_number, line in enumerate(lines, start=1):
            found = _PIP_INSTALL.match(line)
            if found is None:
                continue
            option_value = False
            for token in re.finditer(r"\S+", found.group("args")):
                word = token.group()
                if option_value or word.startswith("-"):
                    option_value = not option_value and word in _PIP_VALUE_OPTIONS
                    continue
                bare = word.strip("'\"")
                column = found.start("args") + token.start() + word.find(bare[:1]) + 1
                req = parse_requirement(bare, line_number, column)
                if req is not None:
                    hits.extend(requirement_hits(req, analyzer.index))
        out.extend(to_findings(hits, path, lines, cell=number))
    return out


def code_size(data: bytes) -> int | None:
    """Characters in a notebook's code cells (what lockscan reads of it, outputs left
    out); None when ``data`` is not a readable notebook (the analysis says why)."""
    try:
        cells = notebook_cells(json.loads(data.decode("utf-8-sig")))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return None
    return None if cells is None else sum(len(text) for _, text in cells)


def notebook_cells(document: Any) -> list[tuple[int, str]] | None:
    """(cell index, source) of every code cell; nbformat 4 (``cells``) and 3
    (``worksheets[].cells``, source under ``input``). None when it is not a notebook."""
    if not isinstance(document, dict):
        return None
    if isinstance(document.get("cells"), list):
        raw, key = document["cells"], "source"
    elif isinstance(document.get("worksheets"), list):
        raw = [c for w in document["worksheets"] if isinstance(w, dict)
               for c in w.get("cells", []) if isinstance(w.get("cells"), list)]
        key = "input"
    else:
        return None
    out = []
    for number, cell in enumerate(raw):
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        source = cell.get(key, "")
        if isinstance(source, list):
            source = "".join(part for part in source if isinstance(part, str))
        if isinstance(source, str):
            out.append((number, source))
    return out


def cell_python(source: str) -> str:
    """A cell's source with IPython-only lines turned into ``pass`` (same line count)."""
    lines = source.splitlines()
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is not None and lines[first].lstrip().startswith("%%"):
        magic = lines[first].lstrip()[2:].split(maxsplit=1)
        if not magic or magic[0] not in PYTHON_CELL_MAGICS:
            return "\n" * len(lines)
        lines[first] = ""
    out = []
    continued = False  # inside a shell/magic command continued with a trailing backslash
    for line in lines:
        stripped = line.lstrip()
        if continued or stripped.startswith(("%", "!")) or _SHELL_ASSIGN.match(line) or (
            stripped and not stripped.startswith("#") and _HELP.match(line)
        ):
            indent = line[: len(line) - len(stripped)] if not continued else out[-1][:-4]
            out.append(indent + "pass")
            continued = line.rstrip().endswith("\\")
        else:
            out.append(line)
    return "\n".join(out) + "\n" if out else ""


def join_cells(cells: Sequence[tuple[int, str]]) -> tuple[str, list[tuple[int, int]]]:
    """One module from the cells, and (first virtual line, cell index) per cell."""
    parts: list[str] = []
    starts: list[tuple[int, int]] = []
    line = 1
    for number, text in cells:
        if not text.endswith("\n"):
            text += "\n"
        starts.append((line, number))
        parts.append(text)
        line += text.count("\n")
    return "".join(parts), starts


def locate(starts: Sequence[tuple[int, int]], line: int) -> tuple[int | None, int]:
    """(cell index, line within the cell) of a line of the joined module."""
    cell, first = None, 1
    for start, number in starts:
        if start > line:
            break
        cell, first = number, start
    return cell, line - first + 1


def to_cell(finding: Finding, starts: Sequence[tuple[int, int]]) -> Finding:
    cell, line = locate(starts, finding.line)
    _, end_line = locate(starts, finding.end_line)
    return replace(finding, cell=cell, line=line, end_line=max(end_line, line))


def _deferred_to_cell(deferred: DeferredSite, starts: Sequence[tuple[int, int]]) -> DeferredSite:
    span = deferred.site.span
    cell, line = locate(starts, span.line)
    _, end_line = locate(starts, span.end_line)
    site = replace(deferred.site, span=Span(line, span.column, max(end_line, line),
                                            span.end_column))
    return replace(deferred, site=site, cell=cell)


def _silenced(finding: Finding, silenced: dict[int, tuple[str, ...]]) -> bool:
    ids = silenced.get(finding.line)
    return ids is not None and (not ids or finding.rule in ids)


def _syntax_problem(text: str) -> str | None:
    try:
        ast.parse(text)
    except SyntaxError as exc:
        return f"syntax error at line {exc.lineno}: {exc.msg}"
    except (ValueError, RecursionError, MemoryError) as exc:
        return f"cannot parse: {type(exc).__name__}"
    return None


def _module_name(path: str) -> str:
    """A dotted-name-safe stand-in for the notebook (it cannot be imported)."""
    stem = re.sub(r"\W", "_", PurePosixPath(path).stem) or "notebook"
    return stem if stem[0].isalpha() else f"nb_{stem}"


__all__ = ["analyze", "cell_python", "code_size", "join_cells", "locate", "notebook_cells"]
