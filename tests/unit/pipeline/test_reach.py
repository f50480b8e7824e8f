"""A model id is coupling only in a repository that reaches its vendor (or a layer that
serves its models); a tokenizer's or a price list's table of model names is a mention."""

from __future__ import annotations

import lockscan
from lockscan.ruleset import load_rules
from tests.support.repos import write_tree

PRICES = 'PRICE = {"gpt-4o": 2.5, "gpt-3.5-turbo-0613": 1.5, "claude-3-opus-20240229": 15}\n'


def ids(result) -> set[tuple[str, str]]:
    return {(f.vendor, f.subject) for f in result.findings if f.kind == "model_id"}


def test_a_price_table_in_a_repo_that_reaches_no_vendor_names_no_model(scan_tree):
    result = scan_tree({"prices.py": PRICES, "tests/test_prices.py": "def test(): assert 'gpt-4o'\n"})
    assert result.findings == ()


def test_only_the_ids_of_reached_vendors_are_kept(scan_tree):
    result = scan_tree({"prices.py": PRICES, "count.py": "import anthropic\n"})
    assert ids(result) == {("anthropic", "claude-3-opus-20240229")}


def test_a_layer_that_serves_any_vendor_keeps_every_id(scan_tree):
    result = scan_tree({"prices.py": PRICES, "requirements.txt": "litellm\n"})
    assert ids(result) == {("openai", "gpt-4o"), ("openai", "gpt-3.5-turbo-0613"),
                           ("anthropic", "claude-3-opus-20240229")}


def test_bedrock_serves_anthropic_models_not_gemini(scan_tree):
    result = scan_tree({"prices.py": 'P = {"claude-3-opus-20240229": 15, "gemini-1.5-pro-002": 1}\n',
                        "aws.py": "import boto3\nrt = boto3.client('bedrock-runtime')\n"})
    assert ids(result) == {("anthropic", "claude-3-opus-20240229")}


def test_a_suppressed_import_still_reaches_its_vendor(scan_tree):
    result = scan_tree({"prices.py": PRICES, "count.py": "import anthropic  # lockscan: ignore\n"})
    assert ids(result) == {("anthropic", "claude-3-opus-20240229")}
    assert {f.kind for f in result.findings} == {"model_id"}


def test_rules_that_cannot_tell_reach_drop_nothing(tmp_path):
    write_tree(tmp_path, {"prices.py": PRICES})
    rules = load_rules().select(["openai.model-id", "openai.model-id-floating"])
    result = lockscan.scan(tmp_path, rules=rules)
    assert ids(result) == {("openai", "gpt-4o"), ("openai", "gpt-3.5-turbo-0613")}


def test_lifecycle_findings_follow_the_ids_they_describe(tmp_path):
    write_tree(tmp_path, {"prices.py": PRICES})
    assert lockscan.scan(tmp_path).findings == ()
    write_tree(tmp_path, {"app.py": "import openai\n"})
    rules = {f.rule for f in lockscan.scan(tmp_path).findings}
    assert {"models.retired", "openai.model-id"} <= rules


def test_a_chat_template_is_kept_when_some_vendor_is_reached(scan_tree):
    template = 'PROMPT = "<|im_start|>system\\nYou are helpful<|im_end|>"\n'
    assert [f.kind for f in scan_tree({"tok.py": template}).findings] == []
    kinds = {f.kind for f in scan_tree({"tok.py": template, "requirements.txt": "ollama\n"}).findings}
    assert kinds == {"prompt_format", "dependency"}
