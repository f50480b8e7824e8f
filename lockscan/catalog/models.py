"""From a scan's ``model_id`` findings to what the model data says about them: the
findings of the lifecycle rules (``match.lifecycle``) and the inventory of every model
the code names. Pure functions of (findings, rules, data, date, window): whichever rules
found the ids, these work on their findings, never on a list of rule ids."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date

from lockscan.catalog.lookup import Catalog, bare_id
from lockscan.catalog.status import lifecycle
from lockscan.model import Finding, Lifecycle, ModelSite, ModelUse
from lockscan.ruleset import RuleSet
from lockscan.ruleset.matchers import LifecycleMatcher
from lockscan.ruleset.model import Rule

Place = tuple[str, int, int, int]  # (path, cell or -1, line, column)


@dataclass(frozen=True, slots=True)
class Named:
    """One model id named at one place, with what the data says of it."""

    finding: Finding  # the model_id finding that named it (the first, by sort order)
    id: str
    lifecycle: Lifecycle


def named_models(findings: Iterable[Finding], rules: RuleSet, catalog: Catalog, as_of: date,
                 window: int) -> list[Named]:
    """Every place a ``model_id`` rule (not a lifecycle rule) named a model, once."""
    seen: set[Place] = set()
    judged: dict[tuple[str, str], Lifecycle] = {}
    out = []
    named_ids = [f for f in findings if f.kind == "model_id" and f.subject]
    for finding in sorted(named_ids, key=lambda f: f.sort_key):
        if _is_lifecycle(rules, finding.rule) or _names_family(rules, finding.rule):
            continue
        if _place(finding) in seen:
            continue
        seen.add(_place(finding))
        key = (finding.vendor, finding.subject)
        if key not in judged:
            match = catalog.find(finding.vendor, finding.subject)
            judged[key] = lifecycle(match, catalog, finding.vendor, as_of, window)
        out.append(Named(finding, bare_id(finding.subject, finding.vendor), judged[key]))
    return out


def lifecycle_findings(named: Sequence[Named], findings: Iterable[Finding], rules: RuleSet,
                       refreshed: str) -> list[Finding]:
    """The findings of the lifecycle rules at the places in ``named`` (not yet
    fingerprinted). ``findings``: every finding of the scan, for the rules' ``unless``."""
    at: dict[Place, set[str]] = {_place(item.finding): set() for item in named}
    for finding in findings:
        rules_here = at.get(_place(finding))
        if rules_here is not None:
            rules_here.add(finding.rule)
    out = []
    for rule in rules.rules:
        if not isinstance(rule.matcher, LifecycleMatcher):
            continue
        matcher = rule.matcher
        for item in named:
            data = _data(matcher.status, item.lifecycle, refreshed)
            if data is None:
                continue
            if any(matcher.silenced_by(other) for other in at.get(_place(item.finding), ())):
                continue
            out.append(_finding(rule, item, data))
    return out


def inventory(named: Sequence[Named], catalog: Catalog) -> tuple[ModelUse, ...]:
    """One entry per (vendor, id), with every place it is named, sorted worst status first."""
    from lockscan.model import STATUSES

    grouped: dict[tuple[str, str], list[Named]] = {}
    for item in named:
        grouped.setdefault((item.finding.vendor, item.id), []).append(item)
    uses = []
    for (vendor, model_id), items in grouped.items():
        sites = tuple(ModelSite(i.finding.path, i.finding.line, i.finding.role, i.finding.rule,
                                i.finding.cell) for i in items)
        written = tuple(sorted({i.finding.subject for i in items} - {model_id}))
        uses.append(ModelUse(model_id, vendor, items[0].lifecycle,
                             catalog.licence_of(model_id), sites, written))
    return tuple(sorted(uses, key=lambda u: (STATUSES.index(u.lifecycle.status), u.vendor, u.id)))


def _data(status: str, life: Lifecycle, refreshed: str) -> str | None:
    """``{data}`` of a lifecycle rule for ``life``, or None when the rule does not apply."""
    successor = f"; successor: `{life.successor}`" if life.successor else ""
    platforms = (" (" + "; ".join(f"{p or 'default'}: {d}" for p, d in life.platforms) + ")"
                 if life.platforms else "")
    if status == "retired" and life.status == "retired":
        return f"on {life.shutdown}{platforms}, so calls to it fail{successor}"
    if status == "retiring" and life.status == "retiring":
        return f"{life.basis.removeprefix('shuts down ')}{successor}"
    if status == "floating" and life.pinned is False and life.status != "retired":
        return f" (now `{life.alias_of}`)" if life.alias_of else \
            (f" of the {life.family} family" if life.family else "")
    if status == "unlisted" and life.status == "unlisted" and life.guess:
        likely = "newer than the data" if life.guess == "newer" else "retired and removed"
        then = f"; its successor: `{life.successor}`" \
            if life.guess == "retired" and life.successor else ""
        return f"(refreshed {refreshed}): more likely {likely}, as {life.basis}{then}"
    return None


def _finding(rule: Rule, item: Named, data: str) -> Finding:
    source = item.finding
    message = rule.message.replace("{match}", item.id).replace("{data}", data)
    return replace(source, rule=rule.id, kind=rule.kind, message=message, api=None, via=None,
                   confidence=_lower(source.confidence, rule.confidence), fingerprint="",
                   subject=item.id)


def _lower(first: str, second: str) -> str:
    order = ("high", "medium", "low")
    return order[max(order.index(first), order.index(second))]


def _names_family(rules: RuleSet, rule_id: str) -> bool:
    """A rule that finds a test for a model family (`family = true`): a prefix names no
    model (the model data would read `meta.llama3` as an unlisted id, guessed retired)."""
    rule = rules.get(rule_id)
    return rule is not None and rule.family


def _is_lifecycle(rules: RuleSet, rule_id: str) -> bool:
    rule = rules.get(rule_id)
    return rule is not None and isinstance(rule.matcher, LifecycleMatcher)


def _place(finding: Finding) -> Place:
    return (finding.path, -1 if finding.cell is None else finding.cell, finding.line,
            finding.column)
