"""The graph in the interchange formats networkx writes: GraphML and node-link JSON
(the report layer draws the pictures: DOT, Mermaid, HTML)."""

from __future__ import annotations

import io
import json

from lockscan.graph.module_graph import ModuleGraph


def to_graphml(graph: ModuleGraph) -> str:
    import networkx as nx

    buffer = io.BytesIO()
    nx.write_graphml(graph.networkx(), buffer)
    return buffer.getvalue().decode("utf-8")


def to_node_link(graph: ModuleGraph) -> str:
    import networkx as nx

    data = nx.node_link_data(graph.networkx(), edges="links")
    return json.dumps(data, indent=2, sort_keys=True) + "\n"
