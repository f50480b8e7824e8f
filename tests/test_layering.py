"""The house: one package per layer, and which layer may import which.

A module may import lockscan modules of its own layer or below, never above: records
at the bottom, the command line at the top. A new package must be placed in a layer.
The tree itself is checked too: every package is installed, few loose modules, no
module longer than a reader can hold.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import lockscan

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

# Bottom to top. Each entry is a package (or top-level module) of lockscan/.
LAYERS: list[set[str]] = [
    {"errors", "model"},            # frozen records, errors that carry data
    {"ruleset", "settings", "catalog"},  # rules as data and their matchers; configuration;
                                         # the bundled model facts
    {"engine"},                     # one file's bytes -> FileFacts (pure)
    {"graph", "cache"},             # the module graph; the facts cache
    {"score"},                      # switch cost per target
    {"pipeline"},                   # discover, analyze all, link, graph, score
    {"gates"},                      # policy, fail_on, baseline, diff
    {"report", "authoring"},        # every output format; rule tests and docs
    {"app"},                        # use cases: scan, check, baseline, diff, export_graph
    {"cli", "__main__"},            # click commands: options in, exit code out
]
PACKAGE = Path(lockscan.__file__).parent
ROOT = PACKAGE.parent
MAX_LINES = 500
MAX_LOOSE_MODULES = 6  # modules directly under lockscan/ besides the packages


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
        elif isinstance(node, ast.ImportFrom) and node.module == "lockscan":
            found.update(f"lockscan.{a.name}" for a in node.names if a.name != "__version__")
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("lockscan."))
    return found


def sources() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if p.name != "__init__.py" or p.parent != PACKAGE)


def test_no_module_imports_a_higher_layer():
    violations = []
    for path in sources():
        rel = path.relative_to(PACKAGE)
        own = layer_of(f"lockscan.{rel.parts[0].removesuffix('.py')}")
        for imported in lockscan_imports(path):
            if layer_of(imported) > own:
                violations.append(f"{rel} imports {imported}")
    assert violations == []


def test_every_package_is_in_a_layer_and_installed():
    packages = sorted(p.parent for p in PACKAGE.rglob("__init__.py"))
    names = {".".join(p.relative_to(ROOT).parts) for p in packages}
    for name in names - {"lockscan"}:
        layer_of(name)
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    installed = set(config["tool"]["setuptools"]["packages"])
    assert names <= installed, f"add to pyproject.toml packages: {sorted(names - installed)}"


def test_few_loose_modules_and_none_too_long():
    loose = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert len(loose) <= MAX_LOOSE_MODULES, loose
    long = {str(p.relative_to(PACKAGE)): n for p in PACKAGE.rglob("*.py")
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert long == {}, f"split these modules (over {MAX_LINES} lines): {long}"


def test_matching_code_needs_no_type_ignore():
    """The matcher registry types each group's members: no casts where rules match."""
    places = [p for p in (PACKAGE / "ruleset").rglob("*.py") if "type: ignore" in p.read_text()]
    assert places == []


def test_only_the_graph_package_imports_networkx():
    users = sorted(str(p.relative_to(PACKAGE)) for p in PACKAGE.rglob("*.py")
                   if "networkx" in {a for a in _imported_modules(p)})
    assert all(u.startswith("graph/") for u in users), users


def _imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module.split(".")[0])
    return found
