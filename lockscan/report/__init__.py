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
)

Reporter = Callable[[ScanResult, TextIO], None]
DiffReporter = Callable[[DiffResult, TextIO], None]

def _text(result: ScanResult, stream: TextIO) -> None:
    # Imported on use: rich costs ~50 ms to import, which a `--format json` run (a
    # pre-commit hook, CI) should not pay.
    from lockscan.report import text_report

    text_report.report(result, stream)


REPORTERS: dict[str, Reporter] = {
    "text": _text,
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
