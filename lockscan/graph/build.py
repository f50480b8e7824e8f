"""Building the repo's graph from per-file facts and findings: module nodes for every
Python file, import edges between them (resolved to repo paths), and a weighted coupling
edge from each file with findings to each vendor it couples to."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING

from lockscan.graph.module_graph import (
    COUPLING,
    FILE,
    IMPORT,
    MODULE,
    VENDOR,
    ModuleGraph,
    package_name,
    vendor_node,
)
from lockscan.model import CALL_KINDS, FileFacts, Finding
from lockscan.model.source import names_by_suffix

if TYPE_CHECKING:
    import networkx as nx

Effort = Callable[[Finding], float]


def build_graph(facts: Sequence[FileFacts], findings: Iterable[Finding],
                effort: Effort | None = None) -> ModuleGraph:
    """Module nodes for every Python file, import edges between them, and a weighted
    coupling edge from each file with findings to each vendor it couples to.

    ``effort`` prices one finding for the edge weight (default 1 per finding)."""
    import networkx as nx  # ~0.15 s to import: only when a graph is built (not on a cache hit)

    graph = nx.DiGraph()
    modules: dict[str, str] = {}  # dotted name -> path
    for fact in sorted(facts, key=lambda f: f.path):
        if fact.module is None:
            continue
        graph.add_node(fact.path, kind=MODULE, module=fact.module, path=fact.path,
                       lines=fact.lines, package=package_name(fact.module, fact.path))
        modules.setdefault(fact.module, fact.path)
    resolver = _Resolver(modules)
    # Collected first and added in one call, in first-seen order (the same graph as
    # adding them one by one): a file importing several names of one module repeats
    # the edge, and networkx's per-call cost dominated building the stdlib's graph.
    edges: dict[tuple[str, str], None] = {}
    for fact in facts:
        if fact.module is None:
            continue
        for ref in fact.imports:
            # `from pkg import sub, func`: the submodule `pkg.sub`, and `pkg` for `func`.
            names = [f"{ref.module}.{n}" for n in ref.names] or [ref.module]
            for name in names:
                target = resolver.resolve(name, fact.module)
                if target is not None and target != fact.path:
                    edges[(fact.path, target)] = None
    graph.add_edges_from(edges, kind=IMPORT)
    _add_coupling(graph, findings, effort or (lambda _f: 1.0))
    return ModuleGraph(graph)


def _add_coupling(graph: nx.DiGraph, findings: Iterable[Finding], effort: Effort) -> None:
    edges: dict[tuple[str, str], list[Finding]] = defaultdict(list)
    for finding in findings:
        edges[(finding.path, finding.vendor)].append(finding)
    for (path, vendor), items in sorted(edges.items()):
        if path not in graph:
            graph.add_node(path, kind=FILE, module="", path=path, lines=0,
                           package=package_name("", path))
        node = vendor_node(vendor)
        if node not in graph:
            graph.add_node(node, kind=VENDOR, module="", path="", lines=0, package="")
        graph.add_edge(path, node, kind=COUPLING, findings=len(items),
                       calls=sum(1 for f in items if f.kind in CALL_KINDS),
                       effort=round(sum(effort(f) for f in items), 2),
                       rules=" ".join(sorted({f.rule for f in items})))


class _Resolver:
    """Absolute import names to repo paths: exact names first, then by suffix, so a
    nested project root (``services/api/app/llm.py`` imported as ``app.llm``) resolves."""

    def __init__(self, modules: dict[str, str]) -> None:
        self.modules = modules
        # Answers that do not depend on the importer, by name: most imports name the
        # same few modules (`os`, `sys`), each asked for by hundreds of files.
        self.known: dict[str, str | None] = {}
        self.by_suffix = names_by_suffix(modules)

    def resolve(self, name: str, importer: str) -> str | None:
        """The deepest repo module ``name`` (or a parent of it) names; None if external."""
        if name in self.known:
            return self.known[name]
        parts = name.split(".")
        for end in range(len(parts), 0, -1):
            candidate = ".".join(parts[:end])
            if candidate in self.modules:
                self.known[name] = self.modules[candidate]
                return self.modules[candidate]
            nested = self.by_suffix.get(candidate)
            if nested:
                if len(nested) == 1:
                    self.known[name] = self.modules[nested[0]]
                    return self.modules[nested[0]]
                # Prefer the module that shares the longest prefix with the importer
                # (the one answer that depends on the importer, so it is not kept).
                best = max(sorted(nested), key=lambda m: _common_prefix(m, importer))
                return self.modules[best]
        self.known[name] = None
        return None


def _common_prefix(a: str, b: str) -> int:
    count = 0
    for x, y in zip(a.split("."), b.split("."), strict=False):
        if x != y:
            break
        count += 1
    return count
