"""`lockscan diff` against real git refs, `lockscan baseline` and `scan --baseline`."""

from __future__ import annotations

import json

from lockscan.gates.diff import compare
from lockscan.model import Finding, ScanResult, Summary, SwitchCost
from lockscan.report.diff_report import cost_line
from tests.support.cli import run
from tests.support.git import two_commit_repo
from tests.support.repos import write_tree


def test_diff_between_two_commits_shows_exactly_the_added_coupling(tmp_path):
    repo, first, second = two_commit_repo(tmp_path)
    code, out, err = run("diff", str(repo), "--base", first, "--head", second,
                         "--format", "json", "-j", "1")
    assert (code, err) == (0, "")
    data = json.loads(out)
    assert [(f["path"], f["line"], f["rule"]) for f in data["added"]] == [
        ("app/util.py", 1, "anthropic.import")]
    assert data["removed"] == []
    assert (data["base"], data["head"]) == (first, second)


def test_diff_of_the_working_tree_and_removed_findings(tmp_path):
    repo, _, second = two_commit_repo(tmp_path)
    (repo / "app" / "util.py").write_text("def helper():\n    return 1\n", encoding="utf-8")
    (repo / "app" / "new.py").write_text("from openai import OpenAI\n", encoding="utf-8")
    code, out, _ = run("diff", str(repo), "--base", second, "-j", "1")
    assert code == 0
    assert out.splitlines()[:3] == [
        f"lockscan diff {second} → working tree: 1 added, 1 removed",
        "+ app/new.py:1:1  openai.import  imports the OpenAI SDK (`openai`)",
        "- app/util.py:1:1  anthropic.import  imports the Anthropic SDK (`anthropic`)",
    ]


def test_diff_fails_on_new_coupling_and_new_policy_violations_only(tmp_path):
    repo, first, second = two_commit_repo(tmp_path)
    code, _, err = run("diff", str(repo), "--base", first, "--head", second, "-j", "1",
                       "--allowed-module", "app.llm", "--fail-on", "policy")
    assert code == 1
    assert err.startswith("lockscan: fail_on 'policy': 1 policy violation(s), first "
                          "app/util.py:1 anthropic.import")
    # A violation already present in the base is not the change's fault.
    code, _, _ = run("diff", str(repo), "--base", second, "--head", second, "-j", "1",
                     "--allowed-module", "app.other", "--fail-on", "policy")
    assert code == 0


def test_diff_of_a_subfolder_and_a_bad_ref(tmp_path):
    repo, first, second = two_commit_repo(tmp_path)
    code, out, _ = run("diff", str(repo / "app"), "--base", first, "--head", second,
                       "--format", "json", "-j", "1")
    assert code == 0
    assert [f["path"] for f in json.loads(out)["added"]] == ["util.py"]
    code, _, err = run("diff", str(repo), "--base", "no-such-ref", "-j", "1")
    assert code == 2
    assert err.startswith("lockscan: no-such-ref: not a commit in ")


def test_diff_outside_a_git_repository_is_a_usage_error(tmp_path):
    code, _, err = run("diff", str(tmp_path), "--base", "HEAD")
    assert code == 2
    assert "not inside a git work tree" in err


def _finding(path: str, line: int, fingerprint: str) -> Finding:
    return Finding("openai.import", "openai", "import", path, line, 1, line, 14, "m", "s",
                   fingerprint=fingerprint)


def _costs(**efforts: tuple[float, int]) -> dict[str, SwitchCost]:
    return {t: SwitchCost(t, e, i, "B", lines=int(e)) for t, (e, i) in efforts.items()}


