"""Exact findings on the sample repos, compared with each repo's expected.json.

Any change in findings shows up as a diff of expected.json to review. To accept a
reviewed change: LOCKSCAN_UPDATE_EXPECTED=1 python -m pytest tests/test_sample_repos.py
"""

from __future__ import annotations

import json
import os

import pytest

from lockscan.config import ScanConfig
from lockscan.scan import scan
from tests.conftest import SAMPLE_REPOS

REPOS = sorted(p.name for p in SAMPLE_REPOS.iterdir() if (p / "README.md").is_file())


def findings_of(repo: str, rules) -> list[dict[str, object]]:
    result = scan(SAMPLE_REPOS / repo, ScanConfig(jobs=1), rules)
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
    paths = {f["path"] for f in findings_of("gateway_app", rules)}
    assert paths == {"app/llm_gateway.py"}


def test_scattered_chatbot_couples_in_many_modules(rules):
    paths = {f["path"] for f in findings_of("openai_chatbot", rules)}
    assert len(paths) >= 8
