"""Exact findings on the sample repos, compared with each repo's expected.json.

Any change in findings shows up as a diff of expected.json to review. To accept a
reviewed change: LOCKSCAN_UPDATE_EXPECTED=1 python -m pytest tests/test_sample_repos.py
"""

from __future__ import annotations

import json
import os

import pytest

from lockscan.model.config import ScanConfig
from lockscan.pipeline.scan import scan
from tests.support.repos import SAMPLE_REPOS

REPOS = sorted(p.name for p in SAMPLE_REPOS.iterdir() if (p / "README.md").is_file())


def findings_of(repo: str, rules, kinds: tuple[str, ...] | None = None) -> list[dict[str, object]]:
    # expected.json is the answer key, not part of the sample: scanning it (a config
    # file full of rule ids and model ids) would feed each update into the next.
    config = ScanConfig(jobs=1, exclude=("expected.json",)) if kinds is None else \
        ScanConfig(jobs=1, kinds=kinds, exclude=("expected.json",))
    result = scan(SAMPLE_REPOS / repo, config, rules)
    return [{"rule": f.rule, "path": f.path, "line": f.line} for f in result.findings]


@pytest.mark.parametrize("repo", REPOS)
def test_sample_repo_findings_match_expected(repo, rules):
    expected_file = SAMPLE_REPOS / repo / "expected.json"
    update = bool(os.environ.get("LOCKSCAN_UPDATE_EXPECTED"))
    if not expected_file.is_file() and not update:
        # A new sample repo lands without expected.json: its findings are generated
        # and reviewed once (LOCKSCAN_UPDATE_EXPECTED=1), not guessed by hand.
        pytest.skip(f"{repo}: no expected.json yet; generate it with LOCKSCAN_UPDATE_EXPECTED=1")
    actual = findings_of(repo, rules)
    if update:
        expected_file.write_text(json.dumps(actual, indent=1) + "\n", encoding="utf-8")
    expected = json.loads(expected_file.read_text(encoding="utf-8"))
    assert actual == expected


def test_no_vendor_repo_has_no_findings(rules):
    assert findings_of("no_vendor", rules) == []


def test_gateway_repo_couples_only_in_the_gateway(rules):
    # The manifest names the SDKs too; in the code, only the gateway does.
    paths = {f["path"] for f in findings_of("gateway_app", rules, kinds=("python",))}
    assert paths == {"app/llm_gateway.py"}
    manifest = {f["rule"] for f in findings_of("gateway_app", rules) if f["path"] == "pyproject.toml"}
    assert manifest == {"openai.dependency", "anthropic.dependency", "litellm.dependency"}


def test_scattered_chatbot_couples_in_many_modules(rules):
    paths = {f["path"] for f in findings_of("openai_chatbot", rules)}
    assert len(paths) >= 8


def test_bedrock_repo_links_the_notebook_to_the_repo_client(rules):
    result = scan(SAMPLE_REPOS / "bedrock_rag", ScanConfig(jobs=1, exclude=("expected.json",)), rules)
    notebook = [(f.cell, f.line, f.rule) for f in result.findings if f.path.endswith(".ipynb")]
    assert notebook == [
        (2, 1, "bedrock.converse"), (2, 5, "bedrock.response-content"),
        (3, 1, "bedrock.converse"), (3, 1, "bedrock.response-field"), (3, 1, "bedrock.model-id"),
        (3, 3, "bedrock.response-content"),
    ]
    local = {f.vendor for f in result.findings
             if f.path == "rag/local.py" and f.rule.startswith("openai.") and f.rule != "openai.import"}
    assert local == {"openai_compatible"}
