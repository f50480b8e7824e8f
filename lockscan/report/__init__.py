"""Reporters: each formats a ``ScanResult`` and computes nothing.

A reporter is a function ``(result, stream) -> None`` registered by format name.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TextIO

from lockscan.model import ScanResult
from lockscan.report import json_report, text_report

Reporter = Callable[[ScanResult, TextIO], None]

REPORTERS: dict[str, Reporter] = {
    "text": text_report.report,
    "json": json_report.report,
}


def reporter(name: str) -> Reporter:
    return REPORTERS[name]