def test_compare_matches_by_fingerprint_and_computes_cost_deltas():
    base = ScanResult(".", Summary(0, 0, 0, 2), (_finding("a.py", 1, "A"), _finding("b.py", 1, "B")),
                      (), switch_cost=_costs(anthropic=(41.0, 30), google=(10.0, 8)))
    head = ScanResult(".", Summary(0, 0, 0, 2), (_finding("a.py", 9, "A"), _finding("c.py", 1, "C")),
                      (), switch_cost=_costs(anthropic=(57.0, 44), litellm=(2.0, 1)))
    diff = compare(base, head, "main", None)
    assert [f.fingerprint for f in diff.added] == ["C"]
    assert [f.fingerprint for f in diff.removed] == ["B"]
    assert [cost_line(c) for c in diff.costs] == [
        "anthropic: ~41 → ~57 lines, +16", "google: ~10 → ~0 lines, -10",
        "litellm: ~0 → ~2 lines, +2"]
    assert [(c.index_before, c.index_after) for c in diff.costs] == [(30, 44), (8, 0), (0, 1)]


def test_baseline_file_is_sorted_deterministic_and_line_free(tmp_path):
    write_tree(tmp_path, {"b.py": "import openai\n", "a.py": "import anthropic\nimport openai\n"})
    out = tmp_path / "base.json"
    code, _, err = run("baseline", str(tmp_path), "--output", str(out), "-j", "1")
    assert code == 0
    assert err == f"lockscan: wrote 3 findings to {out}\n"
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["lockscan_baseline"] == 1
    assert [(e["path"], e["rule"], e["snippet"]) for e in data["findings"]] == [
        ("a.py", "anthropic.import", "import anthropic"),
        ("a.py", "openai.import", "import openai"),
        ("b.py", "openai.import", "import openai"),
    ]
    assert all(set(e) == {"path", "rule", "snippet", "fingerprint"} for e in data["findings"])
    first = out.read_text(encoding="utf-8")
    run("baseline", str(tmp_path), "--output", str(out), "-j", "2")
    assert out.read_text(encoding="utf-8") == first


def test_scan_with_baseline_reports_only_new_findings_even_after_edits(tmp_path):
    write_tree(tmp_path, {"app.py": "import openai\n\nclient = openai.OpenAI()\n"})
    base = tmp_path / "lockscan-baseline.json"
    run("baseline", str(tmp_path), "--output", str(base), "-j", "1")
    # Edit elsewhere in the file: lines move, a new vendor import appears.
    write_tree(tmp_path, {"app.py": (
        '"""Docs."""\n\nimport sys\nimport openai\nimport anthropic\n\n\n'
        "client = openai.OpenAI()\n")})
    code, out, _ = run("scan", str(tmp_path), "--format", "json", "-j", "1",
                       "--baseline", str(base), "--fail-on", "new")
    assert code == 1
    data = json.loads(out)
    assert [(f["line"], f["rule"]) for f in data["findings"]] == [(5, "anthropic.import")]
    assert data["summary"]["findings"] == 1
    assert data["summary"]["by_vendor"] == {"anthropic": 1}


def test_baseline_from_config_and_a_bad_baseline_file(tmp_path):
    write_tree(tmp_path, {"app.py": "import openai\n"})
    run("baseline", str(tmp_path), "--output", str(tmp_path / "accepted.json"), "-j", "1")
    (tmp_path / "lockscan.toml").write_text('baseline = "accepted.json"\nfail_on = ["new"]\n',
                                            encoding="utf-8")
    code, out, _ = run("scan", str(tmp_path), "--format", "json", "-j", "1")
    assert (code, json.loads(out)["findings"]) == (0, [])
    (tmp_path / "accepted.json").write_text("[]", encoding="utf-8")
    code, _, err = run("scan", str(tmp_path), "-j", "1")
    assert code == 2
    assert err == (f"lockscan: {tmp_path / 'accepted.json'}: not a lockscan baseline (version 1); "
                   "regenerate it with `lockscan baseline`\n")


