"""The scoring model's required properties (ARCHITECTURE.md, docs/scoring.md)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

import lockscan.score as score_package
from lockscan.cli import cli
from lockscan.model import Finding
from lockscan.model.config import ScanConfig
from lockscan.pipeline.scan import scan, scan_with_graph
from lockscan.ruleset import load_rules
from tests.support import score_reference as reference
from tests.support.repos import ROOT, SAMPLE_REPOS
from tests.support.score_namespace import S

RULES = load_rules()
POOL = [r for r in RULES.rules if r.id.split(".")[1] in (
    "import", "client", "chat-completion", "tool-schema", "embeddings", "legacy-api",
    "messages", "completion", "response-content", "text-completions")]
PATHS = ["a/x.py", "a/y.py", "b/z.py", "c/w.py", "requirements.txt"]


def finding(rule_id: str, path: str, line: int = 1) -> Finding:
    rule = RULES.get(rule_id)
    assert rule is not None
    return Finding(rule.id, rule.vendor, rule.kind, path, line, 1, line, 2, "m", "s",
                   api=rule.api, via=rule.via)


findings_strategy = st.lists(
    st.tuples(st.sampled_from(POOL), st.sampled_from(PATHS)).map(
        lambda pair: finding(pair[0].id, pair[1])), max_size=12)


@settings(max_examples=150, deadline=None)
@given(findings_strategy, st.sampled_from(POOL), st.sampled_from(PATHS))
def test_monotone_adding_a_site_never_lowers_effort(base, rule, path):
    before = S.score_targets(base, None, RULES)
    after = S.score_targets([*base, finding(rule.id, path, 99)], None, RULES)
    for target, cost in before.items():
        assert after[target].effort >= cost.effort
        assert after[target].index >= cost.index


@settings(max_examples=100, deadline=None)
@given(findings_strategy)
def test_contributors_add_up_to_the_total(items):
    for cost in S.score_targets(items, None, RULES).values():
        assert round(sum(c.effort for c in cost.contributors), 2) == cost.effort
        assert sum(c.findings for c in cost.contributors) <= len(items)
        assert cost.index == S.index_for(cost.effort)
        assert cost.grade == S.grade_for(cost.index)


def test_past_the_cap_contributors_are_summed_and_still_add_up(monkeypatch):
    items = [finding(rule.id, f"pkg{n % 7}/m{n}.py", n) for n, rule in
             enumerate((POOL * 4)[:60])]
    full = S.score_targets(items, None, RULES, ["anthropic"])["anthropic"]
    assert full.omitted is None and len(full.contributors) > 20
    monkeypatch.setattr(score_package, "MAX_CONTRIBUTORS", 20)
    capped = S.score_targets(items, None, RULES, ["anthropic"])["anthropic"]
    assert capped.contributors == full.contributors[:20]  # the largest, in the same order
    rest = full.contributors[20:]
    assert capped.omitted is not None
    assert capped.omitted.contributors == len(rest)
    assert capped.omitted.findings == sum(c.findings for c in rest)
    assert round(sum(c.effort for c in capped.contributors) + capped.omitted.effort, 2) \
        == capped.effort == full.effort


CALL = "    return client.chat.completions.create(model=m, messages=[{'role': 'user', 'content': q}])\n"


def _module(name: str) -> str:
    return f"from openai import OpenAI\nclient = OpenAI()\ndef {name}(q, m):\n{CALL}"


SCATTERED = {"app/__init__.py": "", "web/__init__.py": "",
             **{f"{pkg}/{name}.py": _module(name)
                for pkg, name in (("app", "chat"), ("app", "tag"), ("web", "summary"), ("web", "faq"))}}
GATEWAY = {"app/__init__.py": "", "web/__init__.py": "",
           "app/llm.py": "from openai import OpenAI\nclient = OpenAI()\n"
           + "".join(f"def {n}(q, m):\n{CALL}" for n in ("chat", "tag", "summary", "faq")),
           "app/chat.py": "from app.llm import chat\n", "app/tag.py": "from app.llm import tag\n",
           "web/summary.py": "from app.llm import summary\n", "web/faq.py": "from app.llm import faq\n"}


def test_gateway_moving_scattered_calls_behind_one_module_lowers_effort(scan_tree, tmp_path):
    scattered = scan_tree(SCATTERED)
    for path in SCATTERED:
        (tmp_path / path).unlink()
    gateway = scan_tree(GATEWAY)
    assert len(scattered.findings) == 12 and len(gateway.findings) == 6
    assert gateway.graph.gateways == ("app/llm.py",)
    for target in ("anthropic", "litellm"):
        assert gateway.switch_cost[target].effort < scattered.switch_cost[target].effort
    # Same calls, only the spread differs: 4 calls in 1 file vs 1 call in each of 4 files.
    assert scattered.switch_cost["anthropic"].effort == pytest.approx(
        (4 * 3 + 4 * 1 + 4 * 1) * S.scatter_factor(4, 2))
    assert gateway.switch_cost["anthropic"].effort == 4 * 3 + 1 + 1
    assert scattered.switch_cost["anthropic"].suggestions[0] == (
        "move the 9 coupling sites in 3 modules behind app/chat.py (saves 26 points)")


def test_identity_current_api_of_the_only_vendor_costs_zero(scan_tree):
    result = scan_tree(SCATTERED)
    assert {f.vendor for f in result.findings} == {"openai"}
    cost = result.switch_cost["openai"]
    assert (cost.effort, cost.index, cost.grade, cost.contributors) == (0.0, 0, "A", ())


@pytest.mark.parametrize("rule", [r for r in RULES.rules if r.api not in S.LEGACY_APIS],
                         ids=lambda r: r.id)
def test_identity_every_current_api_rule_is_free_towards_its_own_vendor(rule):
    assert S.effort_for_target(rule, RULES, rule.vendor) == 0


def test_legacy_surfaces_cost_effort_towards_their_own_vendor(scan_tree):
    result = scan_tree({"old.py": """
        import openai
        def ask(q):
            resp = openai.ChatCompletion.create(model=M, messages=[])
            return resp["choices"][0]["message"]["content"]
    """})
    cost = result.switch_cost["openai"]
    assert [(c.rule, c.effort) for c in cost.contributors] == [
        ("openai.legacy-api", 5.0), ("openai.response-content", 1.0)]
    legacy = [r for r in RULES.rules if r.api in S.LEGACY_APIS]
    assert legacy and all(S.effort_for_target(r, RULES, r.vendor) > 0 for r in legacy)


def test_portable_layer_code_scores_near_zero_for_supported_targets(scan_tree):
    files = {f"svc/m{i}.py": "import litellm\n"
             f"def f{i}(q, m):\n    return litellm.completion(model=m, messages=[])\n"
             for i in range(8)}
    result = scan_tree(files)
    assert {f.rule for f in result.findings} == {"litellm.import", "litellm.completion"}
    for target in ("openai", "anthropic"):
        cost = result.switch_cost[target]
        assert cost.effort == 16 * S.PORTABLE_SHARE  # no scatter weight on portable sites
        assert cost.index <= 10 and cost.grade == "A"
    assert result.switch_cost["litellm"].effort == 0


def test_index_curve_is_the_documented_saturating_curve():
    assert S.index_for(0) == 0
    assert S.index_for(S.HALF_EFFORT) == 50
    assert S.index_for(2 * S.HALF_EFFORT) == 75
    assert S.index_for(10_000) == 100
    values = [S.index_for(e) for e in range(0, 1000, 5)]
    assert values == sorted(values)


@pytest.mark.parametrize(("index", "grade"), [
    (0, "A"), (10, "A"), (11, "B"), (25, "B"), (26, "C"), (45, "C"), (46, "D"), (65, "D"),
    (66, "E"), (80, "E"), (81, "F"), (100, "F")])
def test_grade_bands(index, grade):
    assert S.grade_for(index) == grade


def test_scatter_factor():
    assert S.scatter_factor(1, 1) == 1.0
    assert S.scatter_factor(4, 1) == 1.5
    assert S.scatter_factor(16, 4) == 3.0


def test_sample_gateway_app_scores_far_below_the_scattered_chatbot():
    # Targets that differ from the chatbot's OpenAI shape; OpenAI-compatible hosts
    # (groq, together, ...) cost both repos almost nothing, so a ratio says little there.
    # Code structure is what differs: compare the Python findings (the manifests add
    # the same few dependency points to both).
    config = ScanConfig(jobs=1, targets=("anthropic", "litellm", "openai"), kinds=("python",))
    gateway = scan(SAMPLE_REPOS / "gateway_app", config, RULES).switch_cost
    chatbot = scan(SAMPLE_REPOS / "openai_chatbot", config, RULES).switch_cost
    assert sorted(gateway) == sorted(chatbot) == ["anthropic", "litellm", "openai"]
    for target in gateway:
        assert gateway[target].effort * 1.5 < chatbot[target].effort, target
        assert gateway[target].grade <= chatbot[target].grade
    assert chatbot["anthropic"].suggestions[0].startswith(
        "move the 45 coupling sites in 9 modules behind chatbot/structured.py")


def test_target_option_restricts_and_rejects_unknown_targets(tmp_path: Path):
    (tmp_path / "a.py").write_text("import anthropic\n")
    runner = CliRunner()
    result = runner.invoke(cli, ["scan", str(tmp_path), "--format", "json", "--target", "openai",
                                 "-j", "1"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert list(data["switch_cost"]) == ["openai"]
    assert data["switch_cost"]["openai"] == {
        "effort": 1.0, "index": 1, "grade": "A",
        "contributors": [{"path": "a.py", "rule": "anthropic.import", "effort": 1.0, "findings": 1}],
        "suggestions": ["rework the 1 `anthropic.import` finding in a.py (saves 1 point): Import the "
                        "SDK in one gateway module and expose provider-neutral functions (or use "
                        "litellm)."]}
    bad = runner.invoke(cli, ["scan", str(tmp_path), "--target", "nope"])
    assert bad.exit_code == 2


V0 = """
    import openai
    def ask(q):
        resp = openai.ChatCompletion.create(model=M, messages=[])
        return resp["choices"][0]["message"]["content"]
