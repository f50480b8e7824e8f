"""Values carried by call arguments: host vendors of OpenAI-compatible clients and the
AWS service of boto3 clients (lockscan/analyze/endpoints.py)."""

from __future__ import annotations

import textwrap

import pytest

from lockscan.engine import Analyzer
from lockscan.engine.python.endpoints import Endpoints
from lockscan.errors import RuleError
from lockscan.model.config import ScanConfig
from lockscan.pipeline.scan import scan
from lockscan.ruleset import load_rules
from lockscan.ruleset.index import split_vendor
from lockscan.ruleset.paths import path_pattern_regex
from tests.support.repos import ROOT, write_tree

# Fictional vendors, so the test never collides with the bundled ones.
HOST_VENDORS = """
[vendor]
id = "hostco"
name = "HostCo"
hosts = { "api.hostco.xyz" = "hostco", "api.hostco.ai" = "hostco", ":19999" = "lanbox" }
base_url_env = { "HOSTCO_BASE_URL" = "hostco", "LANBOX_HOST" = "lanbox" }
"""
LANBOX = '[vendor]\nid = "lanbox"\nname = "LanBox"\n'


@pytest.fixture(scope="module")
def host_rules(tmp_path_factory):
    folder = tmp_path_factory.mktemp("host_rules")
    (folder / "hostco.toml").write_text(HOST_VENDORS)
    (folder / "lanbox.toml").write_text(LANBOX)
    return load_rules([folder])


def vendors_by_rule(result, path: str) -> set[tuple[int, str, str]]:
    return {(f.line, f.rule, f.vendor) for f in result.findings if f.path == path}


def test_literal_env_and_default_urls_name_the_host_vendor(tmp_path, host_rules):
    write_tree(tmp_path, {"app.py": """
        import os
        from openai import OpenAI

        hosted = OpenAI(base_url="https://api.hostco.xyz/v1")
        BASE = os.environ["HOSTCO_BASE_URL"] + "/v1"
        via_env = OpenAI(base_url=BASE)
        local = OpenAI(base_url=os.getenv("LOCAL_LLM", "http://localhost:19999/v1"))
        host = OpenAI(base_url=os.environ.get("LANBOX_HOST") or "http://x")
        hosted.chat.completions.create(model="m", messages=[]).choices[0].message.content
        local.embeddings.create(model="e", input="x")
        """})
    result = scan(tmp_path, ScanConfig(jobs=1), host_rules)
    assert vendors_by_rule(result, "app.py") == {
        (2, "openai.import", "openai"),
        (4, "openai.client", "hostco"),
        (5, "openai.env-var", "hostco"),  # the variables the clients are pointed with
        (6, "openai.client", "hostco"),
        (7, "openai.client", "lanbox"),
        (7, "openai.env-var", "lanbox"),
        (8, "openai.client", "lanbox"),
        (8, "openai.env-var", "lanbox"),
        (9, "openai.chat-completion", "hostco"),
        (9, "openai.response-content", "hostco"),
        (10, "openai.embeddings", "lanbox"),
    }
    assert all(f.api == "openai-chat" for f in result.findings if f.line in (4, 9))


def test_host_vendor_follows_a_client_imported_from_another_module(tmp_path, host_rules):
    write_tree(tmp_path, {
        "app/__init__.py": "",
        "app/llm.py": "from openai import OpenAI\nclient = OpenAI(base_url='https://api.hostco.ai/v1')\n",
        "app/chat.py": "from app.llm import client\n\n\ndef ask():\n"
                       "    return client.chat.completions.create(model='m', messages=[])\n",
    })
    result = scan(tmp_path, ScanConfig(jobs=1), host_rules)
    assert vendors_by_rule(result, "app/chat.py") == {(5, "openai.chat-completion", "hostco")}


def test_unknown_host_is_openai_compatible_and_unreadable_url_changes_nothing(scan_tree):
    result = scan_tree({"app.py": """
        from openai import OpenAI
        a = OpenAI(base_url="http://10.0.0.5:9000/v1")
        b = OpenAI(base_url=settings.llm_url)
        c = OpenAI(base_url=f"http://{host}/v1")
        """})
    assert vendors_by_rule(result, "app.py") == {
        (1, "openai.import", "openai"),
        (2, "openai.client", "openai_compatible"),
        (3, "openai.client", "openai"),
        (4, "openai.client", "openai"),
    }


