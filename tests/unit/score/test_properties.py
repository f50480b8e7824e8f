"""The score's properties on random findings (docs/scoring.md, "Properties")."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import lockscan.score as score_package
import lockscan.score.cost as score_cost
from lockscan.score import (
    LEGACY_APIS,
    calibration,
    effort_for_target,
    grade_for,
    index_for,
    known_targets,
    part_of,
    portable_layers,
    score,
    score_targets,
)
from tests.support.score_findings import RULES, finding

TARGETS = known_targets(RULES)
LAYERS = portable_layers(RULES)
POOL = sorted(r.id for r in RULES.rules if r.id in {
    "openai.import", "openai.client", "openai.chat-completion", "openai.tool-schema",
    "openai.response-content", "openai.embeddings", "openai.legacy-api", "openai.model-id",
    "anthropic.import", "anthropic.client", "anthropic.messages", "anthropic.tool-schema",
    "anthropic.text-completions", "anthropic.model-id-retired", "google.generate-content",
    "google.legacy-generate", "bedrock.invoke-model", "bedrock.converse", "cohere.client-v1",
    "litellm.import", "litellm.completion", "litellm.model-anthropic", "langchain.chat-openai",
    "mistral.legacy-chat", "groq.chat-completion"})
PATHS = ["a/x.py", "a/y.py", "b/z.py", "c/w.py", "config.yaml", "requirements.txt"]
ROLES = ["production", "production", "test", "example", "data", "config"]


@st.composite
def findings(draw, max_size=14, paths=PATHS):
    out = []
    for n in range(draw(st.integers(0, max_size))):
        path = draw(st.sampled_from(paths))
        role = draw(st.sampled_from(ROLES))
        out.append(finding(draw(st.sampled_from(POOL)), path, n + 1, role=role,
                           message=draw(st.sampled_from(["m1", "m2"]))))
    roles = {f.path: f.role for f in out}  # one role per file, as the pipeline gives it
    return [replace(f, role=roles[f.path]) for f in out]


def everything(items):
    return score(items, None, RULES, score_package.ScoreSettings(tuple(TARGETS)))


@settings(max_examples=120, deadline=None)
@given(findings(), st.sampled_from(POOL), st.sampled_from(PATHS), st.sampled_from(ROLES))
def test_monotone_adding_a_site_never_lowers_a_target_it_does_not_support(base, rule, path, role):
    """More coupling never costs less, except where the new site is evidence of
    portability: a call of the target itself (it is then already supported) or of a
    portable layer (shapes beside it then flow into that layer)."""
    roles = {f.path: f.role for f in base}
    extra = finding(rule, path, 999, role=roles.get(path, role))
    before, after = everything(base).switch_cost, everything([*base, extra]).switch_cost
    for target in TARGETS:
        if extra.vendor == target or RULES.get(rule).via in LAYERS or extra.vendor in LAYERS:
            continue
        assert after[target].effort >= before[target].effort, target
        assert after[target].lines >= before[target].lines, target
        assert after[target].index >= before[target].index, target


@settings(max_examples=100, deadline=None)
@given(findings(max_size=30))
def test_contributors_and_sources_add_up_to_the_row(items):
    for cost in everything(items).switch_cost.values():
        assert round(sum(c.effort for c in cost.contributors), 2) == cost.effort
        assert round(sum(p.effort for p in cost.by_source), 2) == cost.effort
        assert sum(p.lines for p in cost.by_source) == cost.lines
        assert max((p.files for p in cost.by_source), default=0) <= cost.files \
            <= sum(p.files for p in cost.by_source)
        assert cost.lines_low <= cost.lines <= cost.lines_high
        assert (cost.index, cost.grade) == (index_for(cost.lines), grade_for(cost.lines))


@settings(max_examples=60, deadline=None)
@given(findings(max_size=30), st.randoms(use_true_random=False))
def test_deterministic_whatever_the_order_of_the_findings(items, rnd):
    shuffled = list(items)
    rnd.shuffle(shuffled)
    assert everything(items) == everything(shuffled)


def test_past_the_cap_contributors_are_summed_and_still_add_up(monkeypatch):
    items = [finding(rule, f"pkg{n % 7}/m{n}.py", n) for n, rule in enumerate((POOL * 4)[:60])]
    full = score_targets(items, None, RULES, ["anthropic"])["anthropic"]
    assert full.omitted is None and len(full.contributors) > 20
    monkeypatch.setattr(score_cost, "MAX_CONTRIBUTORS", 20)
    capped = score_targets(items, None, RULES, ["anthropic"])["anthropic"]
    assert capped.contributors == full.contributors[:20]
    rest = full.contributors[20:]
    assert capped.omitted is not None
    assert capped.omitted.contributors == len(rest)
    assert capped.omitted.findings == sum(c.findings for c in rest)
    assert round(sum(c.effort for c in capped.contributors) + capped.omitted.effort, 2) \
        == capped.effort == full.effort


CURRENT_OPENAI = ["openai.import", "openai.client", "openai.chat-completion", "openai.tool-schema",
                  "openai.response-content", "openai.embeddings", "openai.model-id"]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(CURRENT_OPENAI), st.sampled_from(PATHS[:4])),
                min_size=1, max_size=12))
def test_identity_and_a_single_vendor_row_is_its_one_part(pairs):
    items = [finding(rule, path, n) for n, (rule, path) in enumerate(pairs)]
    costs = everything(items).switch_cost
    assert (costs["openai"].effort, costs["openai"].lines, costs["openai"].grade) == (0.0, 0, "A")
    for cost in costs.values():
        assert len(cost.by_source) <= 1
        if cost.by_source:
            only = cost.by_source[0]
            assert only.vendor == "openai"
            assert (only.effort, only.lines, only.files) == (cost.effort, cost.lines, cost.files)


@pytest.mark.parametrize("rule", [r for r in RULES.rules if r.api not in LEGACY_APIS],
                         ids=lambda r: r.id)
def test_identity_every_current_api_rule_is_free_towards_its_own_vendor(rule):
    assert effort_for_target(rule, RULES, rule.vendor) == 0


PROVIDERS = sorted({RULES.get(r).vendor for r in POOL if RULES.get(r).via is None} - LAYERS)


@settings(max_examples=80, deadline=None)
@given(findings(), st.sampled_from(PROVIDERS), st.lists(st.integers(0, 30), min_size=1, max_size=6))
def test_another_vendors_code_never_changes_the_first_vendors_part(base, added, picks):
    """Code of another vendor in files of its own leaves every other vendor's part of
    every target as it was: scatter, support and flow are counted per source vendor."""
    own = [r for r in POOL if RULES.get(r).vendor == added]
    extra = [finding(own[n % len(own)], f"zz/w{i}.py", i) for i, n in enumerate(picks)]
    before, after = everything(base).switch_cost, everything([*base, *extra]).switch_cost
    for target in TARGETS:
        for part in before[target].by_source:
            if part.vendor != added:
                assert part_of(after[target], part.vendor) == part, (target, part.vendor)


@pytest.mark.parametrize("role", ["test", "data", "example"])
@settings(max_examples=60, deadline=None)
@given(base=findings(), added=st.lists(st.sampled_from(POOL), min_size=1, max_size=8))
def test_tests_data_and_examples_change_the_estimate_by_at_most_their_fraction(role, base, added):
    """Findings in files of a role cost at most that role's share of what the same
    findings cost in production code (the raw points: production adds scatter)."""
    extra = [finding(r, f"{role}_files/f{n}.py", n, role=role) for n, r in enumerate(added)]
    before, after = everything(base).switch_cost, everything([*base, *extra]).switch_cost
    share = calibration.ROLE_SHARE[role]
    for target in TARGETS:
        raw = sum(max(effort_for_target(RULES.get(f.rule), RULES, target),
                      dict(RULES.get(f.rule).effort)["default"]) for f in extra)
        grown = after[target].effort - before[target].effort
        assert grown <= share * raw + 0.005 * len(extra) + 1e-9, target

