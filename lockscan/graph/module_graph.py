"""The repo as a graph: modules, vendors, imports between modules, coupling to vendors.

``ModuleGraph`` is the only face of networkx in lockscan: everything else asks it named
questions (``coupled_modules``, ``gateways``, ``leaks``, ``blast_radius``,
``chokepoints``, ``scatter``) or reads its nodes and edges as plain records, as
import-linter does with grimp.

Node ids are file paths (relative to the root, ``/``-separated), the same paths
findings carry; vendor nodes are ``vendor:<id>``. Module nodes hold their dotted
name, path, lines and top-level package; coupling edges hold the number of findings,
their default effort and the rules behind them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import TYPE_CHECKING

from lockscan.model import GraphSummary

if TYPE_CHECKING:
    import networkx as nx

VENDOR_PREFIX = "vendor:"
MODULE = "module"
FILE = "file"  # a non-Python file with findings (manifest, prompt, config)
VENDOR = "vendor"
IMPORT = "import"
COUPLING = "coupling"
GATEWAY_SHARE = 0.5  # gateways must hold at least this share of a vendor's findings
GATEWAY_LIMIT = 2  # more "gateways" than this for one vendor is scatter, not a gateway


def vendor_node(vendor: str) -> str:
    return f"{VENDOR_PREFIX}{vendor}"


def package_name(module: str, path: str) -> str:
    """Top-level package: the first segment of the dotted name, else of the path."""
    if module:
        return module.split(".", 1)[0]
    parts = PurePosixPath(path).parts
    return parts[0] if len(parts) > 1 else "."


@dataclass(frozen=True, slots=True)
class Node:
    id: str  # the path, or vendor:<id>
    kind: str  # module, file or vendor
    module: str
    path: str
    lines: int
    package: str

    @property
    def label(self) -> str:
        if self.kind == VENDOR:
            return self.id[len(VENDOR_PREFIX):]
        return self.module or self.id


@dataclass(frozen=True, slots=True)
class Edge:
    source: str
    target: str
    kind: str  # import or coupling
    findings: int = 0  # coupling edges only
    effort: float = 0.0
    rules: str = ""
    calls: int = 0  # of the findings, the vendor's calls and clients


@dataclass(frozen=True, slots=True)
class Scatter:
    modules: int
    packages: int


class ModuleGraph:
    """A built graph (``lockscan.graph.build.build_graph``) and its queries."""

    def __init__(self, graph: nx.DiGraph) -> None:
        self._graph = graph

    # ---------------------------------------------------------------- records

    def nodes(self) -> list[Node]:
        """Every node, by id."""
        return [Node(node, data["kind"], data["module"], data["path"], data["lines"],
                     data["package"]) for node, data in sorted(self._graph.nodes(data=True))]

    def edges(self) -> list[Edge]:
        """Every edge, by (source, target)."""
        return [Edge(src, dst, data["kind"], data.get("findings", 0), data.get("effort", 0.0),
                     data.get("rules", "")) for src, dst, data in sorted(self._graph.edges(data=True))]

    def node(self, node_id: str) -> Node:
        data = self._graph.nodes[node_id]
        return Node(node_id, data["kind"], data["module"], data["path"], data["lines"],
                    data["package"])

    def edge(self, source: str, target: str) -> Edge:
        data = self._graph.edges[source, target]
        return Edge(source, target, data["kind"], data.get("findings", 0),
                    data.get("effort", 0.0), data.get("rules", ""), data.get("calls", 0))

    def __contains__(self, path: object) -> bool:
        return path in self._graph

    def networkx(self) -> nx.DiGraph:
        """The underlying graph, for the serializations that networkx writes
        (``lockscan.graph.export``); queries go through the methods here."""
        return self._graph

    # ---------------------------------------------------------------- queries

    def vendors(self) -> list[str]:
        return sorted(n[len(VENDOR_PREFIX):] for n, k in self._graph.nodes(data="kind")
                      if k == VENDOR)

    def coupled_modules(self, vendor: str | None = None) -> list[str]:
        """Paths that couple directly to ``vendor`` (any vendor when None)."""
        targets = [vendor_node(vendor)] if vendor else [vendor_node(v) for v in self.vendors()]
        return sorted({src for t in targets if t in self._graph
                       for src in self._graph.predecessors(t)})

    def coupled_with_importers(self) -> list[str]:
        """The modules coupled to any vendor and the modules that import them directly:
        the part of the graph a vendor switch touches first (``graph --format mermaid``)."""
        coupled = self.coupled_modules()
        return sorted({*coupled, *(p for path in coupled for p in self.importers(path))})

    def importers(self, path: str) -> list[str]:
        """Modules that import ``path`` directly."""
        return sorted(p for p, _, kind in self._graph.in_edges(path, data="kind") if kind == IMPORT)

    def imports_of(self, path: str) -> list[str]:
        return sorted(t for _, t, kind in self._graph.out_edges(path, data="kind") if kind == IMPORT)

    def findings_to(self, path: str, vendor: str) -> int:
        """Findings on the coupling edge from ``path`` to ``vendor``."""
        return int(self._graph.edges[path, vendor_node(vendor)]["findings"])

    def gateways(self, vendor: str | None = None) -> list[str]:
        """Modules through which the rest of the code reaches a vendor.

        A candidate for vendor V calls V or builds its client (a module of model ids or
        key names couples to V but reaches nothing), is imported by at least one module
        that does not couple to V, and imports no other module that couples to V (the
        vendor stops there). Candidates are gateways only when there are at most
        ``GATEWAY_LIMIT`` of them and they hold at least ``GATEWAY_SHARE`` of V's
        findings: a leaf that happens to be imported once in a codebase that calls V
        everywhere is not a gateway, nor are ten leaves that each call V. With
        ``vendor`` None: the union over all vendors."""
        found: set[str] = set()
        for name in [vendor] if vendor else self.vendors():
            coupled = set(self.coupled_modules(name))
            candidates = {
                path for path in coupled
                if self._graph.edges[path, vendor_node(name)].get("calls", 0)
                and any(u not in coupled for u in self.importers(path))
                and not coupled & set(self.imports_of(path))
            }
            total = sum(self.findings_to(p, name) for p in coupled)
            held = sum(self.findings_to(p, name) for p in candidates)
            if 0 < len(candidates) <= GATEWAY_LIMIT and held >= GATEWAY_SHARE * total:
                found |= candidates
        return sorted(found)

    def leaks(self, vendor: str | None = None) -> list[str]:
        """Code that couples directly outside the gateway, for vendors that have a gateway.
        A manifest or config file naming the vendor is where such things belong, not a
        leak past the gateway."""
        found: set[str] = set()
        for name in [vendor] if vendor else self.vendors():
            gates = set(self.gateways(name))
            if gates:
                found.update(p for p in self.coupled_modules(name)
                             if p not in gates and self._graph.nodes[p]["kind"] == MODULE)
        return sorted(found)

    def blast_radius(self) -> list[str]:
        """Modules a vendor change can reach: coupled ones and every module that imports
        one, directly or transitively."""
        import networkx as nx

        reached: set[str] = set()
        for vendor in self.vendors():
            reached |= nx.ancestors(self._graph, vendor_node(vendor))
        return sorted(reached)

    def chokepoints(self) -> list[tuple[str, int]]:
        """Modules every vendor path of other modules goes through, with how many modules
        depend on them that way (dominators towards the vendors), most first."""
        sink = "\0vendors"
        reverse = self._graph.reverse(copy=True)
        for vendor in self.vendors():
            reverse.add_edge(sink, vendor_node(vendor))
        if sink not in reverse:
            return []
        import networkx as nx

        idom = nx.immediate_dominators(reverse, sink)
        dominated: dict[str, int] = defaultdict(int)
        for node in idom:
            if node == sink:
                continue
            parent = idom[node]
            while parent != sink:
                if self._graph.nodes[parent].get("kind") != VENDOR:
                    dominated[parent] += 1
                parent = idom[parent]
        return sorted(dominated.items(), key=lambda item: (-item[1], item[0]))

    def package_of(self, path: str) -> str:
        if path in self._graph:
            return str(self._graph.nodes[path]["package"])
        return package_name("", path)

    def scatter(self, paths: Iterable[str] | None = None) -> Scatter:
        """How many files, and top-level packages, hold coupling (or just ``paths``)."""
        chosen = set(self.coupled_modules() if paths is None else paths)
        return Scatter(len(chosen), len({self.package_of(p) for p in chosen}))

    def summary(self) -> GraphSummary:
        return GraphSummary(
            coupled_modules=tuple(self.coupled_modules()),
            gateways=tuple(self.gateways()),
            leaks=tuple(self.leaks()),
            blast_radius=len(self.blast_radius()),
        )
