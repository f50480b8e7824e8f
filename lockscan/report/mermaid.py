"""The one Mermaid renderer: `lockscan graph --format mermaid` and the PR comment's graph.

A picture is a list of boxes and arrows (``Picture``), made from the module graph
(``graph_picture``: the coupled modules and their importers, or everything) or from a
diff's findings (``findings_picture``: the touched modules and their vendors), and
written by ``render``. A flowchart that GitHub will not draw is no picture, so
``fit`` collapses modules into their packages, level by level, until it is under
Mermaid's limits (``MAX_TEXT`` characters, ``MAX_EDGES`` arrows), and past that keeps
the most coupled packages and says how many it left out.

Vendors are red, gateways blue, leaks (coupling past a gateway) orange, other coupled
modules yellow, as in every lockscan picture.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from lockscan.graph import ModuleGraph
from lockscan.graph.module_graph import COUPLING, VENDOR, vendor_node
from lockscan.model import Finding
from lockscan.model.source import module_name

# Mermaid refuses diagrams over 50,000 characters (maxTextSize) or 500 edges (maxEdges),
# GitHub included; a little room is left for a comment's other parts.
MAX_TEXT = 48_000
MAX_EDGES = 500
LABEL = 80  # characters of a label
CLASSES = (("vendor", "fill:#f4a6a6,stroke:#a33"),
           ("coupled", "fill:#f9e0a6,stroke:#a73"),
           ("leak", "fill:#f6b26b,stroke:#a50,stroke-width:2px"),
           ("gateway", "fill:#a6d8f4,stroke:#37a,stroke-width:3px"))


@dataclass(frozen=True, slots=True)
class Box:
    id: str  # a graph node id: a path, a package, or vendor:<id>
    label: str
    role: str  # vendor, gateway, leak, coupled or plain
    group: tuple[str, ...] = ()  # package path, outermost first (empty: never collapsed)


@dataclass(frozen=True, slots=True)
class Arrow:
    source: str
    target: str
    count: int = 0  # findings on a coupling arrow; 0 for an import


@dataclass(frozen=True, slots=True)
class Picture:
    boxes: tuple[Box, ...]
    arrows: tuple[Arrow, ...]
    note: str = ""  # said under the chart: what was collapsed or left out


# --------------------------------------------------------------------------- pictures


def graph_picture(graph: ModuleGraph, everything: bool = False) -> Picture:
    """The coupled modules, the modules that import them, and their vendors (every
    module with ``everything``)."""
    keep = None if everything else set(graph.coupled_with_importers())
    gates, leaks = set(graph.gateways()), set(graph.leaks())
    coupled = set(graph.coupled_modules())
    boxes = []
    for node in graph.nodes():
        if keep is not None and node.kind != VENDOR and node.id not in keep:
            continue
        role = ("vendor" if node.kind == VENDOR else "gateway" if node.id in gates
                else "leak" if node.id in leaks else "coupled" if node.id in coupled else "plain")
        group = () if node.kind == VENDOR else _group(node.module, node.id)
        boxes.append(Box(node.id, node.label, role, group))
    ids = {b.id for b in boxes}
    arrows = tuple(Arrow(e.source, e.target, e.findings if e.kind == COUPLING else 0)
                   for e in graph.edges() if e.source in ids and e.target in ids)
    used = {a.target for a in arrows} | {a.source for a in arrows}
    boxes = [b for b in boxes if b.role != "vendor" or b.id in used]
    return Picture(tuple(boxes), arrows)


def findings_picture(findings: Sequence[Finding], leaks: Iterable[str] = ()) -> Picture:
    """Each module with ``findings`` and the vendors they couple it to, with counts."""
    paths = {f.path for f in findings}
    leaking = set(leaks)
    counts: Counter[tuple[str, str]] = Counter((f.path, f.vendor) for f in findings)
    boxes: dict[str, Box] = {}
    for path in sorted(paths):
        module = module_name(path, paths) if path.endswith(".py") else ""
        boxes[path] = Box(path, module or path, "leak" if path in leaking else "coupled",
                          _group(module, path))
    for vendor in sorted({f.vendor for f in findings}):
        boxes[vendor_node(vendor)] = Box(vendor_node(vendor), vendor, "vendor")
    arrows = tuple(Arrow(path, vendor_node(vendor), count)
                   for (path, vendor), count in sorted(counts.items()))
    return Picture(tuple(boxes.values()), arrows)


def _group(module: str, path: str) -> tuple[str, ...]:
    """The packages a box belongs to, outermost first: ``a.b.c`` -> (a, a.b)."""
    if module:
        parts = module.split(".")
        return tuple(".".join(parts[:i]) for i in range(1, len(parts)))
    folders = path.split("/")[:-1]
    return tuple("/".join(folders[:i]) for i in range(1, len(folders) + 1))


# --------------------------------------------------------------------------- fitting


def fit(picture: Picture, max_text: int = MAX_TEXT, max_edges: int = MAX_EDGES) -> Picture:
    """``picture`` if Mermaid can draw it; else its modules collapsed into packages, one
    level at a time; else the most coupled packages and a note of what was left out."""
    if _fits(picture, max_text, max_edges):
        return picture
    depth = max((len(b.group) for b in picture.boxes), default=0)
    collapsed = picture
    for level in range(depth, 0, -1):
        collapsed = collapse(picture, level)
        if _fits(collapsed, max_text, max_edges):
            return collapsed
    return _trimmed(collapsed, max_text, max_edges)


def collapse(picture: Picture, level: int) -> Picture:
    """Boxes deeper than ``level`` packages merged into their package at that level."""
    into: dict[str, str] = {}
    merged: dict[str, list[Box]] = defaultdict(list)
    for box in picture.boxes:
        key = box.group[level - 1] if len(box.group) >= level else box.id
        into[box.id] = key
        merged[key].append(box)
    boxes = tuple(_merge(key, members) for key, members in merged.items())
    arrows: Counter[tuple[str, str]] = Counter()
    imports: set[tuple[str, str]] = set()
    for arrow in picture.arrows:
        pair = (into[arrow.source], into[arrow.target])
        if pair[0] == pair[1]:
            continue
        if arrow.count:
            arrows[pair] += arrow.count
        else:
            imports.add(pair)
    edges = [Arrow(s, t, n) for (s, t), n in arrows.items()]
    edges += [Arrow(s, t) for s, t in imports if (s, t) not in arrows]
    modules = sum(1 for b in picture.boxes if b.role != "vendor")
    note = (f"{modules} modules drawn as {sum(1 for b in boxes if b.role != 'vendor')} "
            f"packages (depth {level}) to stay within Mermaid's limits")
    return Picture(tuple(sorted(boxes, key=lambda b: b.id)),
                   tuple(sorted(edges, key=lambda a: (a.source, a.target))), note)


_RANK = {"vendor": 0, "gateway": 1, "leak": 2, "coupled": 3, "plain": 4}


def _merge(key: str, members: list[Box]) -> Box:
    if len(members) == 1 and members[0].id == key:
        return members[0]
    role = min((m.role for m in members), key=_RANK.__getitem__)
    group = members[0].group[: members[0].group.index(key)] if key in members[0].group else ()
    return Box(key, f"{key} ({len(members)})", role, group)


def _trimmed(picture: Picture, max_text: int, max_edges: int) -> Picture:
    """The boxes with the most coupling, as many as fit."""
    weight: Counter[str] = Counter()
    for arrow in picture.arrows:
        weight[arrow.source] += arrow.count
    modules = sorted((b for b in picture.boxes if b.role != "vendor"),
                     key=lambda b: (-weight[b.id], b.id))
    low, high = 0, len(modules)
    best = Picture((), (), "")
    while low <= high:  # the most boxes that still fit
        middle = (low + high) // 2
        keep = {b.id for b in modules[:middle]} | {b.id for b in picture.boxes
                                                     if b.role == "vendor"}
        trial = Picture(tuple(b for b in picture.boxes if b.id in keep),
                        tuple(a for a in picture.arrows if a.source in keep and a.target in keep))
        if _fits(trial, max_text, max_edges):
            best, low = trial, middle + 1
        else:
            high = middle - 1
    shown = sum(1 for b in best.boxes if b.role != "vendor")
    return replace(best, note=f"{picture.note}; only the {shown} most coupled of "
                              f"{len(modules)} drawn".lstrip("; "))


def _fits(picture: Picture, max_text: int, max_edges: int) -> bool:
    return len(picture.arrows) <= max_edges and len(render(picture)) <= max_text


# --------------------------------------------------------------------------- text


def render(picture: Picture) -> str:
    """A Mermaid flowchart; box ids are n0, n1, … in the picture's order."""
    ids = {box.id: f"n{i}" for i, box in enumerate(picture.boxes)}
    lines = ["flowchart LR"]
    for box in picture.boxes:
        label = _label(box.label)
        lines.append(f'  {ids[box.id]}(["{label}"])' if box.role == "vendor"
                     else f'  {ids[box.id]}["{label}"]')
    for arrow in picture.arrows:
        link = f"-->|{arrow.count}|" if arrow.count else "-->"
        lines.append(f"  {ids[arrow.source]} {link} {ids[arrow.target]}")
    roles = {role for role in (b.role for b in picture.boxes)}
    for name, style in CLASSES:
        if name in roles:
            lines.append(f"  classDef {name} {style}")
            members = ",".join(ids[b.id] for b in picture.boxes if b.role == name)
            lines.append(f"  class {members} {name}")
    return "\n".join(lines) + "\n"


def _label(text: str) -> str:
    text = " ".join(text.split())
    text = text if len(text) <= LABEL else text[: LABEL - 1] + "…"
    return (text.replace("&", "#amp;").replace('"', "#quot;").replace("<", "#lt;")
            .replace(">", "#gt;").replace("`", "'"))
