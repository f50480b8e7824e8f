"""SARIF 2.1.0 for code-scanning dashboards: one run, rules with help, results with
locations, fingerprints and effort. Validated against the OASIS schema in the tests.

Rule help (why / fix / effort) comes from the ``RuleSet`` the scan used; the CLI
passes it, library callers get the bundled rules.
"""

from __future__ import annotations

import json
from collections.abc import Collection
from functools import cache
from typing import Any, TextIO

from lockscan import __version__
from lockscan.model import Finding, ScanResult
from lockscan.report.base import ReportOptions
from lockscan.ruleset import Rule, RuleSet, load_rules
from lockscan.score import effort_for_target

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://pypi.org/project/lockscan/"
FINGERPRINT_KEY = "lockscan/v1"
SRCROOT = "%SRCROOT%"


@cache
def _bundled() -> RuleSet:
    return load_rules()


def to_sarif(result: ScanResult, rules: RuleSet | None = None,
             new: Collection[str] | None = None) -> dict[str, Any]:
    """The SARIF log. ``new`` (fingerprints) marks results as ``baselineState`` new or
    unchanged, for a diff; ``None`` leaves baselineState out."""
    ruleset = rules if rules is not None else _bundled()
    used = sorted({f.rule for f in result.findings})
    index = {rule_id: i for i, rule_id in enumerate(used)}
    violating = {v.fingerprint for v in result.policy.violations} if result.policy else set()
    targets = sorted(result.switch_cost)
    run: dict[str, Any] = {
        "tool": {"driver": {
            "name": "lockscan",
            "version": __version__,
            "semanticVersion": __version__,
            "informationUri": INFORMATION_URI,
            "rules": [_rule(rule_id, ruleset.get(rule_id)) for rule_id in used],
        }},
        "columnKind": "unicodeCodePoints",
        "results": [
            _result(f, index[f.rule], ruleset, f.fingerprint in violating, targets, new)
            for f in result.findings
        ],
    }
    return {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}


def _rule(rule_id: str, rule: Rule | None) -> dict[str, Any]:
    if rule is None:  # a finding from a rule this rule set does not know (should not happen)
        return {"id": rule_id, "shortDescription": {"text": rule_id}}
    effort = dict(rule.effort)
    return {
        "id": rule.id,
        "name": rule.id.replace(".", "/"),
        "shortDescription": {"text": rule.message.replace("{match}", "…").replace("{data}", "")},
        "fullDescription": {"text": rule.why},
        "help": {
            "text": f"{rule.why}\n\nUse instead: {rule.fix}",
            "markdown": f"**Why it locks you in.** {rule.why}\n\n**Use instead.** {rule.fix}",
        },
        "defaultConfiguration": {"level": "note"},
        "properties": {
            "tags": sorted({rule.vendor, rule.kind, "vendor-lock-in"}),
            "vendor": rule.vendor,
            "kind": rule.kind,
            "effort": effort,
        },
    }


def _result(finding: Finding, rule_index: int, ruleset: RuleSet, violation: bool,
            targets: list[str], new: Collection[str] | None) -> dict[str, Any]:
    rule = ruleset.get(finding.rule)
    properties: dict[str, Any] = {
        "vendor": finding.vendor,
        "kind": finding.kind,
        "confidence": finding.confidence,
        "role": finding.role,
        "policyViolation": violation,
    }
    if finding.api:
        properties["api"] = finding.api
    if finding.via:
        properties["via"] = finding.via
    if rule is not None:
        names = targets or [name for name, _ in rule.effort if name != "default"]
        properties["effort"] = {t: effort_for_target(rule, ruleset, t) for t in names}
        properties["defaultEffort"] = dict(rule.effort)["default"]
    region = {
        "startLine": finding.line,
        "startColumn": finding.column,
        "endLine": max(finding.end_line, finding.line),
        "endColumn": max(finding.end_column, 1),
    }
    if finding.snippet:
        region["snippet"] = {"text": finding.snippet}
    out: dict[str, Any] = {
        "ruleId": finding.rule,
        "ruleIndex": rule_index,
        "level": "warning" if violation else "note",
        "message": {"text": finding.message},
        "locations": [{"physicalLocation": {
            "artifactLocation": {"uri": finding.path, "uriBaseId": SRCROOT},
            "region": region,
        }}],
        "partialFingerprints": {FINGERPRINT_KEY: finding.fingerprint},
        "properties": properties,
    }
    if new is not None:
        out["baselineState"] = "new" if finding.fingerprint in new else "unchanged"
    return out


def dumps(result: ScanResult, rules: RuleSet | None = None,
          new: Collection[str] | None = None) -> str:
    return json.dumps(to_sarif(result, rules, new), indent=2, ensure_ascii=False) + "\n"


def report(result: ScanResult, stream: TextIO, options: ReportOptions) -> None:
    stream.write(dumps(result, options.rules))