@pytest.mark.parametrize("url, vendor", [
    ("https://api.together.xyz/v1", "together"),
    ("HTTPS://API.TOGETHER.XYZ", "together"),
    ("https://generativelanguage.googleapis.com/v1beta/openai/", "google"),
    ("https://generativelanguage.googleapis.com/v1beta/models", "fallback"),
    ("http://localhost:11434/v1", "ollama"),
    ("localhost:11434", "ollama"),
    ("http://ollama:11434", "ollama"),
    ("https://my-resource.openai.azure.com", "azure"),
    ("https://example.com/v1", "fallback"),
    ("https://bedrock-runtime.us-west-2.amazonaws.com/openai/v1", "bedrock"),
    ("https://bedrock-runtime.us-west-2.amazonaws.com/model", "fallback"),
    ("not a url", None),
    ("ollama", None),
    ("http://[::1", None),
])
def test_vendor_for_url(url, vendor):
    table = Endpoints(hosts=(
        ("generativelanguage.googleapis.com/v1beta/openai", "google"),
        ("api.together.xyz", "together"), (".openai.azure.com", "azure"), (":11434", "ollama"),
        ("bedrock-runtime.*.amazonaws.com/openai", "bedrock"),
    ))
    assert table.vendor_for_url(url, "fallback") == vendor


def test_hosts_must_name_known_vendors(tmp_path):
    (tmp_path / "x.toml").write_text(textwrap.dedent("""
        [vendor]
        id = "gw"
        hosts = { "api.example.com" = "nobody" }
        base_url_env = { "X_URL" = 3 }
        """))
    with pytest.raises(RuleError) as caught:
        load_rules([tmp_path])
    lines = caught.value.problems
    assert any("`hosts` maps `api.example.com` to vendor `nobody`, which has no [vendor]" in line
               for line in lines)
    assert any("`base_url_env` must map strings to strings" in line for line in lines)


def test_split_vendor():
    assert split_vendor("openai.OpenAI()@together.chat.completions.create") == (
        "openai.OpenAI().chat.completions.create", "together")
    assert split_vendor("openai.OpenAI().chat") == ("openai.OpenAI().chat", None)


# --------------------------------------------------------------------------- boto3 services


def test_boto3_service_literal_is_part_of_the_path(scan_tree):
    result = scan_tree({"aws.py": """
        import boto3

        def clients(name):
            bedrock = boto3.client("bedrock-runtime")
            by_name = boto3.Session().client(service_name="bedrock-runtime")
            dynamic = boto3.client(name)
            s3 = boto3.client("s3")
            bedrock.converse(modelId="m", messages=[])
            by_name.invoke_model(modelId="m", body="{}")
            dynamic.converse(modelId="m", messages=[])
            s3.converse(modelId="m", messages=[])
            boto3.client("bedrock-runtime").converse_stream(modelId="m", messages=[])
        """})
    assert vendors_by_rule(result, "aws.py") == {
        (1, "bedrock.import", "bedrock"),  # beside a Bedrock client
        (4, "bedrock.client", "bedrock"),
        (5, "bedrock.client", "bedrock"),
        (8, "bedrock.converse", "bedrock"),
        (9, "bedrock.invoke-model", "bedrock"),
        (12, "bedrock.client", "bedrock"),
        (12, "bedrock.converse", "bedrock"),
    }


def test_argument_calls_come_from_rule_data(rules):
    analyzer = Analyzer(rules)
    table = analyzer.endpoints
    assert table.argument_calls and {k for _, k in table.argument_calls} == {"service_name"}
    assert analyzer.endpoints is table  # built once per analyzer


@pytest.mark.parametrize("pattern, path, matches", [
    ("boto3.client(bedrock-runtime).converse", "boto3.client(bedrock-runtime).converse", True),
    ("boto3.client(bedrock-runtime).converse", "boto3.client(s3).converse", False),
    ("boto3.client({bedrock-runtime,bedrock}).x", "boto3.client(bedrock).x", True),
    ("boto3.client().converse", "boto3.client(bedrock-runtime).converse", False),
])
def test_literal_call_patterns(pattern, path, matches):
    import re

    assert bool(re.fullmatch(path_pattern_regex(pattern), path)) is matches


def test_bad_literal_pattern_is_a_load_error(tmp_path):
    (tmp_path / "x.toml").write_text(textwrap.dedent("""
        [vendor]
        id = "aws"
        argument_calls = { "boto3.client(a b)" = "service_name" }
        """))
    with pytest.raises(RuleError) as caught:
        load_rules([tmp_path])
    assert any("`(` must be `()` or `(literal)`" in line for line in caught.value.problems)


def test_rule_authoring_guide_documents_the_mechanisms():
    guide = (ROOT / "docs" / "rule-authoring.md").read_text()
    for term in ("argument_calls", "base_url_clients", "hosts", "base_url_env", "@vendor",
                 "examples.requirements.txt", "lockscan test-rules"):
        assert term in guide
