"""Index the hooks defined in labelling plugins.

Plugins are plain Python files; we parse them (never import them) and record
each top-level function or class so the UI can list available hooks.
"""
from __future__ import annotations

import ast
from pathlib import Path
from typing import Any


def describe(node: ast.AST) -> dict[str, Any] | None:
    """Describe one top-level definition, or None for anything else."""
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
        return {
            "type": "function",
            "name": node.name,
            "args": [arg.arg for arg in node.args.args],
            "lineno": node.lineno,
        }
    if isinstance(node, ast.ClassDef):
        return {"type": "class", "name": node.name, "lineno": node.lineno}
    return None


def index_plugin(path: str | Path) -> list[dict[str, Any]]:
    tree = ast.parse(Path(path).read_text(encoding="utf-8"), filename=str(path))
    return [d for d in map(describe, tree.body) if d is not None]


def example() -> list[dict[str, Any]]:
    """What ``index_plugin`` returns for ``def f(x): ...``."""
    return [{"type": "function", "name": "f", "args": ["x"], "lineno": 1}]
