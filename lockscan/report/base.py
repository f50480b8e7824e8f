"""What every reporter is: a function ``(subject, stream, options) -> None`` that formats
a scan result, a diff or the module graph, and computes nothing."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol, TextIO

from lockscan.errors import MissingExtra

if TYPE_CHECKING:
    from lockscan.report.graph_view import GraphView
    from lockscan.ruleset import RuleSet

__all__ = ["MissingExtra", "ReportOptions", "Reporter"]


@dataclass(frozen=True)
class ReportOptions:
    """What a format may need besides its subject: the rules (SARIF rule help, HTML rule
    pages), the prefix of ``path#Lline`` links (markdown), a page title, the coupled part
    of the module graph, ready to draw (the HTML scan report; ``lockscan.app`` builds it,
    since a scan result keeps only the graph's summary), and whether a graph picture
    draws every module (``graph --all``) or the coupled part only."""

    rules: RuleSet | None = None
    link_base: str = ""
    title: str = "lockscan"
    graph: GraphView | None = None
    whole_graph: bool = False


class Reporter(Protocol):
    def __call__(self, subject: Any, stream: TextIO, options: ReportOptions, /) -> None: ...
