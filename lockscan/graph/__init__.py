"""The repository as a graph of modules, vendors, imports and coupling (``model``), built
from per-file facts (``build``), with the questions asked of it: gateways, leaks,
blast radius, chokepoints, scatter."""

from lockscan.graph.build import build_graph
from lockscan.graph.module_graph import Edge, ModuleGraph, Node, Scatter

__all__ = ["Edge", "ModuleGraph", "Node", "Scatter", "build_graph"]
