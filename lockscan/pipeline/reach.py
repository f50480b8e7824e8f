"""Which vendors a repository reaches, and the mentions that are not coupling.

A model id is coupling where the code can send it: a tokenizer's table of model names,
a price list keyed by model id or the test cases of either, in a repository that never
talks to that vendor, is a mention. A vendor is reached when a finding other than a
model id or a prompt format is that vendor's (an import, client, call, response read,
tool schema, request option, key or dependency), or the vendor of such a finding serves
its models (``serves`` in a vendor's rules: Azure and the portable layers serve any,
Bedrock serves Anthropic's...). Prompt formats are kept when the repository reaches any
vendor: a chat template is written for a model that something serves.

Only what the rules in use can tell is judged: with ``--select openai.model-id`` no
import rule runs, so no model id is dropped for want of an import.

This runs on the whole repository's findings, after linking, so one file's facts (and
the facts cache) never depend on another file.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from lockscan.model import Finding
from lockscan.ruleset import RuleSet

# Kinds that are a mention unless the repository reaches their vendor.
MENTION_KINDS = frozenset({"model_id", "prompt_format"})
ANY = "*"


@dataclass(frozen=True, slots=True)
class Reach:
    reached: frozenset[str]  # vendors whose model ids the code can send ("*": any)
    judged: frozenset[str]  # vendors whose reach the rules in use can tell
    prompts_judged: bool  # every serving vendor is judged: "reaches none" can be told


def reach_of(findings: Iterable[Finding], rules: RuleSet) -> Reach:
    """What ``findings`` (a whole repository's, suppressed ones included: an ignore
    silences a report, not the import) reach, and what ``rules`` can tell."""
    # A finding reaches its vendor and the layer it goes through (``via``: LangChain's
    # ``ChatOpenAI`` is OpenAI's, through LangChain).
    via = {rule.id: rule.via for rule in rules.rules if rule.via}
    direct: set[str] = set()
    for finding in findings:
        if finding.kind not in MENTION_KINDS:
            direct.add(finding.vendor)
            if finding.rule in via:
                direct.add(via[finding.rule])
    serves = {vendor.id: vendor.serves for vendor in rules.vendors}
    reached = set(direct)
    for vendor in direct:
        reached.update(serves.get(vendor, ()))
    looked_for = {name for rule in rules.rules if rule.kind not in MENTION_KINDS
                  for name in (rule.vendor, rule.via) if name}
    servers = [v for v in rules.vendors if v.serves]
    judged = {
        vendor.id for vendor in rules.vendors
        if vendor.id in looked_for and all(
            s.id in looked_for for s in servers if ANY in s.serves or vendor.id in s.serves)
    }
    return Reach(
        reached=frozenset({ANY}) if ANY in reached else frozenset(reached),
        judged=frozenset(judged),
        prompts_judged=bool(servers) and all(s.id in looked_for for s in servers),
    )


def without_mentions(findings: Sequence[Finding], reach: Reach) -> list[Finding]:
    """``findings`` less the model ids of vendors not reached, and less prompt formats
    when none is."""
    if ANY in reach.reached:
        return list(findings)
    return [f for f in findings if f.kind not in MENTION_KINDS or _kept(f, reach)]


def _kept(finding: Finding, reach: Reach) -> bool:
    if finding.kind == "prompt_format":
        return bool(reach.reached) or not reach.prompts_judged
    return finding.vendor in reach.reached or finding.vendor not in reach.judged
