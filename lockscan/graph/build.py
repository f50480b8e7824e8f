"""The repo as a graph: modules, vendors, imports between modules, coupling to vendors.

The only module that imports networkx. Everything else asks the questions below
(``coupled_modules``, ``gateways``, ``leaks``, ``blast_radius``, ``chokepoints``,
``scatter``) and never pokes at the graph itself, as import-linter does with grimp.

Node ids are file paths (relative to the root, ``/``-separated), the same paths
findings carry; vendor nodes are ``vendor:<id>``. Module nodes hold their dotted
name, path, lines and top-level package; coupling edges hold the number of findings,
their default effort and the rules behind them.
"""

from __future__ import annotations

import io
import json
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import TYPE_CHECKING

from lockscan.errors import UsageError
from lockscan.model import FileFacts, Finding, GraphSummary

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

Effort = Callable[[Finding], float]


# --------------------------------------------------------------------------- building


def vendor_node(vendor: str) -> str:
    return f"{VENDOR_PREFIX}{vendor}"


def build_graph(facts: Sequence[FileFacts], findings: Iterable[Finding],
                effort: Effort | None = None) -> nx.DiGraph:
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
                       lines=fact.lines, package=_package(fact.module, fact.path))
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
    return graph


def _add_coupling(graph: nx.DiGraph, findings: Iterable[Finding], effort: Effort) -> None:
    edges: dict[tuple[str, str], list[Finding]] = defaultdict(list)
    for finding in findings:
        edges[(finding.path, finding.vendor)].append(finding)
    for (path, vendor), items in sorted(edges.items()):
        if path not in graph:
            graph.add_node(path, kind=FILE, module="", path=path, lines=0,
                           package=_package("", path))
        node = vendor_node(vendor)
        if node not in graph:
            graph.add_node(node, kind=VENDOR, module="", path="", lines=0, package="")
        graph.add_edge(path, node, kind=COUPLING, findings=len(items),
                       effort=round(sum(effort(f) for f in items), 2),
                       rules=" ".join(sorted({f.rule for f in items})))


def _package(module: str, path: str) -> str:
    """Top-level package: the first segment of the dotted name, else of the path."""
    if module:
        return module.split(".", 1)[0]
    parts = PurePosixPath(path).parts
    return parts[0] if len(parts) > 1 else "."


class _Resolver:
    """Absolute import names to repo paths: exact names first, then by suffix, so a
    nested project root (``services/api/app/llm.py`` imported as ``app.llm``) resolves."""

    def __init__(self, modules: dict[str, str]) -> None:
        self.modules = modules
        # Answers that do not depend on the importer, by name: most imports name the
        # same few modules (`os`, `sys`), each asked for by hundreds of files.
        self.known: dict[str, str | None] = {}
        self.by_suffix: dict[str, list[str]] = defaultdict(list)
        for name in modules:
            parts = name.split(".")
            for start in range(1, len(parts)):
                self.by_suffix[".".join(parts[start:])].append(name)

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


# --------------------------------------------------------------------------- queries


def _code_nodes(graph: nx.DiGraph) -> list[str]:
    return sorted(n for n, kind in graph.nodes(data="kind") if kind != VENDOR)


def vendors(graph: nx.DiGraph) -> list[str]:
    return sorted(n[len(VENDOR_PREFIX):] for n, k in graph.nodes(data="kind") if k == VENDOR)


def coupled_modules(graph: nx.DiGraph, vendor: str | None = None) -> list[str]:
    """Paths that couple directly to ``vendor`` (any vendor when None)."""
    targets = [vendor_node(vendor)] if vendor else [vendor_node(v) for v in vendors(graph)]
    found = {src for t in targets if t in graph for src in graph.predecessors(t)}
    return sorted(found)


def importers(graph: nx.DiGraph, path: str) -> list[str]:
    """Modules that import ``path`` directly."""
    return sorted(p for p, _, kind in graph.in_edges(path, data="kind") if kind == IMPORT)


def imports_of(graph: nx.DiGraph, path: str) -> list[str]:
    return sorted(t for _, t, kind in graph.out_edges(path, data="kind") if kind == IMPORT)


