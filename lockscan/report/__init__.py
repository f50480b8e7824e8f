"""Reporters: each formats a ``ScanResult`` (or a ``DiffResult``) and computes nothing.

A reporter is a function ``(result, stream) -> None`` registered by format name.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from lockscan.gates.diff import DiffResult
    from lockscan.model import ScanResult

Reporter = Callable[["ScanResult", TextIO], None]
DiffReporter = Callable[["DiffResult", TextIO], None]


def _on_use(module: str, name: str) -> Callable[..., None]:
    """The reporter ``name`` of ``lockscan.report.<module>``, imported when first called:
    a scan pays only for its own format (rich alone costs ~50 ms, and the SARIF
    reporter pulls in scoring), which matters for a rescan answered from the cache."""

    def run(result: Any, stream: TextIO, *args: Any, **kwargs: Any) -> None:
        reporter = getattr(importlib.import_module(f"lockscan.report.{module}"), name)
        reporter(result, stream, *args, **kwargs)

    run.__name__ = run.__qualname__ = f"{module}.{name}"
    return run


REPORTERS: dict[str, Reporter] = {
    "text": _on_use("text_report", "report"),
    "json": _on_use("json_report", "report"),
    "markdown": _on_use("markdown_report", "report"),
    "sarif": _on_use("sarif_report", "report"),
}

DIFF_REPORTERS: dict[str, DiffReporter] = {
    "text": _on_use("diff_report", "text"),
    "json": _on_use("diff_report", "json_report"),
    "markdown": _on_use("markdown_report", "report_diff"),
    "sarif": _on_use("diff_report", "sarif"),
}


def reporter(name: str) -> Reporter:
    return REPORTERS[name]
