"""The coverage tables (README and docs/coverage.md) name only rules that exist: a rule
removed or renamed leaves no stale cell behind."""

from __future__ import annotations

import re

from lockscan.ruleset import load_rules
from tests.support.repos import ROOT

# `vendor.rule-id` in backticks; `a/b/c` alternatives (`prompts.self-reference-openai/anthropic`)
# name one rule each.
NAMED = re.compile(r"`([a-z_]+)\.([a-z0-9-]+(?:/[a-z0-9-]+)*)`")


def _named_ids(text: str) -> set[str]:
    ids = set()
    for vendor, rest in NAMED.findall(text):
        first, *others = rest.split("/")
        ids.add(f"{vendor}.{first}")
        stem = first.rsplit("-", 1)[0]
        ids.update(f"{vendor}.{stem}-{other}" for other in others)
    return ids


# Module paths the tables quote, which look like rule ids.
NOT_RULES = {"fireworks.client"}


def test_every_rule_the_coverage_tables_name_exists():
    rules = load_rules()
    known = set(rules.by_id)
    prefixes = {rule_id.split(".", 1)[0] for rule_id in known}
    readme = (ROOT / "README.md").read_text("utf-8")
    coverage = readme[readme.index("## Coverage"):readme.index("## How it works")]
    text = coverage + (ROOT / "docs" / "coverage.md").read_text("utf-8")
    named = {n for n in _named_ids(text) if n.split(".", 1)[0] in prefixes} - NOT_RULES
    assert len(named) >= 20  # the tables were read
    assert sorted(named - known) == []
