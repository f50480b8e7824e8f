"""One self-contained HTML page: the template, the stylesheet and the script from
``assets/`` inlined, and the report's data as JSON in a ``<script type="application/json">``
block that the script draws from. Nothing is fetched when the page opens, and the same
data gives the same bytes (keys sorted, no timestamp).

Also the drawable form of the module graph (``graph_data``), shared by the scan report
and ``lockscan graph --format html``.
"""

from __future__ import annotations

import html
import json
import re
from functools import cache
from importlib.resources import files
from typing import Any

from lockscan import __version__
from lockscan.report.graph_layout import layout
from lockscan.report.graph_view import GraphView

_SLOT = re.compile(r"\{\{(title|version|css|js|data)\}\}")
# The script, in parts run in this order inside one function (assets/page.html).
SCRIPTS = ("base.js", "charts.js", "graph.js", "table.js")


@cache
def asset(name: str) -> str:
    return (files("lockscan.report") / "assets" / name).read_text(encoding="utf-8")


def embedded_json(data: Any) -> str:
    """``data`` as JSON that cannot end its ``<script>`` block early: every ``<`` is
    escaped, so no ``</script>`` or ``<!--`` can appear, whatever the scanned code held."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return text.replace("<", "\\u003c")


def page(title: str, data: dict[str, Any]) -> str:
    """The whole page for ``data`` (``title``, ``root`` and the sections the script draws)."""
    values = {"title": html.escape(title), "version": __version__, "css": asset("report.css"),
              "js": "\n".join(asset(name) for name in SCRIPTS),
              "data": embedded_json({**data, "version": __version__})}
    # One pass, so a placeholder inside the data or the assets is never filled in.
    return _SLOT.sub(lambda m: values[m.group(1)], asset("page.html"))


def graph_data(view: GraphView, table: bool = True) -> dict[str, Any]:
    """The view laid out: nodes with their boxes, edges, the picture's size, and a note
    saying what is drawn."""
    drawn = layout(view)
    placed = {p.id: p for p in drawn.nodes}
    nodes = []
    for n in view.nodes:
        box = placed[n.id]
        nodes.append({"id": n.id, "label": n.label, "short": box.label, "kind": n.kind,
                      "path": n.path, "modules": n.modules, "findings": n.findings,
                      "leaks": n.leaks, "column": box.column, "x": box.x, "y": box.y,
                      "w": box.width, "h": box.height})
    edges = [{"source": e.source, "target": e.target, "kind": e.kind, "findings": e.findings}
             for e in view.edges]
    return {"nodes": nodes, "edges": edges, "width": drawn.width, "height": drawn.height,
            "note": graph_note(view, table)}


def graph_note(view: GraphView, table: bool = True) -> str:
    """What the picture shows; ``table``: the page has a findings table a click fills."""
    if not view.nodes:
        return ""
    vendors = sum(1 for n in view.nodes if n.kind == "vendor")
    users = (f" and the {_count(view.importers, 'module')} that import one" if view.importers
             else "")
    text = (f"The vendors ({vendors}), the {_count(view.coupled, 'module')} coupled to them"
            f"{users}; edges run from a module to what it uses. Hover a box to follow its edges"
            + (", click it to list its findings." if table else "."))
    if view.merged:
        text += (" Folders are merged into one box each to keep the picture readable; "
                 "`lockscan graph --format json` has every module.")
    return text


def _count(n: int, word: str) -> str:
    return f"{n:,} {word}{'s' * (n != 1)}"


__all__ = ["asset", "embedded_json", "graph_data", "graph_note", "page"]