def test_diff_cost_change_is_the_two_scans_scores_whatever_they_are(tmp_path, rules):
    """Works with the real scorer once it fills switch_cost (and trivially before)."""
    from lockscan.gates.git import materialize
    from lockscan.model.config import ScanConfig
    from lockscan.pipeline.scan import scan

    repo, first, second = two_commit_repo(tmp_path)
    code, out, _ = run("diff", str(repo), "--base", first, "--head", second,
                       "--format", "json", "-j", "1")
    assert code == 0
    data = json.loads(out)["switch_cost"]
    sides = {}
    for name, ref in (("before", first), ("after", second)):
        (tmp_path / name).mkdir()
        materialize(repo, ref, tmp_path / name)
        sides[name] = scan(tmp_path / name, ScanConfig(jobs=1), rules).switch_cost
    assert sorted(data) == sorted(set(sides["before"]) | set(sides["after"]))
    for target, change in data.items():
        before = sides["before"].get(target)
        after = sides["after"].get(target)
        assert change["effort_before"] == (before.effort if before else 0)
        assert change["effort_after"] == (after.effort if after else 0)
        assert change["delta"] == change["effort_after"] - change["effort_before"]
    code, text, _ = run("diff", str(repo), "--base", first, "--head", second, "-j", "1")
    assert ("switch cost (estimated lines to change):" in text) == bool(data)


def test_diff_shows_the_real_score_rising_when_coupling_is_added(tmp_path):
    repo, first, second = two_commit_repo(tmp_path)
    code, out, _ = run("diff", str(repo), "--base", first, "--head", second,
                       "--format", "json", "-j", "1", "--target", "anthropic",
                       "--target", "openai")
    assert code == 0
    cost = json.loads(out)["switch_cost"]
    assert sorted(cost) == ["anthropic", "openai"]
    # The change adds an Anthropic import: moving to OpenAI now costs more; the
    # score never falls when coupling is only added.
    assert cost["openai"]["delta"] > 0
    assert cost["anthropic"]["delta"] >= 0
    code, text, _ = run("diff", str(repo), "--base", first, "--head", second, "-j", "1",
                        "--target", "openai", "--fail-on", "effort:openai>0")
    assert code == 1
    before, after = cost["openai"]["lines_before"], cost["openai"]["lines_after"]
    assert f"  openai: ~{before} → ~{after} lines, +{after - before}" in text


def test_fingerprints_survive_any_edit_elsewhere_in_the_file(tmp_path, rules):
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    from lockscan.model.config import ScanConfig
    from lockscan.pipeline.scan import scan

    coupled = ["import openai", "client = openai.OpenAI()", "import anthropic"]
    filler = st.lists(st.sampled_from(["x = 1", "", "# note", "def f():\n    return 2",
                                       "import json", "y = [1,\n 2]"]), max_size=4)

    def prints(lines: list[str]) -> set[tuple[str, str]]:
        (tmp_path / "m.py").write_text("\n".join(lines) + "\n", encoding="utf-8")
        result = scan(tmp_path, ScanConfig(jobs=1), rules)
        return {(f.rule, f.fingerprint) for f in result.findings}

    before = prints(coupled)
    assert {rule for rule, _ in before} == {"openai.import", "openai.client", "anthropic.import"}

    @settings(max_examples=25, deadline=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(st.lists(filler, min_size=4, max_size=4))
    def check(gaps: list[list[str]]) -> None:
        lines = [*gaps[0], coupled[0], *gaps[1], coupled[1], *gaps[2], coupled[2], *gaps[3]]
        assert prints(lines) == before

    check()


def test_the_baseline_file_itself_is_never_scanned(tmp_path):
    # Once config files are scanned, a JSON baseline quoting `gpt-4o` would otherwise be
    # a finding of its own and the baseline would never settle.
    write_tree(tmp_path, {"app.py": 'import openai\nMODEL = "gpt-4o"\n'})
    base = tmp_path / "lockscan-baseline.json"
    run("baseline", str(tmp_path), "--output", str(base), "-j", "1")
    first = base.read_text(encoding="utf-8")
    run("baseline", str(tmp_path), "--output", str(base), "-j", "1")
    assert base.read_text(encoding="utf-8") == first
    from lockscan.app import _skipping as excluding
    from lockscan.model.config import ScanConfig

    config = excluding(ScanConfig(exclude=("x/**",)), tmp_path, base)
    assert config.exclude == ("x/**", "lockscan-baseline.json")
    (tmp_path / "sub").mkdir()
    assert excluding(config, tmp_path / "sub", base) is config  # outside the root: unchanged
