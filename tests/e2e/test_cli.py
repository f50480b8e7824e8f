"""The CLI through click's CliRunner, plus real subprocess runs of the installed command."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.cli import run
from tests.support.repos import ROOT, SAMPLE_REPOS, write_tree


def test_scan_text_report_groups_by_vendor_then_file():
    code, out, _ = run("scan", str(SAMPLE_REPOS / "anthropic_agent"), "-j", "1",
                       "--exclude", "expected.json")
    assert code == 0
    # + requirements.txt, + 4 lifecycle findings (models.*) on the pinned date, + the
    # client streaming.py creates by calling agent.client.make_client(), + 6 response field reads
    assert "8 files (7 Python) · 279 lines · 50 findings" in out
    assert "anthropic (50)" in out
    assert "  agent/loop.py\n" in out
    assert "agent/loop.py:45:12  anthropic.stop-reason  compares an Anthropic stop reason" in out
    assert 'if response.stop_reason == "tool_use":' in out  # the source line


def test_scan_json_to_stdout_and_output_file(tmp_path):
    code, out, _ = run("scan", str(SAMPLE_REPOS / "gateway_app"), "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert data["schema_version"] == 2
    # 19 in the code, 3 dependencies in pyproject.toml, 4 lifecycle findings (models.*)
    assert data["summary"]["findings"] == len(data["findings"]) == 26
    target = tmp_path / "report.json"
    code, out, _ = run("scan", str(SAMPLE_REPOS / "gateway_app"), "--format", "json",
                       "--output", str(target))
    assert code == 0 and out == ""
    assert json.loads(target.read_text()) == data


def test_findings_alone_do_not_fail_the_scan():
    code, _, _ = run("scan", str(SAMPLE_REPOS / "openai_chatbot"), "--format", "json")
    assert code == 0


def test_missing_path_is_exit_2_with_one_line(tmp_path):
    code, out, err = run("scan", str(tmp_path / "nope"))
    assert code == 2
    assert out == ""
    assert err.strip().count("\n") == 0
    assert "nope: path does not exist" in err


def test_unknown_format_is_exit_2():
    code, _, err = run("scan", ".", "--format", "yaml")
    assert code == 2
    assert "Invalid value for '--format'" in err


def test_bad_user_rules_are_exit_2_with_every_error(tmp_path):
    write_tree(tmp_path, {"r/bad.toml": '[vendor]\nid = "x"\n[[rule]]\nid = "x.a"\nkind = "nope"\n'})
    code, _, err = run("scan", str(tmp_path), "--rules", str(tmp_path / "r"))
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) >= 2
    assert all(line.startswith("lockscan: ") and "bad.toml: rule x.a" in line for line in lines)


def test_internal_error_is_exit_3(monkeypatch, tmp_path):
    def boom(*args, **kwargs):
        raise RuntimeError("kaboom")

    monkeypatch.setattr("lockscan.app.scan", boom)
    code, _, err = run("scan", str(tmp_path))
    assert code == 3
    assert "internal error: RuntimeError: kaboom" in err


def test_rules_list_filters_by_vendor_and_kind():
    code, out, _ = run("rules", "--vendor", "anthropic", "--kind", "client")
    assert code == 0
    ids = [line.split()[0] for line in out.splitlines()]
    # Framework wrappers (Agno, LangChain, LlamaIndex, Strands) report the provider behind
    # them as the vendor.
    assert ids == ["agno.model-anthropic", "anthropic.agent-sdk-client", "anthropic.client",
                   "anthropic.cloud-client", "langchain.chat-anthropic",
                   "llamaindex.llm-anthropic", "strands.model-anthropic"]


def test_explain_prints_rule_page_and_unknown_rule_is_exit_2():
    code, out, _ = run("explain", "anthropic.tool-schema")
    assert code == 0
    for heading in ("### What it finds", "### Why it locks you in", "### Example",
                    "### Use instead", "### Effort to switch"):
        assert heading in out
    assert '"input_schema"' in out
    code, _, err = run("explain", "anthropic.nope")
    assert code == 2 and "unknown rule `anthropic.nope`" in err


def test_test_rules_passes_on_bundled_rules():
    code, out, _ = run("test-rules")
    assert code == 0
    assert out.strip().endswith("0 problems")


def test_test_rules_reports_a_wrong_line(tmp_path):
    write_tree(tmp_path, {
        "rules.toml": """
            [vendor]
            id = "acme"
            modules = ["acme"]
            [[rule]]
            id = "acme.import"
            kind = "import"
            message = "imports acme"
            why = "w"
            fix = "f"
            effort = 1
            match.imports = ["acme"]
        """,
        "examples.py": "import os  # expect: acme.import\nimport acme  # ok: acme.import\n",
    })
    code, out, _ = run("test-rules", str(tmp_path), "--no-bundled-rules")
    assert code == 1
    assert "examples.py:1: expected acme.import, not reported" in out
    assert "examples.py:2: reported acme.import, not marked `# expect:`" in out


def test_docs_rules_md_is_up_to_date():
    code, out, _ = run("docs")
    assert code == 0
    committed = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    assert out == committed, "docs/rules.md is stale: run `make docs`"


def _env_without_source_tree() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("PYTHONPATH", None)
    return env


def test_installed_command_runs_as_subprocess(tmp_path):
    """The console script and `python -m lockscan` of the installed package."""
    bindir = Path(sys.executable).parent
    command = [str(bindir / "lockscan"), "scan", str(SAMPLE_REPOS / "gateway_app"),
               "--format", "json"]
    done = subprocess.run(command, capture_output=True, text=True, cwd=tmp_path,
                          env=_env_without_source_tree(), check=False)
    assert done.returncode == 0, done.stderr
    # The console script runs the *installed* package and its bundled rules, which may
    # be another checkout than this one: assert what holds for any rule set.
    report = json.loads(done.stdout)
    assert report["summary"]["findings"] == len(report["findings"]) > 0
    python_paths = {f["path"] for f in report["findings"] if f["path"].endswith(".py")}
    assert python_paths == {"app/llm_gateway.py"}
    done = subprocess.run([sys.executable, "-m", "lockscan", "--version"], capture_output=True,
                          text=True, cwd=tmp_path, check=False)
    assert done.stdout.strip() == "lockscan, version 0.1.0"


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX paths")
def test_wheel_install_finds_bundled_rules_without_source_tree(tmp_path):
    """A non-editable install carries rules/ inside the package."""
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps",
                    "--no-build-isolation", "--target", str(target), str(ROOT)],
                   check=True, capture_output=True)
    probe = (f"import sys; sys.path.insert(0, {str(target)!r}); import lockscan.ruleset.loader as r; "
             "print(r.__file__); print(r.bundled_rules_dir()); print(len(r.load_rules().rules))")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          cwd=tmp_path, env=_env_without_source_tree(), check=True)
    module_file, rules_dir, count = done.stdout.split()
    assert module_file.startswith(str(target))
    assert rules_dir == str(target / "lockscan" / "bundled_rules")
    assert int(count) > 50
    # and the HTML report's template, stylesheet and script (package data)
    page = subprocess.run([sys.executable, "-c", f"import sys; sys.path.insert(0, {str(target)!r}); "
                           "from lockscan.report.html_page import asset; print(asset('base.js')[:60])"],
                          capture_output=True, text=True, cwd=tmp_path, env=_env_without_source_tree(),
                          check=True)
    assert page.stdout.startswith("/* lockscan HTML report")
