"""The JSON report is the contract of ARCHITECTURE.md: exact keys, order and values."""

from __future__ import annotations

import json

from lockscan.model.config import ScanConfig
from lockscan.pipeline.scan import scan
from lockscan.report.json_report import dumps
from tests.support.repos import write_tree


def test_exact_json_for_a_tiny_repo(tmp_path, rules):
    write_tree(tmp_path, {
        "app/llm.py": "from openai import OpenAI\nclient = OpenAI()\n",
        "broken.py": "import openai\ndef (:\n",
    })
    result = scan(tmp_path, ScanConfig(jobs=1), rules)
    data = json.loads(dumps(result))
    assert list(data) == ["schema_version", "lockscan_version", "root", "summary", "findings",
                          "switch_cost", "leave", "scoring", "graph", "diagnostics"]
    assert data["schema_version"] == 2
    assert data["root"] == str(tmp_path)
    assert data["summary"] == {
        "files": 2, "python_files": 2, "lines": 4, "findings": 2,
        "by_vendor": {"openai": 2}, "by_kind": {"client": 1, "import": 1},
        "by_role": {"production": 2},
    }
    first, second = data["findings"]
    assert first == {
        "rule": "openai.import", "vendor": "openai", "kind": "import", "path": "app/llm.py",
        "line": 1, "column": 1, "end_line": 1, "end_column": 26,
        "message": "imports the OpenAI SDK (`openai`)", "snippet": "from openai import OpenAI",
        "api": "openai-chat", "via": None, "confidence": "high",
        "fingerprint": first["fingerprint"], "role": "production",
    }
    assert len(first["fingerprint"]) == 20
    assert (second["rule"], second["line"], second["column"], second["end_column"]) == (
        "openai.client", 2, 10, 18)
    assert data["diagnostics"] == [{
        "path": "broken.py", "code": "parse-error",
        "message": data["diagnostics"][0]["message"],
    }]
    assert "line 2" in data["diagnostics"][0]["message"]
    # The switch cost: the vendor in use, litellm and the three cheapest others.
    assert "openai" in data["switch_cost"] and "litellm" in data["switch_cost"]
    assert len(data["switch_cost"]) == 5
    litellm = data["switch_cost"]["litellm"]
    assert list(litellm) == ["effort", "index", "grade", "contributors", "suggestions", "lines",
                             "files", "by_source", "supported_by", "data_migrations"]
    per_point = data["scoring"]["lines_per_point"]
    assert litellm["contributors"] == [
        {"path": "app/llm.py", "rule": "openai.client", "effort": 1.0, "findings": 1,
         "lines": round(per_point)},
        {"path": "app/llm.py", "rule": "openai.import", "effort": 1.0, "findings": 1,
         "lines": round(per_point)}]
    assert litellm["lines"]["estimate"] == round(2 * per_point)
    assert litellm["lines"]["low"] <= litellm["lines"]["estimate"] <= litellm["lines"]["high"]
    assert (litellm["files"], litellm["supported_by"], litellm["data_migrations"]) == (1, [], [])
    assert litellm["by_source"] == {"openai": {"effort": 2.0, "lines": litellm["lines"]["estimate"],
                                               "files": 1}}
    assert data["switch_cost"]["openai"]["lines"] == {"estimate": 0, "low": 0, "high": 0}
    assert list(data["leave"]) == ["openai"]
    assert list(data["leave"]["openai"]) == ["target", "effort", "lines", "files", "supported_by",
                                             "contributors", "suggestions"]
    assert data["scoring"]["unit"] == "lines"


def test_output_is_byte_identical_across_runs_and_worker_counts(tmp_path, rules):
    write_tree(tmp_path, {f"m{i}.py": "import openai\nopenai.api_key = K\n" for i in range(80)})
    one = dumps(scan(tmp_path, ScanConfig(jobs=1), rules))
    two = dumps(scan(tmp_path, ScanConfig(jobs=2), rules))
    assert one == two == dumps(scan(tmp_path, ScanConfig(jobs=1), rules))


def test_paths_are_relative_with_forward_slashes_and_findings_sorted(tmp_path, rules):
    write_tree(tmp_path, {"b/z.py": "import anthropic\n", "a/y.py": "import openai\nimport anthropic\n"})
    findings = json.loads(dumps(scan(tmp_path, ScanConfig(jobs=1), rules)))["findings"]
    keys = [(f["path"], f["line"], f["column"], f["rule"]) for f in findings]
    assert keys == sorted(keys)
    assert [f["path"] for f in findings] == ["a/y.py", "a/y.py", "b/z.py"]


def test_secrets_are_redacted(tmp_path, rules):
    key = "sk-proj-" + "A1b2C3d4" * 5
    write_tree(tmp_path, {"k.py": f'KEY = "{key}"\n'})
    text = dumps(scan(tmp_path, ScanConfig(jobs=1), rules))
    assert key not in text
    assert "sk-proj-[REDACTED]" in text


def test_the_streamed_report_has_the_bytes_of_dumps(tmp_path, rules):
    import io
    from dataclasses import replace

    from lockscan.report.base import ReportOptions
    from lockscan.report.json_report import report

    write_tree(tmp_path, {
        "app/llm.py": ('from openai import OpenAI\nclient = OpenAI()\n'
                       'r = client.chat.completions.create(model="gpt-4o", messages=[])\n'
                       'print(r.choices[0].message.content, "é \\" \\\\ \\t ✓")\n'),
        "nb.ipynb": json.dumps({"cells": [{"cell_type": "code", "source": ["import anthropic\n"],
                                           "metadata": {}, "outputs": []}],
                                "metadata": {}, "nbformat": 4, "nbformat_minor": 5}),
    })
    result = scan(tmp_path, ScanConfig(jobs=1), rules)
    assert any(f.cell is not None for f in result.findings)
    assert any(f.kind == "model_id" for f in result.findings)
    odd = replace(result.findings[0], snippet='quote " back\\slash \x01 ☃ \u2028', via=None)
    for variant in (result, replace(result, findings=(odd, *result.findings[1:])),
                    replace(result, findings=())):
        stream = io.StringIO()
        report(variant, stream, ReportOptions())
        assert stream.getvalue() == dumps(variant)
