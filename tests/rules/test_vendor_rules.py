"""Vendor coverage rules: loader features they rely on, dependency rules, wrappers, secrets."""

from __future__ import annotations

from pathlib import Path

import pytest

from lockscan.authoring.ruletest import coverage_gaps
from lockscan.engine import analyze_file
from lockscan.model import DependencyFact, SourceFile, Span
from lockscan.ruleset import load_rules
from lockscan.ruleset.matchers import StringMatcher, normalize_distribution

VENDOR = '[vendor]\nid = "acme"\nmodules = ["acme"]\n'
RULE = """
[[rule]]
id = "acme.{name}"
kind = "{kind}"
message = "{message}"
why = "why"
fix = "fix"
effort = 1
match.{matcher}
"""


def acme_rules(tmp_path: Path, *rules: str):
    (tmp_path / "acme.toml").write_text(VENDOR + "".join(rules), encoding="utf-8")
    return load_rules([tmp_path], include_bundled=False)


def findings(rules, source: str):
    data = source.encode()
    facts = analyze_file(SourceFile("m.py", "m.py", "python", module="m", size=len(data)),
                         data, rules, full=True)
    return [(f.line, f.rule, f.message) for f in facts.findings]


def test_strings_table_alone_matches_exact_strings_and_fills_data(tmp_path):
    rules = acme_rules(tmp_path, RULE.format(
        name="retiring", kind="model_id", message="`{match}` retires on {data}",
        matcher='strings = { table = { "acme-1" = "2026-01-01" } }'))
    assert findings(rules, 'A = "acme-1"\nB = "acme-1-preview"\nC = "x acme-1"\n') == [
        (1, "acme.retiring", "`acme-1` retires on 2026-01-01"),
    ]


def test_dependency_rules_need_manifest_example_lines_too(tmp_path):
    rules = acme_rules(
        tmp_path,
        RULE.format(name="dep", kind="dependency", message="m",
                    matcher='dependencies = ["acme-sdk"]'),
        RULE.format(name="call", kind="call", message="m", matcher='calls = ["acme.run"]'),
    )
    # Manifests are example files too (`examples.requirements.txt`), so dependency
    # rules are held to the same expect/ok coverage as every other rule.
    gaps = coverage_gaps(rules, [])
    assert [g.split(": rule ")[1] for g in gaps] == [
        "acme.call: no `# expect: acme.call` example line",
        "acme.call: no `# ok: acme.call` example line",
        "acme.dep: no `# expect: acme.dep` example line",
        "acme.dep: no `# ok: acme.dep` example line",
    ]


@pytest.mark.parametrize(("distribution", "rule", "vendor", "via"), [
    ("openai", "openai.dependency", "openai", None),
    ("anthropic", "anthropic.dependency", "anthropic", None),
    ("litellm", "litellm.dependency", "litellm", "litellm"),
    ("google-genai", "google.dependency-genai", "google", None),
    ("Google_GenerativeAI", "google.dependency-generativeai", "google", None),
    ("google-cloud-aiplatform", "google.dependency-vertexai", "google", None),
    ("cohere", "cohere.dependency", "cohere", None),
    ("mistralai", "mistral.dependency", "mistral", None),
    ("groq", "groq.dependency", "groq", None),
    ("together", "together.dependency", "together", None),
    ("fireworks-ai", "fireworks.dependency", "fireworks", None),
    ("replicate", "replicate.dependency", "replicate", None),
    ("huggingface_hub", "huggingface.dependency", "huggingface", None),
    ("ollama", "ollama.dependency", "ollama", None),
    ("dashscope", "dashscope.dependency", "dashscope", None),
    ("openrouter", "openrouter.dependency", "openrouter", None),
    ("xai-sdk", "xai.dependency", "xai", None),
    ("langchain-openai", "langchain.dependency-openai", "openai", "langchain"),
    ("langchain-aws", "langchain.dependency-aws", "bedrock", "langchain"),
    ("langchain-google-genai", "langchain.dependency-google-genai", "google", "langchain"),
    ("llama-index-llms-anthropic", "llamaindex.dependency-llms-anthropic", "anthropic",
     "llamaindex"),
    ("llama_index.embeddings.openai", "llamaindex.dependency-embeddings-openai", "openai",
     "llamaindex"),
])
def test_each_vendor_distribution_has_one_dependency_rule(
    rules, distribution, rule, vendor, via
):
    span = Span(1, 1, 1, 10)
    fact = DependencyFact(normalize_distribution(distribution), f"{distribution}>=1", span)
    hits = rules.index.hits(fact)
    assert [(h.rule.id, h.rule.vendor, h.rule.kind, h.rule.via) for h in hits] == [
        (rule, vendor, "dependency", via)
    ]


