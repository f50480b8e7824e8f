"""Baseline files: the findings a project has accepted, by fingerprint.

The file is JSON, sorted, one finding per entry with what a reviewer needs to
recognise it (path, rule, the source line) and no line numbers, so an edit
elsewhere in a file changes neither the fingerprints nor the baseline itself.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from typing import Any

from lockscan.errors import ConfigError
from lockscan.model import Finding, ScanResult
from lockscan.model.result import count_findings

BASELINE_VERSION = 1
FORMAT_KEY = "lockscan_baseline"


def baseline_text(findings: Iterable[Finding]) -> str:
    """The baseline file for ``findings``: deterministic, sorted, reviewable."""
    entries = sorted(
        ({"path": f.path, "rule": f.rule, "snippet": f.snippet, "fingerprint": f.fingerprint}
         for f in findings),
        key=lambda e: (e["path"], e["rule"], e["snippet"], e["fingerprint"]),
    )
    data = {FORMAT_KEY: BASELINE_VERSION, "findings": entries}
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def read_baseline(path: Path) -> frozenset[str]:
    """The fingerprints in a baseline file; a bad file is a one-line ``ConfigError``."""
    redo = "regenerate it with `lockscan baseline`"
    try:
        data: Any = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise _bad(path, f"baseline file not found; {redo}") from exc
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise _bad(path, f"cannot read the baseline ({exc}); {redo}") from exc
    if not isinstance(data, dict) or data.get(FORMAT_KEY) != BASELINE_VERSION:
        raise _bad(path, f"not a lockscan baseline (version {BASELINE_VERSION}); {redo}")
    entries = data.get("findings")
    if not isinstance(entries, list) or not all(
            isinstance(e, dict) and isinstance(e.get("fingerprint"), str) for e in entries):
        raise _bad(path, f"`findings` must be a list of objects with a `fingerprint`; {redo}")
    return frozenset(e["fingerprint"] for e in entries)


def baseline_entries(path: Path) -> list[dict[str, Any]]:
    """The entries of a baseline file, each with a ``fingerprint``; none when the file is
    missing or not a baseline (for comparing two revisions' baselines, where a broken
    one is not this command's to refuse)."""
    try:
        data: Any = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return []
    if not isinstance(data, dict) or data.get(FORMAT_KEY) != BASELINE_VERSION:
        return []
    entries = data.get("findings")
    if not isinstance(entries, list):
        return []
    return [e for e in entries if isinstance(e, dict) and isinstance(e.get("fingerprint"), str)]


def apply_baseline(result: ScanResult, accepted: frozenset[str]) -> ScanResult:
    """The result without the findings in the baseline (summary counts follow)."""
    findings = tuple(f for f in result.findings if f.fingerprint not in accepted)
    return replace(result, findings=findings, summary=count_findings(findings, result.summary))


def _bad(path: Path, problem: str) -> ConfigError:
    return ConfigError([(str(path), problem)])
