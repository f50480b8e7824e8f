"""Findings made from the bundled rules, for the score's tests: no scan needed."""

from __future__ import annotations

from lockscan.model import Finding
from lockscan.ruleset import RuleSet, load_rules

RULES: RuleSet = load_rules()


def finding(rule_id: str, path: str, line: int = 1, *, role: str = "production",
            via: str | None = None, message: str = "m", vendor: str | None = None) -> Finding:
    """A finding of ``rule_id`` as the engine would report it (the rule's own ``via``
    unless one is given, as the value flow would mark it)."""
    rule = RULES.get(rule_id)
    assert rule is not None, rule_id
    return Finding(rule.id, vendor or rule.vendor, rule.kind, path, line, 1, line, 2, message,
                   "s", api=rule.api, via=via if via is not None else rule.via, role=role)
