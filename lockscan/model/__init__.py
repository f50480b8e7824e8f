"""Plain, frozen records passed between the layers: per-file facts, scan results, the
scan configuration. Every stage takes and returns these, so each can be tested alone.
"""

from lockscan.model.config import ScanConfig, default_jobs
from lockscan.model.facts import (
    CALL_KINDS,
    CONFIDENCES,
    KINDS,
    ROLES,
    Diagnostic,
    FileFacts,
    Finding,
    ImportRef,
)
from lockscan.model.models import STATUSES, LicenceInfo, Lifecycle, ModelReport, ModelSite, ModelUse
from lockscan.model.result import (
    SCHEMA_VERSION,
    Contributor,
    GraphSummary,
    Leave,
    Omitted,
    PolicyReport,
    PolicyViolation,
    ScanResult,
    SourceCost,
    Summary,
    SwitchCost,
)
from lockscan.model.sites import (
    AssignFact,
    CallSite,
    ChainSite,
    ClientEnvFact,
    CompareSite,
    DeferredSite,
    DependencyFact,
    DictFact,
    EnvNameFact,
    Fact,
    ImportFact,
    KeywordSite,
    PromptFact,
    Site,
    StringFact,
    TextValueFact,
)
from lockscan.model.source import FILE_KINDS, FileKind, SourceFile, Span

__all__ = [
    "CALL_KINDS", "CONFIDENCES", "FILE_KINDS", "KINDS", "ROLES", "SCHEMA_VERSION", "STATUSES",
    "AssignFact", "CallSite", "ChainSite", "ClientEnvFact", "CompareSite", "Contributor",
    "DeferredSite", "DependencyFact",
    "Diagnostic", "DictFact", "EnvNameFact", "Fact", "FileFacts", "FileKind", "Finding", "GraphSummary",
    "ImportFact", "ImportRef", "KeywordSite", "Leave", "LicenceInfo", "Lifecycle", "ModelReport", "ModelSite",
    "ModelUse", "Omitted", "PolicyReport", "PolicyViolation", "PromptFact",
    "ScanConfig", "ScanResult", "Site", "SourceCost", "SourceFile", "Span", "StringFact", "Summary",
    "SwitchCost", "TextValueFact", "default_jobs",
]
