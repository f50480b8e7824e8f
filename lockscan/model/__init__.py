"""Plain, frozen records passed between the layers: per-file facts, scan results, the
scan configuration. Every stage takes and returns these, so each can be tested alone.
"""

from lockscan.model.config import ScanConfig, default_jobs
from lockscan.model.facts import (
    CONFIDENCES,
    FILE_KINDS,
    KINDS,
    CallSite,
    ChainSite,
    CompareSite,
    DeferredSite,
    Diagnostic,
    FileFacts,
    FileKind,
    Finding,
    ImportRef,
    Site,
    SourceFile,
    Span,
)
from lockscan.model.result import (
    SCHEMA_VERSION,
    Contributor,
    GraphSummary,
    Omitted,
    PolicyReport,
    PolicyViolation,
    ScanResult,
    Summary,
    SwitchCost,
)

__all__ = [
    "CONFIDENCES", "FILE_KINDS", "KINDS", "SCHEMA_VERSION", "CallSite", "ChainSite",
    "CompareSite", "Contributor", "DeferredSite", "Diagnostic", "FileFacts", "FileKind",
    "Finding", "GraphSummary", "ImportRef", "Omitted", "PolicyReport", "PolicyViolation",
    "ScanConfig", "ScanResult", "Site", "SourceFile", "Span", "Summary", "SwitchCost",
    "default_jobs",
]