def test_unrelated_distributions_match_no_dependency_rule(rules):
    for name in ("requests", "langchain-core", "llama-index-core", "openai-whisper", "boto3"):
        fact = DependencyFact(normalize_distribution(name), "", Span(1, 1, 1, 2))
        assert rules.index.hits(fact) == []


def test_wrapper_rules_report_the_provider_not_the_framework(rules):
    for rule in rules.rules:
        framework = rule.id.split(".")[0]
        if framework in ("langchain", "llamaindex"):
            assert rule.via == framework, rule.id
            assert rule.vendor not in ("langchain", "llamaindex"), rule.id
        if rule.id.startswith("litellm.model-"):
            assert rule.via == "litellm" and rule.vendor != "litellm", rule.id


def test_model_family_vendors_are_lower_case_and_have_no_sdk(rules):
    for family in ("llama", "qwen", "gemma", "phi"):
        vendor = rules.vendor(family)
        assert vendor is not None and vendor.modules == () and vendor.apis == ()
    assert all(v.id == v.id.lower() for v in rules.vendors)


def test_prompt_and_mention_rules_are_never_high_confidence(rules):
    for rule in rules.rules:
        if rule.kind == "prompt_format" and isinstance(rule.matcher, StringMatcher):
            assert rule.confidence in ("medium", "low"), rule.id
        if Path(rule.source).parent.name == "prompts" and isinstance(rule.matcher, StringMatcher):
            assert rule.confidence in ("medium", "low"), rule.id
            if rule.kind == "prompt_format":
                assert "prompt" in rule.matcher.files, rule.id


def test_retiring_ids_are_plain_model_ids_their_dates_come_from_the_data(scan_tree):
    # Retirement dates live in rules/models/lifecycle.json (models.retired, models.retiring
    # after the scan), not in vendor rules, where a date goes stale unnoticed.
    result = scan_tree({"app.py": 'MODEL = "gemini-2.5-pro"\nOLD = "deepseek-chat"\n',
                        "requirements.txt": "litellm\n"})  # reaches both vendors
    assert {f.rule: f.subject for f in result.findings if f.kind == "model_id"} == {
        "google.model-id": "gemini-2.5-pro", "deepseek.model-id": "deepseek-chat"}


@pytest.mark.parametrize(("key", "rule"), [
    ("AIzaSyA1234567890abcdefghijklmnopqrstuv", "google.hardcoded-key"),
    ("gsk_abcdefghijklmnopqrstuvwxyz0123456789ABCD", "groq.hardcoded-key"),
    ("xai-0123456789abcdefghijABCDEFGHIJ0123456789abcdef", "xai.hardcoded-key"),
    ("r8_abcdefghijklmnopqrstuvwxyz0123", "replicate.hardcoded-key"),
    ("hf_abcdefghijklmnopqrstuvwxyzABCDEFGH", "huggingface.hardcoded-key"),
    ("fw_3ZabcdefghijklmnopqrstuvWXYZ", "fireworks.hardcoded-key"),
    ("sk-or-v1-0123456789abcdef0123456789abcdef0123456789abcdef", "openrouter.hardcoded-key"),
])
def test_hardcoded_keys_are_reported_and_redacted(scan_tree, key, rule):
    result = scan_tree({"keys.py": f'KEY = "{key}"\n'})
    assert [(f.rule, f.kind) for f in result.findings] == [(rule, "credential")]
    finding = result.findings[0]
    secret = key[len(key) - 12:]
    assert secret not in finding.snippet and secret not in finding.message
    assert "[REDACTED]" in finding.snippet
