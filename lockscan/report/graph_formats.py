"""The module graph as pictures: Graphviz DOT, Mermaid (``lockscan.report.mermaid``), an
HTML page of its coupled part; and as data (GraphML, node-link JSON, written by
``lockscan.graph.export``).

Vendors are red, gateways blue, other coupled modules yellow, everywhere.
"""

from __future__ import annotations

from typing import TextIO

from lockscan.graph import ModuleGraph, Node
from lockscan.graph.export import to_graphml, to_node_link
from lockscan.graph.module_graph import COUPLING, VENDOR
from lockscan.report.base import ReportOptions
from lockscan.report.graph_view import coupled_view
from lockscan.report.html_page import graph_data, page


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


def html(graph: ModuleGraph, stream: TextIO, options: ReportOptions) -> None:
    """The coupled part of the graph as one self-contained page: the picture of the HTML
    scan report (vendors, coupled modules and their importers, folders merged past a few
    dozen boxes), with its legend. Every module is in the other formats."""
    stream.write(page(options.title, {"title": options.title,
                                      "graph": graph_data(coupled_view(graph), table=False)}))


def graphml(graph: ModuleGraph, stream: TextIO, options: ReportOptions) -> None:
    stream.write(to_graphml(graph))


def node_link(graph: ModuleGraph, stream: TextIO, options: ReportOptions) -> None:
    stream.write(to_node_link(graph))