def gateways(graph: nx.DiGraph, vendor: str | None = None) -> list[str]:
    """Modules through which the rest of the code reaches a vendor.

    A candidate for vendor V couples to V, is imported by at least one module that
    does not couple to V, and imports no other module that couples to V (the vendor
    stops there). Candidates are gateways only when there are at most
    ``GATEWAY_LIMIT`` of them and they hold at least ``GATEWAY_SHARE`` of V's findings:
    a leaf that happens to be imported once in a codebase that calls V everywhere is
    not a gateway, nor are ten leaves that each call V. With ``vendor`` None: the union
    over all vendors."""
    chosen = [vendor] if vendor else vendors(graph)
    found: set[str] = set()
    for name in chosen:
        node = vendor_node(name)
        coupled = set(coupled_modules(graph, name))
        candidates = {
            path for path in coupled
            if any(u not in coupled for u in importers(graph, path))
            and not coupled & set(imports_of(graph, path))
        }
        total = sum(graph.edges[p, node]["findings"] for p in coupled)
        held = sum(graph.edges[p, node]["findings"] for p in candidates)
        if 0 < len(candidates) <= GATEWAY_LIMIT and held >= GATEWAY_SHARE * total:
            found |= candidates
    return sorted(found)


def leaks(graph: nx.DiGraph, vendor: str | None = None) -> list[str]:
    """Direct coupling outside the gateway, for vendors that have a gateway."""
    chosen = [vendor] if vendor else vendors(graph)
    found: set[str] = set()
    for name in chosen:
        gates = set(gateways(graph, name))
        if gates:
            found.update(p for p in coupled_modules(graph, name) if p not in gates)
    return sorted(found)


def blast_radius(graph: nx.DiGraph) -> list[str]:
    """Modules a vendor change can reach: coupled ones and every module that imports
    one, directly or transitively."""
    import networkx as nx

    reached: set[str] = set()
    for vendor in vendors(graph):
        reached |= nx.ancestors(graph, vendor_node(vendor))
    return sorted(reached)


def chokepoints(graph: nx.DiGraph) -> list[tuple[str, int]]:
    """Modules every vendor path of other modules goes through, with how many modules
    depend on them that way (dominators towards the vendors), most first."""
    sink = "\0vendors"
    reverse = graph.reverse(copy=True)
    for vendor in vendors(graph):
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
            if graph.nodes[parent].get("kind") != VENDOR:
                dominated[parent] += 1
            parent = idom[parent]
    return sorted(dominated.items(), key=lambda item: (-item[1], item[0]))


@dataclass(frozen=True, slots=True)
class Scatter:
    modules: int
    packages: int


def package_of(graph: nx.DiGraph | None, path: str) -> str:
    if graph is not None and path in graph:
        return str(graph.nodes[path]["package"])
    return _package("", path)


def scatter(graph: nx.DiGraph, paths: Iterable[str] | None = None) -> Scatter:
    """How many files, and top-level packages, hold coupling (or just ``paths``)."""
    chosen = set(coupled_modules(graph) if paths is None else paths)
    return Scatter(len(chosen), len({package_of(graph, p) for p in chosen}))


def summarize_graph(graph: nx.DiGraph) -> GraphSummary:
    return GraphSummary(
        coupled_modules=tuple(coupled_modules(graph)),
        gateways=tuple(gateways(graph)),
        leaks=tuple(leaks(graph)),
        blast_radius=len(blast_radius(graph)),
    )


# --------------------------------------------------------------------------- exports


def to_graphml(graph: nx.DiGraph) -> str:
    import networkx as nx

    buffer = io.BytesIO()
    nx.write_graphml(graph, buffer)
    return buffer.getvalue().decode("utf-8")


def to_json(graph: nx.DiGraph) -> str:
    import networkx as nx

    data = nx.node_link_data(graph, edges="links")
    return json.dumps(data, indent=2, sort_keys=True) + "\n"


def to_dot(graph: nx.DiGraph) -> str:
    """Graphviz DOT with vendors, coupled modules and gateways styled."""
    gates = set(gateways(graph))
    coupled = set(coupled_modules(graph))
    lines = ["digraph lockscan {", "  rankdir=LR;", '  node [shape=box, fontname="Helvetica"];']
    for node, data in sorted(graph.nodes(data=True)):
        style = _dot_style(node, data["kind"], node in gates, node in coupled)
        lines.append(f"  {_dot_id(node)} [label={_dot_id(_label(node, data))}{style}];")
    for src, dst, data in sorted(graph.edges(data=True)):
        attrs = ""
        if data["kind"] == COUPLING:
            attrs = (f' [color="red", label="{data["findings"]} findings", '
                     f'penwidth={1 + min(data["findings"], 10) / 2:g}]')
        lines.append(f"  {_dot_id(src)} -> {_dot_id(dst)}{attrs};")
    lines.append("}")
    return "\n".join(lines) + "\n"


