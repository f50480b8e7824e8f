"""The GitHub Action's own shell step, run here by bash in a local two-commit repo.

The steps that need GitHub (setup-python, SARIF upload, the comment API call) cannot
run here; the step that produces their inputs can, exactly as action.yml has it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import jsonschema
import yaml

from lockscan.report.markdown_report import MARKER
from tests.support.git import two_commit_repo
from tests.support.repos import ROOT
from tests.support.sarif import SCHEMA

ACTION = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))


def step(step_id: str) -> dict:
    return next(s for s in ACTION["runs"]["steps"] if s.get("id") == step_id)


def shim(bindir: Path) -> None:
    """A `lockscan` on PATH that runs this checkout (what `pip install` gives in CI)."""
    bindir.mkdir()
    script = bindir / "lockscan"
    script.write_text(f'#!/bin/sh\nPYTHONPATH="{ROOT}" exec "{sys.executable}" -m lockscan "$@"\n',
                      encoding="utf-8")
    script.chmod(0o755)


def run_step(repo: Path, tmp_path: Path, base: str, args: str = "") -> tuple[int, dict[str, str]]:
    shim(tmp_path / "bin")
    out_file = tmp_path / "github_output"
    out_file.write_text("", encoding="utf-8")
    env = {
        **os.environ,
        "PATH": f"{tmp_path / 'bin'}{os.pathsep}{os.environ['PATH']}",
        "LOCKSCAN_PATH": ".",
        "LOCKSCAN_BASE": base,
        "LOCKSCAN_ARGS": args,
        "LOCKSCAN_LINK_BASE": "https://github.com/o/r/blob/abc/",
        "LOCKSCAN_OUT": str(tmp_path / "out"),
        "GITHUB_OUTPUT": str(out_file),
    }
    assert set(step("lockscan")["env"]) <= set(env)  # every variable the step reads is set
    done = subprocess.run(["bash", "-c", step("lockscan")["run"]], cwd=repo, env=env,
                          capture_output=True, text=True, timeout=120)
    outputs = dict(line.split("=", 1) for line in out_file.read_text().splitlines())
    return done.returncode, outputs


def test_action_step_writes_comment_and_sarif(tmp_path):
    repo, first, _second = two_commit_repo(tmp_path)
    code, outputs = run_step(repo, tmp_path, first)
    assert code == 0
    assert outputs["exit-code"] == "0"
    comment = Path(outputs["comment-file"]).read_text(encoding="utf-8")
    assert comment.startswith(MARKER + "\n")
    assert ("⚠️ **This change brings in 1 new vendor (anthropic) and couples 1 more module to "
            "a vendor (`app/util.py`).**\n\n1 new finding (anthropic 1)") in comment
    assert ("| `app/util.py` | anthropic | 1 | "
            "[L1](https://github.com/o/r/blob/abc/app/util.py#L1) |") in comment
    sarif = json.loads(Path(outputs["sarif-file"]).read_text(encoding="utf-8"))
    jsonschema.Draft4Validator(SCHEMA).validate(sarif)
    new = [r["ruleId"] for r in sarif["runs"][0]["results"] if r["baselineState"] == "new"]
    assert new == ["anthropic.import"]


def test_action_step_reports_a_policy_failure_as_exit_code_1_output(tmp_path):
    repo, first, _second = two_commit_repo(tmp_path)
    code, outputs = run_step(repo, tmp_path, first, "--allowed-module app.llm")
    assert code == 0  # the step itself succeeds so the comment still gets posted
    assert outputs["exit-code"] == "1"
    comment = Path(outputs["comment-file"]).read_text(encoding="utf-8")
    assert "❌ 1 policy violation (vendor code outside the allowed modules)" in comment
    fail = next(s for s in ACTION["runs"]["steps"] if s.get("name") == "Fail on policy or threshold")
    assert fail["if"] == "inputs.fail == 'true' && steps.lockscan.outputs.exit-code == '1'"


def test_action_step_stops_on_a_usage_error(tmp_path):
    repo, _first, _second = two_commit_repo(tmp_path)
    code, outputs = run_step(repo, tmp_path, "HEAD", "--fail-on bogus")
    assert code == 2
    assert outputs == {}


def test_comment_step_updates_the_comment_that_starts_with_the_marker():
    script = next(s for s in ACTION["runs"]["steps"]
                  if s.get("uses", "").startswith("actions/github-script"))["with"]["script"]
    assert f"const marker = '{MARKER}';" in script
    assert "c.body.startsWith(marker)" in script
    assert "updateComment" in script and "createComment" in script


def test_action_step_judges_a_pull_request_by_the_base_branchs_gate(tmp_path):
    from tests.support.git import commit, git

    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    base = commit(repo, {"pyproject.toml": '[tool.lockscan]\nallowed_modules = ["app.llm"]\n',
                         "app/llm.py": "import openai\n"}, "gateway")
    # The pull request allows its own leak.
    commit(repo, {"pyproject.toml": '[tool.lockscan]\nallowed_modules = ["app"]\n',
                  "app/chat.py": "import openai\n"}, "leak, allowed by itself")
    code, outputs = run_step(repo, tmp_path, base)
    assert (code, outputs["exit-code"]) == (0, "1")
    comment = Path(outputs["comment-file"]).read_text(encoding="utf-8")
    assert ("- [`pyproject.toml#L2`](https://github.com/o/r/blob/abc/pyproject.toml#L2): "
            "`allowed_modules` adds `app`: vendor SDK code there is no longer a policy "
            "violation") in comment
    sarif = json.loads(Path(outputs["sarif-file"]).read_text(encoding="utf-8"))
    assert "lockscan.gate-weakened" in {r["ruleId"] for r in sarif["runs"][0]["results"]}