"""
V1 = """
    from openai import OpenAI
    def ask(q):
        resp = OpenAI().chat.completions.create(model=M, messages=[])
        return resp.choices[0].message.content
"""


def _response_reads(cost: S.SwitchCost) -> list[str]:
    return sorted(c.path for c in cost.contributors if c.rule == "openai.response-content")


def test_legacy_reads_count_where_legacy_responses_travel(scan_tree):
    result = scan_tree({
        "old.py": V0,
        "uses_old.py": "import old\ndef f(resp):\n    return resp.choices[0].message.content\n",
        "new.py": V1,
    })
    # The legacy call's own file and a module that imports it read legacy responses;
    # new.py, on the current API and unrelated by imports, does not.
    assert _response_reads(result.switch_cost["openai"]) == ["old.py", "uses_old.py"]
    # Other targets price the same reads by their own rule efforts, unchanged.
    assert _response_reads(result.switch_cost["litellm"]) == []


def test_upgrade_cost_prices_only_the_vendors_own_findings(scan_tree):
    result = scan_tree({"a.py": V0, "b.py": "import anthropic\nanthropic.Anthropic()\n"})
    upgrade = S.upgrade_cost(result.findings, None, RULES, "openai")
    assert {c.path for c in result.switch_cost["openai"].contributors} == {"a.py", "b.py"}
    assert {c.path for c in upgrade.contributors} == {"a.py"}
    assert upgrade.effort < result.switch_cost["openai"].effort


def test_docs_state_the_shipped_curve_bands_and_constants():
    doc = (ROOT / "docs" / "scoring.md").read_text("utf-8")
    assert f"index = round(100 × (1 − 2^(−effort / {S.HALF_EFFORT:g})))" in doc
    lower = 0
    for upper, grade in S.GRADE_BANDS:
        assert f"| {grade} | {lower}–{upper} |" in doc
        lower = upper + 1
    assert (f"1 + {S.MODULE_SCATTER:g} × log2(files) + {S.PACKAGE_SCATTER:g} × log2(packages)"
            in doc)
    assert f"`PORTABLE_SHARE` ({S.PORTABLE_SHARE:g})" in doc


def _priced(items: list[Finding], target: str = "anthropic"):
    layout = S.Layout.of(S.tally(items, RULES), RULES, None)
    costs = S.price(layout.patterns, S.rule_efforts({p.rule for p in layout.patterns}, RULES,
                                                    target), target in S.portable_layers(RULES))
    return costs, layout.packages


def _cents(costs: list[S.Cost], packages) -> int:
    """The total by definition: the scatter counted afresh from what is left."""
    return S.total(costs, S.Spread.of(costs, packages).factor())


@settings(max_examples=100, deadline=None)
@given(findings_strategy, st.data())
def test_fast_savings_equal_rescoring_the_rest(items, data):
    costs, packages = _priced(items)
    spread = S.Spread.of(costs, packages)
    cents = S.total(costs, spread.factor())
    savings = S._Savings(costs, spread, packages, cents)
    for rule in sorted({c.pattern.rule for c in costs}):  # any part of one rule's groups
        members = [c for c in costs if c.pattern.rule == rule]
        removed = data.draw(st.lists(st.sampled_from(members), unique_by=id))
        rest = [c for c in costs if all(c is not r for r in removed)]
        assert savings.without(removed) == cents - _cents(rest, packages)


PATH_POOL = [*PATHS, "a/v.py", "b/u.py", "c/t.ipynb", "setup.py", "config.yaml"]
many_findings = st.lists(
    st.tuples(st.sampled_from(POOL), st.sampled_from(PATH_POOL), st.integers(1, 3)).map(
        lambda t: finding(t[0].id, t[1], t[2])), max_size=40)


@settings(max_examples=150, deadline=None)
@given(many_findings, st.integers(1, 6))
def test_pricing_by_pattern_equals_pricing_every_group(items, cap):
    """The fast path (patterns priced once, sets for the scatter) gives exactly what the
    group-by-group model gives: efforts, contributors under a small cap, suggestions."""
    saved = score_package.MAX_CONTRIBUTORS
    score_package.MAX_CONTRIBUTORS = S.MAX_CONTRIBUTORS = cap
    try:
        assert S.score_targets(items, None, RULES) == reference.score_targets(items, None, RULES)
    finally:
        score_package.MAX_CONTRIBUTORS = S.MAX_CONTRIBUTORS = saved


@pytest.mark.parametrize("repo", sorted(p.name for p in SAMPLE_REPOS.iterdir() if p.is_dir()))
def test_pricing_by_pattern_equals_pricing_every_group_on_sample_repos(repo):
    """Same, with a real import graph: gateways, packages and legacy neighbours."""
    result, graph = scan_with_graph(SAMPLE_REPOS / repo, ScanConfig(jobs=1))
    assert result.switch_cost == reference.score_targets(result.findings, graph, RULES)