def _dot_style(node: str, kind: str, gate: bool, coupled: bool) -> str:
    if kind == VENDOR:
        return ', shape=ellipse, style=filled, fillcolor="#f4a6a6"'
    if gate:
        return ', style="filled,bold", fillcolor="#a6d8f4"'
    if coupled:
        return ', style=filled, fillcolor="#f9e0a6"'
    return ""


def _dot_id(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _label(node: str, data: dict[str, object]) -> str:
    if data["kind"] == VENDOR:
        return node[len(VENDOR_PREFIX):]
    return str(data["module"] or node)


def to_mermaid(graph: nx.DiGraph) -> str:
    """A Mermaid flowchart (renders in GitHub markdown); ids are n0, n1, … in path order."""
    gates = set(gateways(graph))
    coupled = set(coupled_modules(graph))
    ids = {node: f"n{i}" for i, node in enumerate(sorted(graph.nodes))}
    lines = ["flowchart LR"]
    for node, data in sorted(graph.nodes(data=True)):
        label = _label(node, data).replace('"', "'")
        shape = f'(["{label}"])' if data["kind"] == VENDOR else f'["{label}"]'
        lines.append(f"  {ids[node]}{shape}")
    for src, dst, data in sorted(graph.edges(data=True)):
        arrow = f'-- "{data["findings"]}" -->' if data["kind"] == COUPLING else "-->"
        lines.append(f"  {ids[src]} {arrow} {ids[dst]}")
    lines += ["  classDef vendor fill:#f4a6a6,stroke:#a33",
              "  classDef coupled fill:#f9e0a6,stroke:#a73",
              "  classDef gateway fill:#a6d8f4,stroke:#37a,stroke-width:3px"]
    for cls, members in (("vendor", [n for n, k in graph.nodes(data="kind") if k == VENDOR]),
                         ("coupled", sorted(coupled - gates)), ("gateway", sorted(gates))):
        if members:
            lines.append(f"  class {','.join(ids[m] for m in sorted(members))} {cls}")
    return "\n".join(lines) + "\n"


# The picture: pyvis (vis-network) draws an interactive, self-contained HTML page.
_REMOTE_ASSET = re.compile(r'<(?:link|script)\b[^>]*(?:href|src)="https?://[^"]*"[^>]*>(?:</script>)?')


def to_html(graph: nx.DiGraph, title: str = "lockscan") -> str:
    """An interactive HTML page (pyvis, the ``picture`` extra) with the vis-network
    script inlined, so it opens offline; vendors red, gateways blue, coupled yellow."""
    try:
        from pyvis.network import Network
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise UsageError("--format html needs pyvis; install it with "
                         "`pip install 'lockscan[picture]'`") from exc
    gates = set(gateways(graph))
    coupled = set(coupled_modules(graph))
    net = Network(height="800px", width="100%", directed=True, cdn_resources="in_line",
                  heading=title)
    for node, data in sorted(graph.nodes(data=True)):
        kind = data["kind"]
        color = ("#e06666" if kind == VENDOR else "#6fa8dc" if node in gates
                 else "#f6b26b" if node in coupled else "#d9d9d9")
        role = ("vendor" if kind == VENDOR else "gateway" if node in gates
                else "coupled" if node in coupled else kind)
        net.add_node(node, label=_label(node, data), color=color,
                     shape="ellipse" if kind == VENDOR else "box",
                     title=f"{node} ({role}, {data['lines']} lines)")
    for src, dst, data in sorted(graph.edges(data=True)):
        if data["kind"] == COUPLING:
            net.add_edge(src, dst, color="#cc0000", width=1 + min(data["findings"], 10) / 2,
                         title=f"{data['findings']} findings: {data['rules']}")
        else:
            net.add_edge(src, dst, color="#999999")
    # pyvis links Bootstrap from a CDN for its (unused) menus; drop it so the page
    # needs no network.
    return _REMOTE_ASSET.sub("", net.generate_html())


EXPORTERS: dict[str, Callable[[nx.DiGraph], str]] = {
    "dot": to_dot,
    "graphml": to_graphml,
    "json": to_json,
    "mermaid": to_mermaid,
    "html": to_html,
}
