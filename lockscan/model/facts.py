"""What one file yields: findings, diagnostics, imports and the per-file facts record.

Frozen and picklable, so per-file facts can cross the process pool and be cached by
content hash.
"""

from __future__ import annotations

from dataclasses import dataclass

from lockscan.model.sites import DeferredSite

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
# The kinds by which code reaches a vendor: its calls and the clients it builds (an
# import, a model id or a key name couples to a vendor but reaches nothing by itself).
CALL_KINDS = frozenset({"call", "client"})
CONFIDENCES: tuple[str, ...] = ("high", "medium", "low")
# What a file is for (``lockscan.pipeline.roles``), in the order reports list them.
ROLES: tuple[str, ...] = ("production", "test", "example", "data", "config", "manifest")
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
    role: str = "production"  # what the file is for (ROLES)
    subject: str = ""  # what the rule matched (`{match}`, redacted): a model id for model_id rules

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
