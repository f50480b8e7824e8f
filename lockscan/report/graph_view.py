"""The coupled part of the module graph, small enough to draw: what the HTML pictures show.

``coupled_view(graph)`` keeps the vendors, the modules coupled to them, and the modules
that import a coupled module (the first ring of the blast radius), with the import and
coupling edges between them. Gateways are always kept as they are; leaks too while there
are few. When more modules remain than a picture can hold, folders are merged into one
node each, splitting the biggest folder first, so a 2,000-module repository becomes a few
dozen nodes named by folder (``libs/agno/models/ · 120 modules``).

The use cases build the view (``lockscan.app``) and hand it to the reporters in
``ReportOptions.graph``; the reporters only lay it out and draw it.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from lockscan.graph import ModuleGraph
from lockscan.graph.module_graph import COUPLING, IMPORT, VENDOR, VENDOR_PREFIX

VENDOR_NODE = "vendor"
GATEWAY = "gateway"
LEAK = "leak"
COUPLED = "coupled"
IMPORTER = "importer"  # imports a coupled module, couples to no vendor itself
KINDS = (VENDOR_NODE, GATEWAY, LEAK, COUPLED, IMPORTER)
MAX_COUPLED_NODES = 36  # coupled modules (or folders of them) drawn
MAX_IMPORTER_NODES = 12  # importers (or folders of them) drawn
MAX_SINGLE_LEAKS = 10  # leaks drawn one by one; past this they are merged like the rest
GROUP_PREFIX = "folder:"


@dataclass(frozen=True, slots=True)
class ViewNode:
    id: str  # a path, vendor:<id>, or folder:<kind>:<folder>/
    label: str
    kind: str  # one of KINDS; a folder takes the kind of its modules
    path: str  # the path, or the folder (ending in /) a folder node merges; "" for vendors
    modules: int = 1  # modules merged into this node (0 for a vendor)
    findings: int = 0  # on its coupling edges
    leaks: int = 0  # leaks among its modules


@dataclass(frozen=True, slots=True)
class ViewEdge:
    source: str
    target: str
    kind: str  # coupling or import
    findings: int = 0  # coupling edges: findings behind them


@dataclass(frozen=True, slots=True)
class GraphView:
    nodes: tuple[ViewNode, ...]
    edges: tuple[ViewEdge, ...]
    coupled: int = 0  # coupled modules in the whole graph
    importers: int = 0  # modules that import a coupled module and couple to no vendor

    @property
    def merged(self) -> bool:
        """Whether folders were merged to fit the picture."""
        return any(node.modules > 1 for node in self.nodes)


def coupled_view(graph: ModuleGraph, max_coupled: int = MAX_COUPLED_NODES,
                 max_importers: int = MAX_IMPORTER_NODES) -> GraphView:
    """The drawable part of ``graph``: vendors, coupled modules and their importers."""
    coupled = graph.coupled_modules()
    coupled_set = set(coupled)
    gates = set(graph.gateways())
    leaks = set(graph.leaks())
    importers = sorted({user for path in coupled for user in graph.importers(path)}
                       - coupled_set)
    findings: Counter[str] = Counter()
    for edge in graph.edges():
        if edge.kind == COUPLING:
            findings[edge.source] += edge.findings
            findings[edge.target] += edge.findings
    single = gates | (leaks if len(leaks) <= MAX_SINGLE_LEAKS else set())
    room = max(max_coupled - len(single), 1)
    owner: dict[str, str] = {}  # module path -> id of the node that draws it
    nodes: list[ViewNode] = []
    for node in graph.nodes():
        if node.kind == VENDOR:
            owner[node.id] = node.id
            nodes.append(ViewNode(node.id, node.id[len(VENDOR_PREFIX):], VENDOR_NODE, "", 0,
                                  findings[node.id]))
    for path in sorted(single):
        owner[path] = path
        nodes.append(ViewNode(path, path, GATEWAY if path in gates else LEAK, path, 1,
                              findings[path], int(path in leaks)))
    rest = [p for p in coupled if p not in single]
    for kind, paths, limit in ((COUPLED, rest, room), (IMPORTER, importers, max_importers)):
        for folder, members in merge_folders(paths, limit):
            node = _node(kind, folder, members, findings, leaks)
            owner.update((member, node.id) for member in members)
            nodes.append(node)
    kinds = {node.id: node.kind for node in nodes}
    return GraphView(tuple(sorted(nodes, key=lambda n: n.id)),
                     _edges(graph, owner, kinds), len(coupled), len(importers))


def _node(kind: str, folder: str, members: list[str], findings: Mapping[str, int],
          leaks: set[str]) -> ViewNode:
    found = sum(findings[m] for m in members)
    leaked = sum(1 for m in members if m in leaks)
    if len(members) == 1 and not folder.endswith("/"):
        return ViewNode(folder, folder, LEAK if leaked else kind, folder, 1, found, leaked)
    label = f"{folder or './'} · {len(members)} modules"
    return ViewNode(f"{GROUP_PREFIX}{kind}:{folder}", label, kind, folder, len(members), found,
                    leaked)


def _edges(graph: ModuleGraph, owner: Mapping[str, str],
           kinds: Mapping[str, str]) -> tuple[ViewEdge, ...]:
    """Edges between drawn nodes: coupling edges summed, import edges of a coupled module
    once each."""
    coupling: dict[tuple[str, str], int] = defaultdict(int)
    imports: set[tuple[str, str]] = set()
    for edge in graph.edges():
        source, target = owner.get(edge.source), owner.get(edge.target)
        if source is None or target is None or source == target:
            continue
        if edge.kind == COUPLING:
            coupling[(source, target)] += edge.findings
        elif edge.kind == IMPORT and kinds[target] != IMPORTER:
            imports.add((source, target))  # imports that lead towards a vendor
    edges = [ViewEdge(s, t, COUPLING, n) for (s, t), n in coupling.items()]
    edges += [ViewEdge(s, t, IMPORT) for s, t in imports if (s, t) not in coupling]
    return tuple(sorted(edges, key=lambda e: (e.source, e.target, e.kind)))


def merge_folders(paths: Iterable[str], limit: int) -> list[tuple[str, list[str]]]:
    """``paths`` in at most ``limit`` groups: (folder ending in ``/``, its paths) or
    (path, [path]). Starts from one group of everything and splits the biggest group into
    its subfolders and files while the count stays within ``limit``; a folder with a single
    subfolder is always split (it adds no group)."""
    groups: list[tuple[str, list[str]]] = [("", sorted(paths))]
    if not groups[0][1]:
        return []
    while True:
        splittable = sorted((g for g in groups if g[0] == "" or g[0].endswith("/")),
                            key=lambda g: (-len(g[1]), g[0]))
        for group in splittable:
            parts = _split(*group)
            if len(groups) - 1 + len(parts) <= limit or len(parts) == 1:
                groups.remove(group)
                groups.extend(parts)
                break
        else:
            return sorted(groups)


def _split(folder: str, members: list[str]) -> list[tuple[str, list[str]]]:
    below: dict[str, list[str]] = defaultdict(list)
    for path in members:
        head, slash, _ = path[len(folder):].partition("/")
        below[folder + head + slash if slash else path].append(path)
    return sorted(below.items())


__all__ = ["COUPLED", "GATEWAY", "IMPORTER", "KINDS", "LEAK", "VENDOR_NODE", "GraphView",
           "ViewEdge", "ViewNode", "coupled_view", "merge_folders"]
