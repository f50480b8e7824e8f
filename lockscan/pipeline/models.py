"""The last stage of a scan: what the bundled model data says about the models the code
names, on a date. Run by the use cases (``lockscan.app``) on a scan's result, after the
facts and result caches, because a lifecycle status depends on the date and a date is not
a fact of any file: the cache stays valid from one day to the next.

It adds the lifecycle rules' findings (``rules/models/rules.toml``), recounts the
summary, and records the inventory with the date and the data's refresh date. The switch
cost is left as scored: a retired model costs work even to stay, which it does not price.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import replace
from datetime import date, datetime, timezone

from lockscan.catalog import Catalog, parse_day
from lockscan.catalog.models import inventory, lifecycle_findings, named_models
from lockscan.engine.findings import by_position, with_fingerprints
from lockscan.model import Finding, ModelReport, ScanConfig, ScanResult
from lockscan.model.result import count_findings
from lockscan.ruleset import RuleSet


def today() -> date:
    """Today's date in UTC: the default date of a lifecycle status."""
    return datetime.now(timezone.utc).date()


def as_of_date(config: ScanConfig) -> date:
    """The date statuses are computed for: ``config.as_of`` (checked by the settings) or
    today in UTC."""
    return parse_day(config.as_of) if config.as_of else today()


def with_models(result: ScanResult, config: ScanConfig, rules: RuleSet,
                catalog: Catalog | None = None) -> ScanResult:
    """``result`` with the lifecycle findings added and ``models`` filled in."""
    catalog = catalog or Catalog.load()
    rules = rules.select(config.select, config.ignore)
    as_of = as_of_date(config)
    named = named_models(result.findings, rules, catalog, as_of, config.lifecycle_window)
    added = with_fingerprints(lifecycle_findings(named, result.findings, rules, catalog.refreshed))
    findings = _merged(result.findings, added)
    report = ModelReport(as_of.isoformat(), config.lifecycle_window, catalog.refreshed,
                         catalog.data.provenance, inventory(named, catalog))
    return replace(result, findings=findings, summary=count_findings(findings, result.summary),
                   models=report)


def _merged(findings: Sequence[Finding], added: Sequence[Finding]) -> tuple[Finding, ...]:
    """``findings`` (in order) with ``added`` placed as a stable sort of both would place
    them: after their equals. The few lifecycle findings are inserted, not the whole
    list sorted again (a large scan has tens of thousands of findings)."""
    out = list(findings)
    for finding in sorted(added, key=by_position):
        bisect.insort_right(out, finding, key=by_position)
    return tuple(out)
