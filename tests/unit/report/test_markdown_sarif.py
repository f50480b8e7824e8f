"""The PR comment (markdown) and SARIF 2.1.0, validated against the OASIS schema."""

from __future__ import annotations

import io
import json

import pytest

from lockscan.gates.diff import compare
from lockscan.gates.policy import check_policy
from lockscan.model import Finding, PolicyReport, PolicyViolation, ScanResult, Summary, SwitchCost
from lockscan.model.config import ScanConfig
from lockscan.pipeline.scan import scan
from lockscan.report import formats
from lockscan.report import render as render_report
from lockscan.report.markdown_report import GITHUB_LIMIT, MARKER, render, scan_view
from lockscan.report.sarif_report import to_sarif
from lockscan.score import effort_for_target
from tests.support.cli import run
from tests.support.repos import SAMPLE_REPOS, write_tree
from tests.support.sarif import validate


def _finding(i: int, path: str | None = None, vendor: str = "openai") -> Finding:
    path = path or f"pkg{i % 300}/module_{i}.py"
    return Finding(f"{vendor}.import", vendor, "import", path, i % 500 + 1, 1, i % 500 + 1, 14,
                   f"imports the SDK `{vendor}` | with a pipe <b>", "import openai",
                   fingerprint=f"{i:020d}")


def _result(findings, costs=None, violations=None) -> ScanResult:
    policy = None if violations is None else PolicyReport(("app.llm",), tuple(violations))
    return ScanResult("repo", Summary(1, 1, 1, len(findings)), tuple(findings), (),
                      switch_cost=costs or {}, policy=policy)


def test_diff_comment_has_marker_verdict_table_costs_and_graph():
    base = _result([_finding(1, "app/llm.py")],
                   {"anthropic": SwitchCost("anthropic", 41, 30, "C", lines=41)})
    head = _result([_finding(1, "app/llm.py"), _finding(2, "app/chat.py"),
                    _finding(3, "app/chat.py", "anthropic")],
                   {"anthropic": SwitchCost("anthropic", 57, 44, "D", lines=57)},
                   [PolicyViolation("app/chat.py", 3, "app.chat", "openai.import", "openai",
                                    f"{2:020d}", "outside")])
    buffer = io.StringIO(render_report("diff", "markdown", compare(base, head, "main", None)))
    lines = buffer.getvalue().splitlines()
    assert lines[0] == MARKER
    assert lines[1] == "### lockscan · `main` → `working tree`"
    assert lines[3] == "❌ **This change brings in 1 new vendor (anthropic).**"
    assert lines[5] == ("❌ 1 policy violation (vendor code outside the allowed modules)"
                        " · 2 new findings (anthropic 1, openai 1) · anthropic +16 lines")
    text = buffer.getvalue()
    assert "| `app/chat.py` | anthropic | 1 | [L4](app/chat.py#L4) |" in text
    assert "| `app/chat.py` | openai | 1 | [L3](app/chat.py#L3) |" in text
    assert "| anthropic | ~41 | ~57 | +16 | C → D |" in text
    assert "```mermaid\nflowchart LR\n  n0[\"app.chat\"]\n" in text
    assert "  n0 -->|1| n1\n  n0 -->|1| n2\n" in text
    assert "- [`app/chat.py#L3`](app/chat.py#L3) `openai.import` in `app.chat`" in text
    assert "imports the SDK `openai` \\| with a pipe &lt;b>" in text  # escaped in tables
    assert "app/llm.py" not in text  # unchanged coupling is not in the comment


def test_clean_diff_says_so_in_one_line():
    same = _result([_finding(1)])
    text = render(scan_view(same))  # a scan still lists what it found
    assert "⚠️ **vendor coupling found** · 1 finding (openai 1)" in text
    buffer = io.StringIO(render_report("diff", "markdown", compare(same, same, "main", "HEAD")))
    assert buffer.getvalue() == (f"{MARKER}\n### lockscan · `main` → `HEAD`\n\n"
                                 "✅ **This change adds no vendor coupling.**\n")


@pytest.mark.parametrize("count", [5_000, 20_000])
def test_comment_stays_under_githubs_limit_on_any_input(count):
    findings = [_finding(i) for i in range(count)]
    costs = {f"target{i}": SwitchCost(f"target{i}", i, i, "F", lines=i) for i in range(200)}
    violations = [PolicyViolation(f.path, f.line, "m", f.rule, f.vendor, f.fingerprint, "x")
                  for f in findings]
    base = _result([], {})
    diff = compare(base, _result(findings, costs, violations), "main", None)
    buffer = io.StringIO(render_report("diff", "markdown", diff))
    text = buffer.getvalue()
    assert len(text) < GITHUB_LIMIT
    assert text.count("<details>") == text.count("</details>") == 2  # targets, findings
    assert "more not shown" in text
    assert text.count("```") == 2  # the graph stays one closed block
    assert f"{count} new findings" in text.splitlines()[5]


def test_scan_markdown_of_a_sample_repo(tmp_path):
    code, out, _ = run("scan", str(SAMPLE_REPOS / "openai_chatbot"), "--format", "markdown")
    assert code == 0
    assert out.startswith(MARKER + "\n### lockscan · `")
    assert "⚠️ **vendor coupling found**" in out
    assert "<details><summary>All " in out


