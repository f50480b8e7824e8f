"""SARIF 2.1.0 for code-scanning dashboards: one run, rules with help, results with
locations and fingerprints. Validated against the OASIS schema in the tests.

What belongs to a rule (vendor, kind, effort per target) is said once, in
``tool.driver.rules[].properties``; a result carries only what is its own (confidence,
role, policy), so a scan of 1,300 findings stays a few hundred kilobytes.

Rule help (why / fix / effort) comes from the ``RuleSet`` the scan used; the CLI
passes it, library callers get the bundled rules.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Collection, Sequence
from functools import cache
from typing import Any, TextIO

from lockscan import __version__
from lockscan.gates.weakening import Weakening
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
             new: Collection[str] | None = None,
             weakenings: Sequence[Weakening] = ()) -> dict[str, Any]:
    """The SARIF log. ``new`` (fingerprints) marks results as ``baselineState`` new or
    unchanged, for a diff; ``None`` leaves baselineState out. ``weakenings``: what a
    diff's change relaxes in its own gate, as warnings of the rule ``GATE_RULE``."""
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
            "rules": [_rule(rule_id, ruleset.get(rule_id), ruleset, targets)
                      for rule_id in used],
        }},
        "columnKind": "unicodeCodePoints",
        "results": [_result(f, index[f.rule], f.fingerprint in violating, new)
                    for f in result.findings],
    }
    if weakenings:
        run["tool"]["driver"]["rules"].append(GATE_RULE)
        run["results"] += [_weakening(w, len(used)) for w in weakenings]
    return {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}


def _rule(rule_id: str, rule: Rule | None, ruleset: RuleSet,
          targets: list[str]) -> dict[str, Any]:
    if rule is None:  # a finding from a rule this rule set does not know (should not happen)
        return {"id": rule_id, "shortDescription": {"text": rule_id}}
    effort = dict(rule.effort)
    names = targets or [name for name, _ in rule.effort if name != "default"]
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
            # Effort points of one finding of this rule for each target the scan priced.
            "effortByTarget": {t: effort_for_target(rule, ruleset, t) for t in names},
            "defaultEffort": effort["default"],
        },
    }


def _result(finding: Finding, rule_index: int, violation: bool,
            new: Collection[str] | None) -> dict[str, Any]:
    properties: dict[str, Any] = {
        "confidence": finding.confidence,
        "role": finding.role,
        "policyViolation": violation,
    }
    if finding.api:
        properties["api"] = finding.api
    if finding.via:
        properties["via"] = finding.via
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


GATE_RULE: dict[str, Any] = {
    "id": "lockscan.gate-weakened",
    "name": "lockscan/gate-weakened",
    "shortDescription": {"text": "the change relaxes the lockscan gate that judges it"},
    "fullDescription": {"text": "A setting of [tool.lockscan], an inline `# lockscan: ignore` "
                                "or a baseline entry that lets more vendor coupling through."},
    "help": {"text": "lockscan diff judged this change by the base revision's settings; once "
                     "merged, this relaxation applies to every later change. Review it like "
                     "a change to the CI configuration.",
             "markdown": "`lockscan diff` judged this change by the base revision's settings; "
                         "once merged, this relaxation applies to every later change. Review "
                         "it like a change to the CI configuration."},
    "defaultConfiguration": {"level": "warning"},
    "properties": {"tags": ["lockscan-gate", "vendor-lock-in"]},
}


def _weakening(w: Weakening, rule_index: int) -> dict[str, Any]:
    location: dict[str, Any] = {"artifactLocation": {"uri": w.path, "uriBaseId": SRCROOT}}
    if w.line:
        location["region"] = {"startLine": w.line}
    return {
        "ruleId": GATE_RULE["id"],
        "ruleIndex": rule_index,
        "level": "warning",
        "message": {"text": w.message},
        "locations": [{"physicalLocation": location}],
        "partialFingerprints": {FINGERPRINT_KEY: _digest(w)},
        "baselineState": "new",
        "properties": {"gate": w.kind, "key": w.key},
    }


def _digest(w: Weakening) -> str:
    return hashlib.sha256(f"{w.kind}\0{w.key}\0{w.path}\0{w.message}".encode()).hexdigest()[:20]


def dumps(result: ScanResult, rules: RuleSet | None = None,
          new: Collection[str] | None = None, weakenings: Sequence[Weakening] = ()) -> str:
    # Compact: a log is read by machines, and indentation doubled its size.
    return json.dumps(to_sarif(result, rules, new, weakenings), separators=(",", ":"),
                      ensure_ascii=False) + "\n"


def report(result: ScanResult, stream: TextIO, options: ReportOptions) -> None:
    stream.write(dumps(result, options.rules))
