"""Where things are: a file chosen for scanning and a span inside it."""

from __future__ import annotations

from collections.abc import Iterable
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


DOTENV_TEMPLATES = frozenset({".env.example", ".env.sample", ".env.template", "env.example"})


def is_dotenv_name(name: str) -> bool:
    """A dotenv template by its name: ``.env.example`` and its kin, or a file named for
    the format (``dotenv_azure``, ``dotenv.test``, a test fixture's spelling). A plain
    ``.env`` holds a deployment's secrets, not its shape: it is not read."""
    return name in DOTENV_TEMPLATES or name.lower().startswith("dotenv")


def path_parts(rel: str) -> tuple[list[str], str, str]:
    """Folders, name and suffix of a ``/``-separated relative path, as ``PurePosixPath``
    gives them (``parents``, ``name``, ``suffix``) at a fraction of the cost."""
    *folders, name = rel.split("/")
    dot = name.rfind(".")
    return folders, name, name[dot:] if 0 < dot < len(name) - 1 else ""


def module_name(rel: str, python_paths: set[str]) -> str:
    """Dotted module name; a top-level ``src/`` without ``__init__.py`` is a layout folder."""
    folders, name, suffix = path_parts(rel)
    stem = name[:len(name) - len(suffix)]
    parts = [*folders, stem] if stem else folders
    if len(parts) > 1 and parts[0] in ("src", "lib") and f"{parts[0]}/__init__.py" not in \
            python_paths:
        parts = parts[1:]
    if parts and parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts) or stem


def names_by_suffix(names: Iterable[str]) -> dict[str, list[str]]:
    """Each proper suffix of the dotted ``names`` (``app.llm`` of ``backend.app.llm``) ->
    the names ending in it, in the order given: how a module under a nested project root
    is imported by its short name."""
    found: dict[str, list[str]] = {}
    for name in names:
        parts = name.split(".")
        for start in range(1, len(parts)):
            found.setdefault(".".join(parts[start:]), []).append(name)
    return found

