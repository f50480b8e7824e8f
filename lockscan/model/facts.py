"""What the engine finds in one file: sources, findings, sites and per-file facts.

Frozen and picklable, so per-file facts can cross the process pool and be cached by
content hash.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

KINDS: tuple[str, ...] = (
    "import",
    "client",
    "call",
    "tool_schema",
    "response_shape",
    "model_id",
    "prompt_format",
    "env_var",
    "vendor_feature",
    "dependency",
    "credential",
)
CONFIDENCES: tuple[str, ...] = ("high", "medium", "low")
FILE_KINDS: tuple[str, ...] = ("python", "notebook", "manifest", "prompt", "config")

FileKind = Literal["python", "notebook", "manifest", "prompt", "config"]


@dataclass(frozen=True, slots=True)
class Span:
    """1-based line and column; end_column is exclusive (as in SARIF)."""

    line: int
    column: int
    end_line: int
    end_column: int


@dataclass(frozen=True, slots=True)
class SourceFile:
    """A file chosen by discovery: where it is and how to read it."""

    path: str  # relative to the scan root, "/"-separated
    abspath: str
    kind: FileKind
    module: str | None = None  # dotted module name for python files
    size: int = 0


@dataclass(frozen=True, slots=True)
class Finding:
    rule: str
    vendor: str
    kind: str
    path: str
    line: int
    column: int
    end_line: int
    end_column: int
    message: str
    snippet: str
    api: str | None = None
    via: str | None = None
    confidence: str = "high"
    fingerprint: str = ""
    cell: int | None = None  # notebook cell index, None for other files

    @property
    def sort_key(self) -> tuple[str, int, int, int, str, str]:
        # Notebook findings order by cell first: their lines restart in every cell.
        cell = -1 if self.cell is None else self.cell
        return (self.path, cell, self.line, self.column, self.rule, self.message)


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """Something lockscan could not fully analyze; the scan goes on."""

    path: str
    code: str
    message: str


@dataclass(frozen=True, slots=True)
class ImportRef:
    """One import statement target, resolved to an absolute module name.

    ``names`` holds what a ``from`` import takes from the module (each may itself
    be a submodule); it is empty for ``import x.y``.
    """

    module: str
    line: int
    names: tuple[str, ...] = ()
    type_checking: bool = False


# Sites: what the Python analyzer saw, with symbolic paths already resolved as far
# as one file allows. Rules are matched against sites (``lockscan.ruleset.index``), both in
# the file's own analysis and again in the link stage once cross-file names resolve.


@dataclass(frozen=True, slots=True)
class CallSite:
    """A call. ``path`` is the callee resolved through aliases and tracked clients,
    e.g. ``openai.OpenAI().chat.completions.create`` for ``client.chat.completions.create``."""

    path: str
    text: str  # the callee as written
    keywords: tuple[tuple[str, str], ...]  # (name, summary of literal tokens in the value)
    span: Span


@dataclass(frozen=True, slots=True)
class ChainSite:
    """An attribute/subscript chain, e.g. ``resp.choices[0].message.content``.

    ``path`` is ``<resolved root>.choices[].message.content`` when the root resolves,
    else the chain as written with string subscripts turned into segments."""

    path: str
    text: str
    resolved: bool
    span: Span


@dataclass(frozen=True, slots=True)
class CompareSite:
    """A comparison of a chain with string literals: ``x.finish_reason == "tool_calls"``."""

    path: str
    resolved: bool
    values: tuple[str, ...]
    text: str
    span: Span


Site = CallSite | ChainSite | CompareSite


@dataclass(frozen=True, slots=True)
class DeferredSite:
    """A site rooted in a name imported from another module of the scanned repo.

    The link stage resolves it when that module binds the name to a vendor object
    (``from app.llm import client`` where ``app/llm.py`` has ``client = OpenAI()``).
    """

    site: Site
    root: str  # the imported dotted name the path starts with, e.g. "app.llm.client"
    resolved_path: str  # the site's path with that import spelled out in full
    snippet: str  # the source line, for the finding the link stage may create
    cell: int | None = None  # notebook cell the site is in (its span is cell-relative)


@dataclass(frozen=True, slots=True)
class FileFacts:
    """Everything the later stages need to know about one file."""

    path: str
    kind: str
    module: str | None
    lines: int
    imports: tuple[ImportRef, ...] = ()
    exports: tuple[tuple[str, str], ...] = ()  # (module-level name, symbolic value)
    findings: tuple[Finding, ...] = ()
    deferred: tuple[DeferredSite, ...] = ()
    diagnostics: tuple[Diagnostic, ...] = ()
    suppressions: tuple[tuple[int, tuple[str, ...]], ...] = ()  # (line, rule ids; () = all)
    analyzed: bool = True  # False when the prefilter skipped full analysis
