"""The module graph as pictures: Graphviz DOT, Mermaid (``mermaid``), an interactive HTML page; and
as data (GraphML, node-link JSON, written by ``lockscan.graph.export``).

Vendors are red, gateways blue, other coupled modules yellow, everywhere.
"""

from __future__ import annotations

import re
from typing import TextIO

from lockscan.graph import ModuleGraph, Node
from lockscan.graph.export import to_graphml, to_node_link
from lockscan.graph.model import COUPLING, VENDOR
from lockscan.report.base import MissingExtra, ReportOptions


def dot(graph: ModuleGraph, stream: TextIO, options: ReportOptions) -> None:
    """Graphviz DOT with vendors, coupled modules and gateways styled."""
    gates = set(graph.gateways())
    coupled = set(graph.coupled_modules())
    lines = ["digraph lockscan {", "  rankdir=LR;", '  node [shape=box, fontname="Helvetica"];']
    for node in graph.nodes():
        style = _dot_style(node, node.id in gates, node.id in coupled)
        lines.append(f"  {_dot_id(node.id)} [label={_dot_id(node.label)}{style}];")
    for edge in graph.edges():
        attrs = ""
        if edge.kind == COUPLING:
            attrs = (f' [color="red", label="{edge.findings} findings", '
                     f'penwidth={1 + min(edge.findings, 10) / 2:g}]')
        lines.append(f"  {_dot_id(edge.source)} -> {_dot_id(edge.target)}{attrs};")
    lines.append("}")
    stream.write("\n".join(lines) + "\n")


def _dot_style(node: Node, gate: bool, coupled: bool) -> str:
    if node.kind == VENDOR:
        return ', shape=ellipse, style=filled, fillcolor="#f4a6a6"'
    if gate:
        return ', style="filled,bold", fillcolor="#a6d8f4"'
    if coupled:
        return ', style=filled, fillcolor="#f9e0a6"'
    return ""


def _dot_id(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def mermaid(graph: ModuleGraph, stream: TextIO, options: ReportOptions) -> None:
    """A Mermaid flowchart GitHub can draw (``lockscan.report.mermaid``): the coupled
    modules and their importers (everything with ``options.whole_graph``), collapsed into
    packages when that is still too big."""
    from lockscan.report.mermaid import fit, graph_picture, render

    picture = fit(graph_picture(graph, options.whole_graph))
    stream.write(render(picture))
    if picture.note:
        stream.write(f"%% {picture.note}\n")


# pyvis links Bootstrap from a CDN for its (unused) menus; dropped so the page opens offline.
_REMOTE_ASSET = re.compile(r'<(?:link|script)\b[^>]*(?:href|src)="https?://[^"]*"[^>]*>(?:</script>)?')


def html(graph: ModuleGraph, stream: TextIO, options: ReportOptions) -> None:
    """An interactive HTML page (pyvis, the ``picture`` extra) with the vis-network
    script inlined, so it opens offline."""
    try:
        from pyvis.network import Network
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise MissingExtra("html", "pyvis", "picture") from exc
    gates = set(graph.gateways())
    coupled = set(graph.coupled_modules())
    net = Network(height="800px", width="100%", directed=True, cdn_resources="in_line",
                  heading=options.title)
    for node in graph.nodes():
        color = ("#e06666" if node.kind == VENDOR else "#6fa8dc" if node.id in gates
                 else "#f6b26b" if node.id in coupled else "#d9d9d9")
        role = ("vendor" if node.kind == VENDOR else "gateway" if node.id in gates
                else "coupled" if node.id in coupled else node.kind)
        net.add_node(node.id, label=node.label, color=color,
                     shape="ellipse" if node.kind == VENDOR else "box",
                     title=f"{node.id} ({role}, {node.lines} lines)")
    for edge in graph.edges():
        if edge.kind == COUPLING:
            net.add_edge(edge.source, edge.target, color="#cc0000",
                         width=1 + min(edge.findings, 10) / 2,
                         title=f"{edge.findings} findings: {edge.rules}")
        else:
            net.add_edge(edge.source, edge.target, color="#999999")
    stream.write(_REMOTE_ASSET.sub("", net.generate_html()))


def graphml(graph: ModuleGraph, stream: TextIO, options: ReportOptions) -> None:
    stream.write(to_graphml(graph))


def node_link(graph: ModuleGraph, stream: TextIO, options: ReportOptions) -> None:
    stream.write(to_node_link(graph))
