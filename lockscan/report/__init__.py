"""Reporters: each formats a ``ScanResult`` (or a ``DiffResult``) and computes nothing.

A reporter is a function ``(result, stream) -> None`` registered by format name.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TextIO

from lockscan.diff import DiffResult
from lockscan.model import ScanResult
from lockscan.report import (
    diff_report,
    json_report,
    markdown_report,
    sarif_report,
    text_report,
)

Reporter = Callable[[ScanResult, TextIO], None]
DiffReporter = Callable[[DiffResult, TextIO], None]

REPORTERS: dict[str, Reporter] = {
    "text": text_report.report,
    "json": json_report.report,
    "markdown": markdown_report.report,
    "sarif": sarif_report.report,
}

DIFF_REPORTERS: dict[str, DiffReporter] = {
    "text": diff_report.text,
    "json": diff_report.json_report,
    "markdown": markdown_report.report_diff,
    "sarif": diff_report.sarif,
}


def reporter(name: str) -> Reporter:
    return REPORTERS[name]
