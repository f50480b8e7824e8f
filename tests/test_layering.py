"""The code's layering is written down here and enforced, not hoped for.

A module may import lockscan modules of its own layer or below, never above:
data at the bottom, the CLI at the top. A new module must be placed in a layer.
"""

from __future__ import annotations

import ast
from pathlib import Path

import lockscan

LAYERS: list[set[str]] = [
    {"errors", "model", "secrets", "saferegex"},
    {"rules", "config"},
    {"match", "findings"},
    {"analyze", "discover", "prefilter"},
    {"link", "ruletest", "graph", "score"},
    {"scan", "cache", "policy", "settings", "baseline", "diff"},
    {"report", "ruledocs"},
    {"cli", "__main__", "workflow"},
]
PACKAGE = Path(lockscan.__file__).parent


def layer_of(module: str) -> int:
    top = module.split(".")[1] if module.startswith("lockscan.") else module
    for index, names in enumerate(LAYERS):
        if top in names:
            return index
    raise AssertionError(f"lockscan.{top} is in no layer of tests/test_layering.py: add it")


def lockscan_imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("lockscan."):
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("lockscan."))
    return found


def test_no_module_imports_a_higher_layer():
    violations = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE)
        if rel.parts[0] in ("rules", "__init__.py"):
            continue
        own = layer_of(f"lockscan.{rel.parts[0].removesuffix('.py')}")
        for imported in lockscan_imports(path):
            if layer_of(imported) > own:
                violations.append(f"{rel} imports {imported}")
    assert violations == []