def test_sarif_of_a_real_scan_is_valid_sarif_2_1_0(rules):
    result = check_policy(scan(SAMPLE_REPOS / "gateway_app", ScanConfig(jobs=1), rules),
                          ["app.llm_gateway"])
    log = to_sarif(result, rules)
    validate(log)
    run_ = log["runs"][0]
    assert run_["tool"]["driver"]["name"] == "lockscan"
    rule_ids = [r["id"] for r in run_["tool"]["driver"]["rules"]]
    assert rule_ids == sorted({f.rule for f in result.findings})
    assert len(run_["results"]) == len(result.findings)
    first = run_["results"][0]
    finding = result.findings[0]
    assert first["ruleId"] == finding.rule
    assert rule_ids[first["ruleIndex"]] == finding.rule
    assert first["partialFingerprints"] == {"lockscan/v1": finding.fingerprint}
    region = first["locations"][0]["physicalLocation"]["region"]
    assert (region["startLine"], region["startColumn"]) == (finding.line, finding.column)
    assert first["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == finding.path
    rule = rules.get(finding.rule)
    driver_rule = run_["tool"]["driver"]["rules"][first["ruleIndex"]]
    assert driver_rule["properties"]["defaultEffort"] == dict(rule.effort)["default"]
    assert driver_rule["help"]["text"] == f"{rule.why}\n\nUse instead: {rule.fix}"
    levels = {r["level"] for r in run_["results"]}
    assert levels == {"note"}  # everything is inside the gateway


def test_sarif_marks_policy_violations_and_effort_per_target(rules, tmp_path):
    write_tree(tmp_path, {"app/chat.py": "import openai\n"})
    result = check_policy(scan(tmp_path, ScanConfig(jobs=1), rules), ["app.llm"])
    costs = {"anthropic": SwitchCost("anthropic", 1, 1, "A"), "openai": SwitchCost("openai", 0, 0, "A")}
    from dataclasses import replace

    log = to_sarif(replace(result, switch_cost=costs), rules)
    validate(log)
    (only,) = log["runs"][0]["results"]
    assert only["level"] == "warning"
    assert only["properties"]["policyViolation"] is True
    rule = rules.get("openai.import")
    # Effort is the rule's, said once in the driver, never repeated in each result.
    assert "effort" not in only["properties"]
    per_target = log["runs"][0]["tool"]["driver"]["rules"][only["ruleIndex"]]["properties"]
    assert per_target["effortByTarget"] == {
        "anthropic": effort_for_target(rule, rules, "anthropic"),
        "openai": effort_for_target(rule, rules, "openai")}
    assert per_target["effortByTarget"]["openai"] == 0  # OpenAI speaks its own API


def test_sarif_cli_for_scan_and_diff_with_baseline_state(tmp_path):
    from tests.support.git import two_commit_repo

    repo, first, second = two_commit_repo(tmp_path)
    code, out, _ = run("scan", str(repo), "--format", "sarif", "-j", "1")
    assert code == 0
    validate(json.loads(out))
    code, out, _ = run("diff", str(repo), "--base", first, "--head", second, "--format", "sarif",
                       "-j", "1")
    assert code == 0
    log = json.loads(out)
    validate(log)
    states = {(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], r["ruleId"]):
              r["baselineState"] for r in log["runs"][0]["results"]}
    assert states[("app/util.py", "anthropic.import")] == "new"
    assert states[("app/llm.py", "openai.import")] == "unchanged"


def test_every_format_is_registered():
    assert set(formats("diff")) == {"text", "json", "markdown", "sarif"}
    assert set(formats("scan")) == {*formats("diff"), "html", "cyclonedx"}  # scan only


def test_comment_survives_hostile_paths_and_messages():
    findings = [
        Finding(f"v{i % 40}.rule", f"vendor{i % 40}", "call", "d/" * 900 + f"f{i}.py", i + 1, 1,
                i + 1, 2, "line one\nline two | `tick` " * 50, "s", fingerprint=f"{i:020d}")
        for i in range(3_000)
    ]
    diff = compare(_result([]), _result(findings), "b" * 500, "h\n" * 300)
    buffer = io.StringIO(render_report("diff", "markdown", diff))
    text = buffer.getvalue()
    assert len(text) < GITHUB_LIMIT
    table_rows = [line for line in text.splitlines() if line.startswith("| [`")]
    assert table_rows and all(len(row) < 600 for row in table_rows)
    assert all(row.count(" | ") == 2 for row in table_rows)  # no cell broke out of its column


def test_verdict_names_the_three_biggest_score_changes_first():
    def costs(**efforts):
        return {t: SwitchCost(t, e, int(e), "C", lines=int(e)) for t, e in efforts.items()}

    base = _result([], costs(a=10, b=10, c=10, d=10, e=10))
    head = _result([_finding(1)], costs(a=11, b=30, c=10, d=5, e=14.5))
    buffer = io.StringIO(render_report("diff", "markdown", compare(base, head, "main", None)))
    assert buffer.getvalue().splitlines()[5] == (
        "1 new finding (openai 1) · b +20 lines, d −5 lines, e +4 lines")
    assert "| c | ~10 | ~10 | ±0 | C → C |" in buffer.getvalue()
