"""Every output of lockscan: a scan result, a diff between two scans, or the module graph,
each in its formats. One reporter protocol (``base.Reporter``), one registry, and each
reporter's module imported only when its format is asked for (rich alone costs ~50 ms,
which matters for a rescan answered from the cache)."""

from __future__ import annotations

import importlib
import io
from typing import Any, TextIO

from lockscan.report.base import Reporter, ReportOptions

# (what is reported, format) -> "module:function" under lockscan.report
REPORTERS: dict[tuple[str, str], str] = {
    ("scan", "text"): "text_report:report",
    ("scan", "json"): "json_report:report",
    ("scan", "markdown"): "markdown_report:report",
    ("scan", "sarif"): "sarif_report:report",
    ("scan", "html"): "html_report:report",
    ("scan", "cyclonedx"): "cyclonedx:report",
    ("models", "text"): "models_report:text_report",
    ("models", "json"): "models_report:json_report",
    ("diff", "text"): "diff_report:text",
    ("diff", "json"): "diff_report:json_report",
    ("diff", "markdown"): "markdown_report:report_diff",
    ("diff", "sarif"): "diff_report:sarif",
    ("graph", "dot"): "graph_formats:dot",
    ("graph", "graphml"): "graph_formats:graphml",
    ("graph", "json"): "graph_formats:node_link",
    ("graph", "mermaid"): "graph_formats:mermaid",
    ("graph", "html"): "graph_formats:html",
}


def formats(subject: str) -> list[str]:
    """The formats ``subject`` (``scan``, ``models``, ``diff``, ``graph``) can be written in."""
    return [fmt for kind, fmt in REPORTERS if kind == subject]


def reporter(subject: str, fmt: str) -> Reporter:
    module, name = REPORTERS[(subject, fmt)].split(":")
    found: Reporter = getattr(importlib.import_module(f"lockscan.report.{module}"), name)
    return found


def render(subject: str, fmt: str, value: Any, options: ReportOptions | None = None) -> str:
    """``value`` written in ``fmt``, as text."""
    buffer = io.StringIO()
    render_to(subject, fmt, value, buffer, options)
    return buffer.getvalue()


def render_to(subject: str, fmt: str, value: Any, stream: TextIO,
              options: ReportOptions | None = None) -> None:
    """``value`` written in ``fmt`` to ``stream`` (a big scan's report is never one string)."""
    reporter(subject, fmt)(value, stream, options or ReportOptions())


__all__ = ["REPORTERS", "ReportOptions", "Reporter", "formats", "render", "render_to",
           "reporter"]
