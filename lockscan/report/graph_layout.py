"""Where each node of a ``GraphView`` goes in the picture: three columns, left to right.

The modules that import coupled code, then the coupled modules (gateways and leaks among
them), then the vendors: every coupling edge joins the two right-hand columns, every
import edge ends in the middle one, so no edge passes behind a box. Within a column,
boxes are ordered by the mean position of their neighbours in the next column (the
barycentre heuristic of layered layouts), swept a few times both ways, which keeps most
edges from crossing; ties go by id, so a view always gives the same picture. Imports
between two coupled modules are drawn as arcs left of the middle column.

Sizes are in CSS pixels, for labels in a 12 px monospace font.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from lockscan.report.graph_view import IMPORTER, VENDOR_NODE, GraphView

MAX_LABEL = 44  # characters; longer labels keep their end ("…/models/openai/chat.py")
CHAR_WIDTH = 7.3
NODE_HEIGHT = 22
ROW = 30  # vertical distance between the boxes of a column
GAP = 120  # horizontal space between columns, for the edges
ARC_ROOM = 60  # left of the middle column, for the arcs of imports inside it
PAD = 12  # inside a box, each side of its label
MARGIN = 16
SWEEPS = 4


@dataclass(frozen=True, slots=True)
class Placed:
    id: str
    label: str  # shortened to MAX_LABEL
    column: int  # 0 importers, 1 coupled modules, 2 vendors
    x: float
    y: float
    width: float
    height: float = NODE_HEIGHT


@dataclass(frozen=True, slots=True)
class Layout:
    nodes: tuple[Placed, ...]
    width: float
    height: float


def short_label(label: str, limit: int = MAX_LABEL) -> str:
    return label if len(label) <= limit else "…" + label[len(label) - limit + 1:]


def column_of(kind: str) -> int:
    return 0 if kind == IMPORTER else 2 if kind == VENDOR_NODE else 1


def order(view: GraphView) -> list[list[str]]:
    """Node ids per column (importers, coupled modules, vendors), top to bottom."""
    columns: list[list[str]] = [[], [], []]
    for node in view.nodes:
        columns[column_of(node.kind)].append(node.id)
    findings = {n.id: n.findings for n in view.nodes}
    columns[2].sort(key=lambda i: (-findings[i], i))
    neighbours: dict[str, set[str]] = defaultdict(set)
    for edge in view.edges:
        neighbours[edge.source].add(edge.target)
        neighbours[edge.target].add(edge.source)
    position: dict[str, float] = {}

    def place(index: int) -> None:
        ids = columns[index]
        position.update((i, (k + 0.5) / len(ids)) for k, i in enumerate(ids))

    def by_neighbours(index: int, towards: int) -> None:
        def key(node: str) -> tuple[float, str]:
            near = [position[n] for n in neighbours[node] if n in position
                    and column_of_id[n] == towards]
            return (sum(near) / len(near) if near else position.get(node, 1.0), node)
        columns[index].sort(key=key)
        place(index)

    column_of_id = {n.id: column_of(n.kind) for n in view.nodes}
    place(2)
    for _ in range(SWEEPS):  # right to left, then back: the vendors follow their modules
        by_neighbours(1, 2)
        by_neighbours(0, 1)
        by_neighbours(1, 0)
        by_neighbours(2, 1)
    by_neighbours(1, 2)
    by_neighbours(0, 1)
    return columns


def layout(view: GraphView) -> Layout:
    """Positions of every node of ``view``; an empty layout for an empty view."""
    if not view.nodes:
        return Layout((), 0, 0)
    labels = {n.id: short_label(n.label) for n in view.nodes}
    columns = order(view)
    tallest = max(len(ids) for ids in columns)
    arcs = has_inner_imports(view)
    placed: list[Placed] = []
    x = float(MARGIN)
    for index, ids in enumerate(columns):
        if not ids:
            continue
        if index == 1 and arcs:
            x += ARC_ROOM
        width = max(len(labels[i]) for i in ids) * CHAR_WIDTH + 2 * PAD
        top = MARGIN + (tallest - len(ids)) * ROW / 2
        placed.extend(Placed(i, labels[i], index, round(x, 1), round(top + k * ROW, 1),
                             round(width, 1)) for k, i in enumerate(ids))
        x += width + GAP
    height = MARGIN * 2 + (tallest - 1) * ROW + NODE_HEIGHT
    return Layout(tuple(sorted(placed, key=lambda p: p.id)), round(x - GAP + MARGIN, 1),
                  float(height))


def has_inner_imports(view: GraphView) -> bool:
    """Whether two coupled modules import one another (drawn as an arc)."""
    column = {n.id: column_of(n.kind) for n in view.nodes}
    return any(column[e.source] == column[e.target] == 1 for e in view.edges)


__all__ = ["Layout", "Placed", "column_of", "has_inner_imports", "layout", "order", "short_label"]
