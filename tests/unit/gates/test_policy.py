"""Gateway policy, fail_on gates, unused ignores, and the documented exit codes."""

from __future__ import annotations

import json

from lockscan.gates.conditions import failures
from lockscan.gates.policy import allowed, check_policy
from lockscan.model import ScanResult, Summary, SwitchCost
from lockscan.model.config import ScanConfig
from lockscan.pipeline.scan import scan
from lockscan.settings import parse_condition
from tests.support.cli import run
from tests.support.repos import write_tree

TREE = {
    "app/__init__.py": "",
    "app/llm.py": "import openai\nclient = openai.OpenAI()\nMODEL = 'gpt-4o'\n",
    "app/chat.py": "import anthropic\n\nanthropic.Anthropic()\n",
    "gateway/vendors/x.py": "import openai\n",
}


def test_allowed_matches_dotted_modules_and_path_globs():
    assert allowed("app/llm.py", "app.llm", ["app.llm"])
    assert allowed("app/llm/openai.py", "app.llm.openai", ["app.llm"])  # submodule
    assert not allowed("app/llm_old.py", "app.llm_old", ["app.llm"])
    assert allowed("app/x/llm.py", "app.x.llm", ["app.*.llm"])
    assert allowed("gateway/vendors/x.py", "gateway.vendors.x", ["gateway/**"])
    assert allowed("svc/gw.py", "svc.gw", ["svc/gw.py"])
    assert not allowed("svc/other.py", "svc.other", ["svc/gw.py"])


def test_policy_violations_are_sdk_coupling_outside_the_gateway(tmp_path, rules):
    write_tree(tmp_path, TREE)
    result = check_policy(scan(tmp_path, ScanConfig(jobs=1), rules), ["app.llm", "gateway/**"])
    assert result.policy is not None
    assert [(v.path, v.line, v.rule, v.module) for v in result.policy.violations] == [
        ("app/chat.py", 1, "anthropic.import", "app.chat"),
        ("app/chat.py", 3, "anthropic.client", "app.chat"),
    ]
    by_print = {f.fingerprint: f for f in result.findings}
    assert all(by_print[v.fingerprint].path == v.path for v in result.policy.violations)


def test_no_allowed_modules_means_no_policy_key(tmp_path, rules):
    write_tree(tmp_path, TREE)
    result = check_policy(scan(tmp_path, ScanConfig(jobs=1), rules), [])
    assert result.policy is None


def test_exit_0_when_policy_holds_and_json_gains_only_a_policy_key(tmp_path):
    write_tree(tmp_path, TREE)
    code, out, err = run("scan", str(tmp_path), "--format", "json", "-j", "1",
                         "--allowed-module", "app", "--allowed-module", "gateway/**")
    assert (code, err) == (0, "")
    data = json.loads(out)
    assert list(data) == ["schema_version", "lockscan_version", "root", "summary", "findings",
                          "switch_cost", "leave", "scoring", "graph", "diagnostics", "policy",
                          "models"]
    assert data["policy"] == {"allowed_modules": ["app", "gateway/**"], "violations": []}


def test_exit_1_on_policy_violation_with_one_line_per_failed_condition(tmp_path):
    write_tree(tmp_path, TREE)
    code, out, err = run("scan", str(tmp_path), "--format", "json", "-j", "1",
                         "--allowed-module", "app.llm", "--fail-on", "policy",
                         "--fail-on", "new")
    assert code == 1
    violations = json.loads(out)["policy"]["violations"]
    assert [(v["path"], v["line"]) for v in violations] == [
        ("app/chat.py", 1), ("app/chat.py", 3), ("gateway/vendors/x.py", 1)]
    assert err.splitlines() == [
        "lockscan: fail_on 'policy': 3 policy violation(s), first app/chat.py:1 "
        "anthropic.import; move vendor code into the allowed modules",
        # 5 coupling findings + models.retiring on 'gpt-4o' (the pinned date)
        "lockscan: fail_on 'new': 7 new finding(s), first app/chat.py:1 anthropic.import; "
        "remove the coupling, suppress it inline or update the baseline",
    ]


def test_text_report_lists_violations(tmp_path):
    write_tree(tmp_path, TREE)
    code, out, _ = run("scan", str(tmp_path), "-j", "1", "--allowed-module", "app.llm",
                       "--allowed-module", "gateway")
    assert code == 1
    assert "policy violations (2): vendor code outside app.llm, gateway" in out
    assert "  app/chat.py:1  anthropic.import  anthropic import outside the allowed modules" in out


def test_exit_2_on_usage_error(tmp_path):
    code, _, err = run("scan", str(tmp_path / "missing"))
    assert code == 2
    assert err.startswith("lockscan: ")


def test_exit_3_on_internal_error(monkeypatch, tmp_path):
    def boom(*args, **kwargs):
        raise RuntimeError("kaput")

    monkeypatch.setattr("lockscan.app.check_policy", boom)
    code, _, err = run("scan", str(tmp_path))
    assert code == 3
    assert err == ("lockscan: internal error: RuntimeError: kaput; please report it with the "
                   "command you ran\n")


def _result(costs: dict[str, tuple[float, int]]) -> ScanResult:
    return ScanResult(
        root=".", summary=Summary(0, 0, 0, 0), findings=(), diagnostics=(),
        switch_cost={t: SwitchCost(t, effort, index, "C", lines=round(effort * 6))
                     for t, (effort, index) in costs.items()},
    )


def test_threshold_conditions_on_hand_built_scores():
    result = _result({"anthropic": (57.0, 62), "google": (12.5, 20)})
    conditions = [parse_condition(t) for t in
                  ("index:anthropic>60", "index:google>60", "effort>12", "effort:openai>0",
                   "lines>100", "lines:google>100")]
    assert failures([c for c in conditions if c], result, ()) == [
        "fail_on 'index:anthropic>60': anthropic index 62 > 60",
        "fail_on 'effort>12': anthropic effort 57 > 12; google effort 12.5 > 12",
        "fail_on 'lines>100': anthropic lines 342 > 100",
    ]


def test_unused_ignores_are_reported_and_can_fail(tmp_path):
    write_tree(tmp_path, {"a.py": (
        "import openai  # lockscan: ignore[openai.import]\n"
        "import json  # lockscan: ignore\n"
        "import anthropic  # lockscan: ignore[openai.import, anthropic.import]\n"
    )})
    code, out, _ = run("scan", str(tmp_path), "--format", "json", "-j", "1")
    assert (code, json.loads(out)["findings"], json.loads(out)["diagnostics"]) == (0, [], [])
    code, out, err = run("scan", str(tmp_path), "--format", "json", "-j", "1",
                         "--report-unused-ignores", "--fail-on", "unused-ignore")
    assert code == 1
    assert json.loads(out)["diagnostics"] == [
        {"path": "a.py", "code": "unused-ignore",
         "message": "line 2: `# lockscan: ignore` for * silences nothing; remove it"},
        {"path": "a.py", "code": "unused-ignore",
         "message": "line 3: `# lockscan: ignore` for openai.import silences nothing; remove it"},
    ]
    assert err == ("lockscan: fail_on 'unused-ignore': 2 unused `# lockscan: ignore` "
                   "comment(s), first a.py\n")
