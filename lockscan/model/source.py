"""Where things are: a file chosen for scanning and a span inside it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

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
